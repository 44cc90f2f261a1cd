"""``smerteagent quality report``: the JSON shape of the issue, the sample drawn again from its seed, the PDF,
and bad input as one line with exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.cli.test_storage_cli import run


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("quality") / "klinik.sqlite")
    assert run("--db", path, "demo", "--patients", "120").returncode == 0
    return path


def test_json_has_exactly_the_published_shape(db: str) -> None:
    result = run("--db", db, "quality", "report", "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert set(document) == {"period", "patients", "checkpoints", "outcomes"}
    assert set(document["period"]) == {"from", "to"} and isinstance(document["patients"], int)
    assert [c["number"] for c in document["checkpoints"]] == [9, 10, 11, 12, 13, 14, 16, 17]
    for checkpoint in document["checkpoints"]:
        assert set(checkpoint) == {"id", "number", "title", "applicable", "fulfilled", "not_relevant",
                                   "patients_failing"}  # fmt: skip
        assert checkpoint["applicable"] + checkpoint["not_relevant"] == document["patients"]
        assert checkpoint["fulfilled"] + len(checkpoint["patients_failing"]) == checkpoint["applicable"]
        assert all(isinstance(p, int) for p in checkpoint["patients_failing"])
    assert document["checkpoints"][-1]["title"] == "Journalgennemgang af vurdering af epikriser"
    assert all(v is None or isinstance(v, (int, float)) for v in document["outcomes"].values())


def test_the_sample_is_drawn_again_from_its_seed(db: str) -> None:
    first = json.loads(run("--db", db, "quality", "report", "--json", "--sample", "5", "--seed", "9").stdout)
    again = json.loads(run("--db", db, "quality", "report", "--json", "--sample", "5", "--seed", "9").stdout)
    assert first["sample"] == again["sample"] and len(first["sample"]["records"]) == 5
    assert first["sample"]["seed"] == 9


def test_a_period_with_dates(db: str) -> None:
    document = json.loads(run("--db", db, "quality", "report", "--json", "--from", "2000-01-01", "--to",
                              "2000-12-31").stdout)  # fmt: skip
    assert document["period"] == {"from": "2000-01-01", "to": "2000-12-31"} and document["patients"] == 0
    assert all(c["applicable"] == 0 and c["patients_failing"] == [] for c in document["checkpoints"])


def test_the_pdf_names_the_period_and_no_cpr_unless_asked(db: str, tmp_path: Path) -> None:
    target = tmp_path / "tilsyn.pdf"
    result = run("--db", db, "quality", "report", "--out", str(target), "--from", "2025-01-01", "--sample", "3")
    assert result.returncode == 0, result.stderr
    pages = [page.extract_text() for page in PdfReader(target).pages]
    assert all("01.01.2025" in text for text in pages), "the period on every page"
    cprs = json.loads(run("--db", db, "patients", "list", "--json", "--limit", "500").stdout)
    digits = {p["cpr"] for p in cprs if p["cpr"]}
    assert not any(cpr in text for cpr in digits for text in pages)
    assert "Journalgennemgang af vurdering af epikriser" in "".join(pages)
    assert "modtagne epikriser og breve er vurderet" in " ".join(" ".join(pages).split()), "Danish guidance"
    asked = tmp_path / "med-cpr.pdf"
    assert run("--db", db, "quality", "report", "--out", str(asked), "--cpr").returncode == 0
    text = "".join(page.extract_text() for page in PdfReader(asked).pages)
    assert any(cpr in text for cpr in digits), "--cpr prints them beside the names"


@pytest.mark.parametrize("arguments", [["--from", "2026-02-30"], ["--from", "2026-05-01", "--to", "2026-04-30"],
                                       ["--sample", "0"], ["--seed", "4"], ["--sample", "x"], ["--out", "r.txt"],
                                       ["--json", "--out", "r.pdf"], ["--to", "9999-12-31"], ["--to", "0001-01-01"],
                                       ["--from", "1000-01-01", "--to", "2026-01-01"]])  # fmt: skip
def test_bad_input_is_one_clear_line(db: str, arguments: list[str]) -> None:
    result = run("--db", db, "quality", "report", *arguments)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith(("smerteagent", "usage"))


def test_export_records_as_csv_plain_and_pseudonymised(db: str, tmp_path: Path) -> None:
    import csv

    plain = tmp_path / "records.csv"
    result = run("--db", db, "export", "records", "--out", str(plain), "--delimiter", ";")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(plain.read_text("utf-8-sig").splitlines(), delimiter=";"))
    items = {row["item"] for row in rows}
    assert {"medication", "consent", "medication_review"} <= items
    assert any(row["class"] == "opioid" and row["text"] for row in rows)
    key = tmp_path / "keys" / "key.txt"
    key.parent.mkdir()
    key.write_text("a-long-enough-secret-key")
    hidden = tmp_path / "hidden.csv"
    result = run("--db", db, "export", "records", "--out", str(hidden), "--pseudonymise", "--key-file", str(key))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(hidden.read_text("utf-8-sig").splitlines()))
    assert rows and all(len(row["patient"]) == 64 and not row["text"] and not row["by"] for row in rows)


def test_the_patient_bundle_carries_the_plans_record_fields(db: str, tmp_path: Path) -> None:
    out = tmp_path / "bundle.json"
    assert run("--db", db, "export", "fhir", "--patient", "1", "--out", str(out)).returncode == 0
    kinds = {entry["resource"]["resourceType"] for entry in json.loads(out.read_text("utf-8"))["entry"]}
    assert "MedicationStatement" in kinds, "demo patient 1 has a care plan with drugs"


def _quality_events(db: str) -> list[tuple[str, dict[str, object]]]:
    import sqlite3

    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT action, detail FROM audit_events WHERE record_type = 'quality_report' ORDER BY id"
        ).fetchall()
    return [(action, json.loads(detail)) for action, detail in rows]


def test_a_pdf_is_audited_after_it_is_written_with_its_file_and_whether_it_holds_cpr(db: str, tmp_path: Path) -> None:
    before = len(_quality_events(db))
    failed = run("--db", db, "quality", "report", "--out", str(tmp_path / "no-such-folder" / "r.pdf"))
    assert failed.returncode != 0 and "Traceback" not in failed.stderr
    assert len(_quality_events(db)) == before, "a PDF that was not written is no export"
    target = tmp_path / "tilsyn.pdf"
    assert run("--db", db, "quality", "report", "--out", str(target), "--cpr").returncode == 0
    action, detail = _quality_events(db)[-1]
    assert action == "export" and detail["with_cpr"] is True and detail["file"] == str(target)
    refused = run("--db", db, "quality", "report", "--cpr")
    assert refused.returncode == 2 and "--out" in refused.stderr
