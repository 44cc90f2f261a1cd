"""The command line on a damaged, lost or hostile database: one line naming the file and the cause, the
right exit code, nothing written; exports, PDFs and conversions owner-only."""

from __future__ import annotations

import ctypes
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from smerteagent.storage import backup
from tests.storage.damage import misdirect_index

PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 24, 1, 2, 3
PASSPHRASE = "korrekt hest batteri hæftning"


def run(
    *arguments: str | bytes, env: dict[str, str] | None = None, unprivileged: bool = False
) -> subprocess.CompletedProcess[str]:
    """The command in a child process; ``unprivileged``: root's power to ignore file permissions dropped."""
    done = subprocess.run(
        [sys.executable, "-m", "smerteagent.cli.main", "--lang", "en", *arguments], capture_output=True,
        env={**os.environ, **(env or {})}, timeout=120,
        preexec_fn=_drop_override if unprivileged and os.geteuid() == 0 else None,
    )  # fmt: skip
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(), done.stderr.decode())


def _drop_override() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def one_line(result: subprocess.CompletedProcess[str], code: int) -> str:
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "klinik.sqlite"
    assert run("--db", str(path), "demo", "--patients", "30").returncode == 0
    return path


@pytest.fixture
def db(tmp_path: Path, demo_template: Path) -> Path:
    """A clinic with demo patients and one sound backup, in a folder of its own."""
    path = tmp_path / "klinik" / "klinik.sqlite"
    path.parent.mkdir()
    shutil.copy(demo_template, path)  # with its permissions: owner-only
    assert run("--db", str(path), "db", "backup").returncode == 0
    return path


def backups(db: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in backup.backups_dir(db).iterdir()}


def test_db_check_finds_damage_the_quick_check_misses(db: Path) -> None:
    misdirect_index(db)
    result = run("--db", str(db), "db", "check")
    assert result.returncode == 1 and "missing from index" in result.stdout
    assert "damaged" in result.stderr and "Traceback" not in result.stderr
    for command in (
        ["patients", "list"],
        ["patients", "show", "1"],
        ["export", "csv", "--out", str(db.parent / "x.csv")],
    ):
        message = one_line(run("--db", str(db), *command), 1)  # refused at once: the check's result is kept
        assert "damaged" in message and str(db) in message
    assert not (db.parent / "x.csv").exists()


def test_db_backup_of_a_damaged_database_fails_loudly_and_keeps_the_good_backups(db: Path) -> None:
    before = backups(db)
    misdirect_index(db)
    for _night in range(3):
        message = one_line(run("--db", str(db), "db", "backup"), 1)
        assert "damaged" in message and str(db) in message and "no backup was made" in message
    assert backups(db) == before
    assert [line for line in run("--db", str(db), "db", "backups").stdout.splitlines()] == [
        str(backup.backups_dir(db) / name) for name in before
    ]


def test_a_zero_byte_database_beside_backups_is_refused_with_the_restore_offer(db: Path) -> None:
    [kept] = backup.list_backups(db)
    db.write_bytes(b"")
    for command in (["patients", "list"], ["audit", "verify"], ["db", "check"]):
        message = one_line(run("--db", str(db), *command), 1)
        assert "0 bytes" in message and str(kept) in message and "db restore" in message
    assert db.read_bytes() == b""
    assert run("--db", str(db), "db", "restore", str(kept)).returncode == 0
    assert len(run("--db", str(db), "patients", "list", "--limit", "100").stdout.splitlines()) == 30


def test_a_text_file_of_whole_pages_is_not_called_encrypted(tmp_path: Path) -> None:
    path = tmp_path / "noter.sqlite"
    path.write_bytes(b"Referat\n" * 512)
    message = one_line(run("--db", str(path), "patients", "list"), 1)
    assert "not a database" in message and "passphrase" not in message and str(path) in message


def test_db_backup_in_a_read_only_folder_is_one_line(db: Path, tmp_path: Path) -> None:
    shut = tmp_path / "shut"
    shut.mkdir(mode=0o555)
    try:
        message = one_line(
            run("--db", str(db), "db", "backup", "--to", str(shut / "copy.sqlite"), unprivileged=True), 1
        )
        assert "read-only" in message and str(shut) in message
        backup.backups_dir(db).chmod(0o555)
        message = one_line(run("--db", str(db), "db", "backup", unprivileged=True), 1)
        assert "read-only" in message and str(backup.backups_dir(db)) in message
    finally:
        shut.chmod(0o755)
        backup.backups_dir(db).chmod(0o755)
    assert list(shut.iterdir()) == []


def test_undecodable_search_text_is_one_line(db: Path) -> None:
    message = one_line(run("--db", str(db), "patients", "search", b"\xff\xfe"), 2)
    assert "not valid UTF-8" in message and "argument 7" in message


@pytest.mark.parametrize("number", ["99999999999999999999", "9" * 40])
def test_a_huge_limit_means_all(db: Path, number: str) -> None:
    result = run("--db", str(db), "patients", "list", "--limit", number)
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 30, result.stderr
    assert run("--db", str(db), "patients", "search", "a", "--limit", number).returncode == 0


@pytest.mark.parametrize("number", ["-1", "1e9", "١٢", "9" * 41])
def test_a_limit_that_is_not_a_count_is_refused(db: Path, number: str) -> None:
    result = run("--db", str(db), "patients", "list", "--limit", number)
    assert result.returncode == 2 and "Traceback" not in result.stderr and "whole number" in result.stderr


def test_demo_refuses_a_count_that_would_run_for_hours(tmp_path: Path) -> None:
    message = one_line(run("--db", str(tmp_path / "d.sqlite"), "demo", "--patients", "99999999999999999999"), 2)
    assert "--patients must be from 1 to 100,000" in message


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_exports_and_pdfs_are_created_owner_only(db: Path, tmp_path: Path) -> None:
    os.umask(0o022)
    out = tmp_path / "ud"
    out.mkdir()
    commands = {
        "register.csv": ["export", "csv"],
        "bundle.json": ["export", "fhir", "--patient", "1"],
        "tilsyn.csv": ["audit", "export"],
        "plan.pdf": ["careplan", "export", "--patient", "1"],
        "summary.pdf": ["careplan", "export", "--patient", "1", "--summary"],
    }
    for name, command in commands.items():
        result = run("--db", str(db), *command, "--out", str(out / name))
        assert result.returncode == 0, result.stderr
        assert mode(out / name) == 0o600, name


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_encrypt_decrypt_rekey_keep_the_file_owner_only(db: Path, tmp_path: Path) -> None:
    os.umask(0o022)
    assert mode(db) == 0o600
    key, new_key = tmp_path / "key.txt", tmp_path / "new.txt"
    key.write_text(PASSPHRASE)
    new_key.write_text(PASSPHRASE + " igen")
    steps = [
        ["--passphrase-file", str(key), "db", "encrypt"],
        ["--passphrase-file", str(key), "db", "rekey", "--new-passphrase-file", str(new_key)],
        ["--passphrase-file", str(new_key), "db", "decrypt"],
    ]
    for step in steps:
        result = run("--db", str(db), *step)
        assert result.returncode == 0, result.stderr
        assert mode(db) == 0o600, step


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_export_records_is_created_owner_only(db: Path, tmp_path: Path) -> None:
    os.umask(0o022)
    out = tmp_path / "records.csv"
    result = run("--db", str(db), "export", "records", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert mode(out) == 0o600


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_quality_report_pdf_is_created_owner_only(db: Path, tmp_path: Path) -> None:
    os.umask(0o022)
    out = tmp_path / "tilsyn.pdf"
    result = run("--db", str(db), "quality", "report", "--out", str(out), "--cpr")
    assert result.returncode == 0, result.stderr
    assert mode(out) == 0o600


def _plan_exports(db: Path) -> tuple[int, list[tuple[str, str]], list[str]]:
    """A patient with a plan, the plan's export events and its versions' status."""
    with sqlite3.connect(db) as connection:
        patient = connection.execute("SELECT patient_id FROM care_plans ORDER BY id LIMIT 1").fetchone()[0]
        events = connection.execute(
            "SELECT action, detail FROM audit_events WHERE record_type = 'care_plan' AND action = 'export'"
        ).fetchall()
        statuses = [row[0] for row in connection.execute(
            "SELECT v.status FROM care_plan_versions v JOIN care_plans p ON v.care_plan_id = p.id"
            " WHERE p.patient_id = ? ORDER BY v.id", (patient,))]  # fmt: skip
    return patient, events, statuses


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("summary", [False, True], ids=["patient_plan", "clinician_summary"])
def test_careplan_export_to_a_read_only_folder_is_not_audited(db: Path, tmp_path: Path, summary: bool) -> None:
    """Written first, audited (and frozen) after: a PDF that could not be written leaves no "export" event."""
    patient, events_before, statuses_before = _plan_exports(db)
    folder = tmp_path / "skrivebeskyttet"
    folder.mkdir()
    folder.chmod(0o500)
    out = folder / "plan.pdf"
    try:
        result = run("--db", str(db), "careplan", "export", "--patient", str(patient), "--out", str(out),
                     *(["--summary"] if summary else []), unprivileged=True)  # fmt: skip
    finally:
        folder.chmod(0o700)
    message = one_line(result, 2)
    assert str(out) in message and "ermission denied" in message
    assert not out.exists() and list(folder.iterdir()) == []
    _patient, events_after, statuses_after = _plan_exports(db)
    assert events_after == events_before, "no export event for a file that was not written"
    assert statuses_after == statuses_before, "nothing frozen for a file that was not written"
    result = run("--db", str(db), "careplan", "export", "--patient", str(patient), "--out", str(out),
                 *(["--summary"] if summary else []))  # fmt: skip
    assert result.returncode == 0 and out.is_file(), result.stderr
    assert len(_plan_exports(db)[1]) == len(events_before) + 1
    assert [name for name in os.listdir(folder) if name != "plan.pdf"] == [], "no temporary file left"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize(
    ("record_type", "file_name", "command", "begins"),
    [
        ("patient", "bundle.json", ["export", "fhir", "--patient", "1"], "{"),
        ("audit_trail", "revisionsspor.csv", ["audit", "export"], "id,"),
    ],
)
def test_an_export_to_a_read_only_folder_is_not_audited(
    db: Path, tmp_path: Path, record_type: str, file_name: str, command: list[str], begins: str
) -> None:
    def exports() -> int:
        with sqlite3.connect(db) as connection:
            query = "SELECT count(*) FROM audit_events WHERE action = 'export' AND record_type = ?"
            return int(connection.execute(query, (record_type,)).fetchone()[0])

    before = exports()
    folder = tmp_path / "skrivebeskyttet"
    folder.mkdir()
    folder.chmod(0o500)
    out = folder / file_name
    try:
        result = run("--db", str(db), *command, "--out", str(out), unprivileged=True)
    finally:
        folder.chmod(0o700)
    assert str(out) in one_line(result, 2) and not out.exists()
    assert exports() == before, "no export event for a file that was not written"
    assert run("--db", str(db), *command, "--out", str(out)).returncode == 0
    assert exports() == before + 1 and mode(out) == 0o600 and os.listdir(folder) == [file_name]
    assert out.read_text(encoding="utf-8").startswith(begins), "the export itself"


def test_tables_that_do_not_match_their_schema_version_are_named_not_a_traceback(db: Path) -> None:
    """A file whose tables were changed behind the program's back (another tool, a development build) while
    its recorded schema version stayed: refused at opening, by name, in one line; no traceback, and no daily
    backup of it is taken as a sound copy."""
    with sqlite3.connect(db) as connection:
        connection.execute("ALTER TABLE audit_events DROP COLUMN seal")
    for old in backup.backups_dir(db).iterdir():
        old.unlink()  # a daily backup is due now
    for command in (["patients", "show", "1"], ["patients", "list"], ["audit", "verify"]):
        line = one_line(run("--db", str(db), *command), 1)
        assert "do not match the schema version" in line and "audit_events.seal is missing" in line, line
    assert backups(db) == {}, "the mismatched file was not copied into the backups as a sound one"
