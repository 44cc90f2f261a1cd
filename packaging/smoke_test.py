"""Build the PyInstaller bundle and use it as a clinic would, with no Python of its own: the version, the
forms, a score, demo patients, a care-plan PDF, the desktop app started offscreen, the Linux install script,
and PostgreSQL through the bundled driver when a server is configured. Prints the bundle's size and its
start-up time against the same start from the virtualenv.

    .venv/bin/python packaging/smoke_test.py [--dist DIR] [--no-build] [--runs N]

Installs the build tools itself (the `bundle` extra in pyproject.toml). Everything the bundle writes goes
to a temporary folder (HOME and the XDG folders point there), never to the user's own data.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "pyinstaller" / "smerteagent.spec"
VENV_COMMAND = Path(sys.executable).parent / "smerteagent"
PG_VARIABLE = "SMERTEAGENT_TEST_PG_URL"
PHQ9 = ["q1=2", "q2=1", "q3=0", "q4=1", "q5=0", "q6=0", "q7=1", "q8=0", "q9=1"]
NOT_IN_THE_BUNDLE = ("QtWebEngine", "QtQml", "QtQuick", "QtPdf", "QtNetworkAuth", "libqgtk3")


def install_tools() -> None:
    """The build tools, pinned with hashes (requirements/bundle.txt: the dev set plus PyInstaller)."""
    lock = ROOT / "requirements" / "bundle.txt"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--require-hashes", "-r", str(lock)], check=True)


def build(dist: Path, work: Path) -> float:
    started = time.perf_counter()
    log = work / "pyinstaller.log"
    work.mkdir(parents=True, exist_ok=True)
    with log.open("w") as output:
        code = subprocess.run(
            [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(dist), "--workpath", str(work),
             str(SPEC)], cwd=ROOT, stdout=output, stderr=subprocess.STDOUT,
        ).returncode  # fmt: skip
    if code != 0:
        print(log.read_text()[-4000:])
        raise SystemExit(f"PyInstaller failed (exit code {code}); the whole log: {log}")
    return time.perf_counter() - started


class Sandbox:
    """Runs a program with HOME and the XDG folders in a temporary folder and no SmerteAgent settings of the
    user's, offscreen: whatever it writes stays there."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.environment = {k: v for k, v in os.environ.items() if not k.startswith(("SMERTEAGENT_", "XDG_"))}
        self.environment |= {"HOME": str(folder / "home"), "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}
        for name, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
            self.environment[name] = str(folder / "home" / sub)
        self.environment["XDG_RUNTIME_DIR"] = str(folder / "runtime")
        for path in ("home", "runtime"):
            (folder / path).mkdir(mode=0o700, parents=True, exist_ok=True)

    def run(self, program: Path | str, *arguments: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(program), *arguments], capture_output=True, text=True, env=self.environment,
                              cwd=self.folder, timeout=timeout)  # fmt: skip

    def ok(self, program: Path | str, *arguments: str) -> str:
        result = self.run(program, *arguments)
        assert result.returncode == 0, f"{' '.join(arguments)}: exit {result.returncode}\n{result.stderr[-2000:]}"
        assert "Traceback" not in result.stderr, result.stderr[-2000:]
        return result.stdout


class SmokeTest:
    def __init__(self, bundle: Path, sandbox: Sandbox) -> None:
        self.bundle, self.sandbox = bundle, sandbox
        self.program = bundle / "smerteagent"
        self.db_file = sandbox.folder / "klinik.sqlite"
        self.db = f"sqlite:///{self.db_file}"

    def smerteagent(self, *arguments: str) -> str:
        return self.sandbox.ok(self.program, *arguments)

    def test_version_is_the_one_in_the_package(self) -> None:
        from smerteagent import __version__

        assert self.smerteagent("--version").strip() == f"smerteagent {__version__}"

    def test_forms_list_has_every_bundled_form(self) -> None:
        listed = {line.split()[0] for line in self.smerteagent("forms", "list").splitlines() if line.strip()}
        assert listed == {path.stem for path in (ROOT / "forms").glob("*.yaml")}, listed

    def test_score_phq9(self) -> None:
        result = json.loads(self.smerteagent("score", "phq9", *PHQ9, "--json"))
        assert result["results"]["total"] == 6 and result["band"] == "mild", result
        assert "suicide_risk" in result["flags"], result

    def test_demo_patients_into_a_new_sqlite_database(self) -> None:
        output = self.smerteagent("demo", "--patients", "5", "--db", self.db)
        assert "added 5 demo patients" in output, output
        patients = json.loads(self.smerteagent("patients", "list", "--json", "--db", self.db))
        assert len(patients) == 5 and all(p["cpr"] for p in patients), patients

    def test_careplan_export_with_logo_in_danish(self) -> None:
        from pypdf import PdfReader

        from smerteagent import __version__

        patient = give_first_patient_a_plan(self.db_file)
        logo = ROOT / "resources" / "icons" / "smerteagent.png"  # read through the bundled Pillow
        self.smerteagent("settings", "set", "logo_path", str(logo), "--db", self.db)
        out = self.sandbox.folder / "plan.pdf"
        self.smerteagent("careplan", "export", "--patient", patient, "--out", str(out), "--lang", "da", "--db", self.db)
        assert out.read_bytes().startswith(b"%PDF-"), out.read_bytes()[:20]
        pages = PdfReader(out).pages
        texts = [" ".join(page.extract_text().split()) for page in pages]
        assert len(pages) >= 1 and all(f"Side {n} af {len(pages)}" in t for n, t in enumerate(texts, start=1))
        assert all(f"SmerteAgent {__version__}" in text for text in texts), texts[0][-200:]
        assert any(page.images for page in pages), "the clinic's logo is missing"

    def test_clinician_summary_in_english(self) -> None:
        from pypdf import PdfReader

        out = self.sandbox.folder / "summary.pdf"
        self.smerteagent("careplan", "export", "--patient", "1", "--out", str(out), "--summary", "--lang", "en",
                         "--db", self.db)  # fmt: skip
        reader = PdfReader(out)
        assert len(reader.pages) == 1 and "Page 1 of 1" in reader.pages[0].extract_text()

    def test_desktop_app_starts_offscreen_and_exits(self) -> None:
        timings = json.loads(self.smerteagent("--exit-after-startup", "--db", self.db).strip().splitlines()[-1])
        assert {"first_paint_ms", "ready_ms", "storage_ms"} <= set(timings), timings

    def test_desktop_app_makes_its_database_in_the_users_data_folder(self) -> None:
        self.smerteagent("--exit-after-startup")
        made = Path(self.sandbox.environment["XDG_DATA_HOME"]) / "SmerteAgent" / "smerteagent.sqlite"
        assert made.is_file(), f"no database at {made}"

    def test_bundle_is_lean_and_carries_its_notices(self) -> None:
        internal = self.bundle / "_internal"
        unwanted = [p.name for p in internal.rglob("*") if any(part in p.name for part in NOT_IN_THE_BUNDLE)]
        assert not unwanted, unwanted
        translations = sorted(p.name for p in (internal / "PySide6" / "Qt" / "translations").iterdir())
        assert "qtbase_da.qm" in translations and len(translations) <= 2, translations
        for name in ("LICENSE", "NOTICE", "CHANGELOG.md", "linux/install.sh", "linux/smerteagent.desktop"):
            assert (internal / name).is_file(), name
        migrations = internal / "smerteagent" / "storage" / "migrations" / "versions"
        assert {p.name for p in migrations.glob("*.py")} == {
            p.name for p in (ROOT / "src" / "smerteagent" / "storage" / "migrations" / "versions").glob("*.py")
        }

    def test_linux_install_script_installs_and_removes(self) -> None:
        installer = ROOT / "packaging" / "linux" / "install.sh"
        home = Path(self.sandbox.environment["HOME"])
        print_line = self.sandbox.ok("sh", str(installer), str(self.bundle))
        entry = Path(self.sandbox.environment["XDG_DATA_HOME"]) / "applications" / "smerteagent.desktop"
        installed = home / ".local" / "opt" / "smerteagent" / "smerteagent"
        assert f"Exec={installed}" in entry.read_text(encoding="utf-8"), print_line
        assert self.sandbox.ok(home / ".local" / "bin" / "smerteagent", "--version").startswith("smerteagent ")
        if shutil.which("desktop-file-validate"):
            self.sandbox.ok("desktop-file-validate", str(entry))
        self.sandbox.ok("sh", str(installer), "--uninstall")
        assert not entry.exists() and not installed.exists()

    def test_accounts_hash_with_the_bundled_argon2(self) -> None:
        password = self.sandbox.folder / "password.txt"
        password.write_text("smoke-test-kodeord\n", encoding="utf-8")
        self.smerteagent("accounts", "add", "--username", "mette", "--name", "Mette Kjær", "--password-file",
                         str(password), "--db", self.db)  # fmt: skip
        listed = json.loads(self.smerteagent("accounts", "list", "--json", "--db", self.db))
        assert [(a["username"], a["role"]) for a in listed] == [("mette", "administrator")], listed

    def test_an_encrypted_database_through_the_bundled_sqlcipher(self) -> None:
        key = self.sandbox.folder / "passphrase.txt"
        key.write_text("en lang nok passphrase\n", encoding="utf-8")
        encrypted = f"sqlite:///{self.sandbox.folder / 'krypteret.sqlite'}"
        self.smerteagent("--passphrase-file", str(key), "db", "create", "--encrypted", "--db", encrypted)
        self.smerteagent("--passphrase-file", str(key), "demo", "--patients", "2", "--db", encrypted)
        assert "encrypted" in self.smerteagent("--passphrase-file", str(key), "db", "check", "--db", encrypted)
        raw = (self.sandbox.folder / "krypteret.sqlite").read_bytes()
        assert not raw.startswith(b"SQLite format 3"), "the file is not encrypted"

    def test_printing_library_is_bundled(self) -> None:
        internal = self.bundle / "_internal"
        assert list(internal.rglob("libpdfium*")), "PDFium (printing through the print dialog) is missing"

    def test_postgresql_through_the_bundled_driver(self) -> None:
        server = os.environ.get(PG_VARIABLE)
        if not server:
            raise Skipped(f"no PostgreSQL server configured ({PG_VARIABLE})")
        with scratch_pg_database(server) as url:
            self.smerteagent("demo", "--patients", "3", "--db", url)
            assert len(json.loads(self.smerteagent("patients", "list", "--json", "--db", url))) == 3
            self.smerteagent("db", "check", "--db", url)


class Skipped(Exception):
    pass


def give_first_patient_a_plan(db_file: Path) -> str:
    """A plan written with the virtualenv's code (a logo and a known goal to look for): the bundle then reads a
    database written by another install, as on a clinic's shared server."""
    from datetime import date

    from smerteagent.core.careplan.plan import Action, CarePlan, Goal, ValueRating
    from smerteagent.core.forms.loader import FormLibrary
    from smerteagent.paths import bundled_forms_dir
    from smerteagent.storage.services import open_services

    services = open_services(f"sqlite:///{db_file}", FormLibrary.load([bundled_forms_dir()]), actor="smoke-test")
    try:
        patient = services.patients.get(1)
        if services.careplans.current(patient.id) is None:
            services.careplans.save(CarePlan(
                patient.id, values=(ValueRating("family", 9, 3, chosen=True),),
                goals=(Goal("family", "Gå tur med barnebarnet i 30 minutter", "PSFS", 3, 7, date(2027, 3, 1)),),
                actions=(Action("Daglig gåtur", "patient"),), follow_up_on=date(2027, 1, 15), consent_given=True,
            ))  # fmt: skip
        return str(patient.cpr_text() or patient.id)
    finally:
        services.close()


@contextmanager
def scratch_pg_database(server: str) -> Iterator[str]:
    from sqlalchemy import create_engine, make_url, text

    name = f"smerteagent_smoke_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run_tests(smoke: SmokeTest) -> tuple[int, int, int]:
    passed = failed = skipped = 0
    for name in [n for n in vars(SmokeTest) if n.startswith("test_")]:
        started = time.perf_counter()
        try:
            getattr(smoke, name)()
        except Skipped as reason:
            skipped += 1
            print(f"SKIPPED {name}: {reason}")
            continue
        except (AssertionError, subprocess.SubprocessError, OSError) as error:
            failed += 1
            print(f"FAILED  {name}: {error}")
            continue
        passed += 1
        print(f"PASSED  {name} ({time.perf_counter() - started:.1f} s)")
    return passed, failed, skipped


def folder_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def start_once(sandbox: Sandbox, program: Path, db: str) -> dict[str, float]:
    """One start: the whole process (launch to exit) and the app's own timings, in ms."""
    started = time.perf_counter()
    output = sandbox.ok(program, "--exit-after-startup", "--db", db)
    return {"process_ms": (time.perf_counter() - started) * 1000, **json.loads(output.strip().splitlines()[-1])}


def report(bundle: Path, sandbox: Sandbox, db: str, runs: int, build_seconds: float | None) -> None:
    files = sum(1 for path in bundle.rglob("*") if path.is_file())
    built = f", built in {build_seconds:.0f} s" if build_seconds is not None else ""
    print(f"\nbundle: {bundle} — {folder_size(bundle) / 1e6:.1f} MB ({files} files){built}")
    if not VENV_COMMAND.exists():
        print(f"(no {VENV_COMMAND}: start-up not compared)")
        return
    sandbox.ok(VENV_COMMAND, "--exit-after-startup", "--db", db)  # warm both equally: file cache, fonts
    sandbox.ok(bundle / "smerteagent", "--exit-after-startup", "--db", db)
    frozen: dict[str, list[float]] = {}
    venv: dict[str, list[float]] = {}
    for _ in range(runs):  # interleaved, so a busy moment hurts both alike
        for program, into in ((bundle / "smerteagent", frozen), (VENV_COMMAND, venv)):
            for key, value in start_once(sandbox, program, db).items():
                into.setdefault(key, []).append(value)
    print(f"start-up, median of {runs} runs each, `--exit-after-startup` offscreen on the demo database (ms):")
    print(f"  {'':16}{'bundle':>10}{'virtualenv':>12}{'ratio':>8}")
    for key in ("process_ms", "first_paint_ms", "ready_ms", "storage_ms"):
        b, v = statistics.median(frozen[key]), statistics.median(venv[key])
        print(f"  {key:16}{b:>10.0f}{v:>12.0f}{b / v:>8.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, help="build into this folder and keep it (default: a temporary one)")
    parser.add_argument("--no-build", action="store_true", help="test the bundle already in --dist")
    parser.add_argument("--runs", type=int, default=5, help="start-up runs for the median (default 5)")
    options = parser.parse_args()
    if options.no_build and options.dist is None:
        parser.error("--no-build needs --dist")
    with tempfile.TemporaryDirectory(prefix="smerteagent-smoke-") as scratch:
        scratch_path = Path(scratch)
        dist = options.dist.resolve() if options.dist else scratch_path / "dist"
        build_seconds = None
        if not options.no_build:
            install_tools()
            print(f"building {SPEC.relative_to(ROOT)} into {dist} …", flush=True)
            build_seconds = build(dist, scratch_path / "build")
        smoke = SmokeTest(dist / "smerteagent", Sandbox(scratch_path / "sandbox"))
        passed, failed, skipped = run_tests(smoke)
        if smoke.db_file.exists():
            report(smoke.bundle, smoke.sandbox, smoke.db, options.runs, build_seconds)
    print(f"\nbundle smoke test: {passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
