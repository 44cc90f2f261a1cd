"""The interop commands: export fhir|csv and forms import-fhir, as a clinic would run them."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "data" / "fhir"


def run(*arguments: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "smerteagent.cli.main", *arguments], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)  # fmt: skip


def test_export_questionnaire_then_import_it_under_a_new_id(tmp_path: Path, isolated_user_data: Path) -> None:
    exported = run("export", "fhir", "--form", "phq9", "--out", str(tmp_path / "phq9.json"))
    assert exported.returncode == 0, exported.stderr
    assert json.loads((tmp_path / "phq9.json").read_text(encoding="utf-8"))["code"][0]["code"] == "44249-1"
    clash = run("forms", "import-fhir", str(tmp_path / "phq9.json"))
    assert clash.returncode == 2 and "bundled instrument" in clash.stderr and "--id" in clash.stderr
    imported = run("forms", "import-fhir", str(tmp_path / "phq9.json"), "--id", "phq9_copy")
    assert imported.returncode == 0, imported.stderr
    written = isolated_user_data / "forms" / "phq9_copy.yaml"
    assert run("forms", "validate", str(written)).returncode == 0
    score = run("score", "phq9_copy", *(f"q{n}=3" for n in range(1, 10)), "--json")
    assert json.loads(score.stdout)["results"]["total"] == 27
    assert "WARNING" in imported.stderr and "no bands or flags" in imported.stderr
    assert "changed   (bands and flags)" in imported.stdout


def test_an_import_never_replaces_a_bundled_form(tmp_path: Path, isolated_user_data: Path) -> None:
    assert run("export", "fhir", "--form", "phq9", "--out", str(tmp_path / "phq9.json")).returncode == 0
    replaced = run("forms", "import-fhir", str(tmp_path / "phq9.json"), "--replace")
    assert replaced.returncode == 2 and "bundled instrument" in replaced.stderr and "--id" in replaced.stderr
    assert not (isolated_user_data / "forms" / "phq9.yaml").exists()
    elsewhere = run("forms", "import-fhir", str(tmp_path / "phq9.json"), "--replace", "--out", str(tmp_path / "x.yaml"))
    assert elsewhere.returncode == 2 and not (tmp_path / "x.yaml").exists()
    score = json.loads(run("score", "phq9", *(f"q{n}=2" for n in range(1, 10)), "--json").stdout)
    assert score["band"] == "moderately_severe" and score["flags"] == ["suicide_risk"]


def _user_form(folder: Path, form_id: str, *, flags: bool) -> Path:
    """A user form made from the bundled PHQ-9 under another id, with or without its flags."""
    import yaml

    from smerteagent.paths import bundled_forms_dir

    document = yaml.safe_load((bundled_forms_dir() / "phq9.yaml").read_text(encoding="utf-8"))
    document["id"] = form_id
    if not flags:
        document["scoring"]["flags"] = []
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{form_id}.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_replace_keeps_a_user_forms_critical_flags(tmp_path: Path, isolated_user_data: Path) -> None:
    guarded = _user_form(isolated_user_data / "forms", "klinik_phq", flags=True)
    before = guarded.read_bytes()
    assert run("export", "fhir", "--form", "klinik_phq", "--out", str(tmp_path / "k.json")).returncode == 0
    refused = run("forms", "import-fhir", str(tmp_path / "k.json"), "--replace")
    assert refused.returncode == 2 and "suicide_risk" in refused.stderr and "--id" in refused.stderr
    assert guarded.read_bytes() == before
    plain = _user_form(isolated_user_data / "forms", "klinik_plain", flags=False)
    assert run("export", "fhir", "--form", "klinik_plain", "--out", str(tmp_path / "p.json")).returncode == 0
    replaced = run("forms", "import-fhir", str(tmp_path / "p.json"), "--replace")
    assert replaced.returncode == 0, replaced.stderr
    assert "-fhir" in plain.read_text(encoding="utf-8") and "WARNING" in replaced.stderr


def test_import_reports_refusals_and_fails_only_when_nothing_imports(tmp_path: Path) -> None:
    partly = run("forms", "import-fhir", str(CORPUS / "fhirpath_refused.json"), "--out", str(tmp_path / "f.yaml"))
    assert partly.returncode == 0 and "refused   risk" in partly.stdout and "UNSCORED" in partly.stdout
    nothing = run(
        "forms", "import-fhir", str(CORPUS / "malformed_only_refused.json"), "--out", str(tmp_path / "n.yaml")
    )
    assert nothing.returncode == 1 and not (tmp_path / "n.yaml").exists()
    broken = run("forms", "import-fhir", str(CORPUS / "malformed_not_json.json"))
    assert broken.returncode == 2 and len(broken.stderr.strip().splitlines()) == 1


def test_csv_export_for_excel_with_pseudonyms(tmp_path: Path) -> None:
    db = str(tmp_path / "klinik.sqlite")
    assert run("--db", db, "demo", "--patients", "5", "--seed", "3").returncode == 0
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "key").write_bytes(b"0123456789abcdef0123")
    out = tmp_path / "export" / "register.csv"
    out.parent.mkdir()
    same_folder = run("--db", db, "export", "csv", "--out", str(out), "--pseudonymise", "--key-file",
                      str(out.parent / "key"))  # fmt: skip
    assert same_folder.returncode == 2 and "keep the key out" in same_folder.stderr
    result = run("--db", db, "export", "csv", "--out", str(out), "--delimiter", ";", "--pseudonymise",
                 "--key-file", str(keys / "key"), "--from", "2000-01-01")  # fmt: skip
    assert result.returncode == 0, result.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows and all(len(row["patient"]) == 64 for row in rows)
    bad_date = run("--db", db, "export", "csv", "--out", str(out), "--from", "01-02-2024")
    assert bad_date.returncode == 2 and "ISO date" in bad_date.stderr


def test_fhir_bundle_of_a_patient(tmp_path: Path) -> None:
    db = str(tmp_path / "klinik.sqlite")
    run("--db", db, "demo", "--patients", "3", "--seed", "4")
    listed = json.loads(run("--db", db, "patients", "list", "--json").stdout)
    out = tmp_path / "bundle.json"
    result = run("--db", db, "export", "fhir", "--patient", str(listed[0]["id"]), "--out", str(out))
    assert result.returncode == 0, result.stderr
    bundle = json.loads(out.read_text(encoding="utf-8"))
    assert bundle["resourceType"] == "Bundle" and bundle["entry"][0]["resource"]["resourceType"] == "Patient"
