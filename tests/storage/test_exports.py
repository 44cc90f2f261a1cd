"""Exports from the register: the CSV rows streamed for a date range, FHIR Bundles, and their audit events."""

from __future__ import annotations

import csv
import importlib
import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from smerteagent import i18n
from smerteagent.cli.main import main as cli_main
from smerteagent.core.errors import StorageUnavailable
from smerteagent.core.interop.csv_export import COLUMNS, Pseudonymiser, write_register
from smerteagent.core.interop.fhir_responses import patient_bundle
from smerteagent.core.patients import PatientInput
from smerteagent.storage.exports import ExportService
from smerteagent.storage.models import AuditEventRow
from smerteagent.storage.services import Services

KEY = b"a clinic secret of enough bytes"


def main(arguments: list[str]) -> int:
    """The CLI as a clinic runs it; it switches the process to English, so the language is put back."""
    with i18n.speaking(i18n.language()):
        return cli_main(arguments)


def screened(services: Services, cpr: str, answers: dict[str, int], form_id: str = "phq9") -> int:
    patient, _ = services.patients.add(PatientInput(given_name="Åse", family_name="Ærø", cpr=cpr))
    encounter = services.screenings.start_encounter(patient.id, "gp")
    response = services.screenings.start_response(encounter.id, form_id)
    for item, value in answers.items():
        services.screenings.answer(response.id, item, value)
    services.screenings.complete(response.id, patient.sex)
    return patient.id


def test_csv_has_stable_columns_and_pseudonymises(services: Services) -> None:
    screened(services, "070761-4285", {f"q{n}": 2 for n in range(1, 10)})
    phq9 = services.forms.get("phq9")
    plain, hashed = io.StringIO(), io.StringIO()
    assert write_register(services.exports.register(), plain, delimiter=";", form=phq9) == 1
    write_register(services.exports.register(), hashed, pseudonymise=Pseudonymiser(KEY))
    row = next(csv.DictReader(io.StringIO(plain.getvalue()), delimiter=";"))
    assert list(row)[: len(COLUMNS)] == list(COLUMNS)
    assert (row["patient"], row["form"], row["total"], row["band"], row["item.q9"]) == (
        "070761-4285", "phq9", "18", "moderately_severe", "2",
    )  # fmt: skip
    assert row["flags"] == "suicide_risk" and row["age"].isdigit()
    pseudonymous = next(csv.DictReader(io.StringIO(hashed.getvalue())))
    assert len(pseudonymous["patient"]) == 64 and "0707614285" not in hashed.getvalue()
    assert "Ærø" not in plain.getvalue() and "Ærø" not in hashed.getvalue()  # names never leave


def test_the_date_range_includes_both_days(services: Services) -> None:
    screened(services, "070761-4285", {"q1": 1, "q2": 1}, "phq2")
    today = date.today()
    assert len(list(services.exports.register(today, today))) == 1
    assert list(services.exports.register(today + timedelta(days=1))) == []
    assert list(services.exports.register(None, today - timedelta(days=1))) == []
    assert list(services.exports.register(form_id="gad7")) == []


def test_patient_bundle_is_valid_fhir_and_the_same_every_time(services: Services) -> None:
    fhir = pytest.importorskip("fhir.resources.R4B.bundle")
    patient_id = screened(services, "070761-4285", {f"q{n}": 1 for n in range(1, 8)}, "gad7")
    patient = services.patients.get(patient_id)
    responses = services.screenings.responses(patient_id, status="complete")
    bundle = patient_bundle(patient, responses, services.forms.forms)
    parsed: Any = fhir.Bundle.model_validate(bundle)
    kinds = [entry.resource.get_resource_type() for entry in parsed.entry]
    assert kinds == ["Patient", "QuestionnaireResponse", "Observation"]
    observation = bundle["entry"][2]["resource"]
    assert observation["code"]["coding"][0] == {"system": "http://loinc.org", "code": "70274-6"}
    assert (
        observation["valueQuantity"]["value"] == 7 and observation["interpretation"][0]["coding"][0]["code"] == "mild"
    )
    again = patient_bundle(patient, responses, services.forms.forms)
    assert [e["fullUrl"] for e in again["entry"]] == [e["fullUrl"] for e in bundle["entry"]]
    for entry in bundle["entry"]:
        module = importlib.import_module(f"fhir.resources.R4B.{entry['resource']['resourceType'].lower()}")
        getattr(module, entry["resource"]["resourceType"]).model_validate(entry["resource"])


def export_events(services: Services) -> list[Any]:
    with services.database.engine.connect() as connection:
        return list(connection.execute(
            select(AuditEventRow.record_type, AuditEventRow.record_id, AuditEventRow.detail)
            .where(AuditEventRow.action == "export").order_by(AuditEventRow.id)
        ).all())  # fmt: skip


def test_the_export_commands_audit_what_went_out(services: Services, database_url: str, tmp_path: Path) -> None:
    patient_id = screened(services, "070761-4285", {f"q{n}": 1 for n in range(1, 8)}, "gad7")
    (response,) = services.screenings.responses(patient_id, status="complete")
    assert export_events(services) == []
    out = tmp_path / "bundle.json"
    assert main(["--db", database_url, "export", "fhir", "--patient", str(patient_id), "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["entry"][1]["resource"]["identifier"]["value"] == str(
        response.id
    )
    register = tmp_path / "register.csv"
    assert main(["--db", database_url, "export", "csv", "--out", str(register), "--form", "gad7"]) == 0
    (fhir_event, csv_event) = export_events(services)
    assert fhir_event[:2] == ("patient", str(patient_id))
    assert fhir_event[2] == {"format": "fhir", "responses": [response.id], "to": str(out)}
    assert csv_event[:2] == ("register", None)
    assert (csv_event[2]["rows"], csv_event[2]["form"], csv_event[2]["file"]) == (1, "gad7", str(register))


def test_no_export_file_is_left_without_its_audit_event(
    services: Services, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    patient_id = screened(services, "070761-4285", {f"q{n}": 1 for n in range(1, 8)}, "gad7")

    def unavailable(*_: object) -> None:
        raise StorageUnavailable("locked")

    monkeypatch.setattr(ExportService, "record_export", unavailable)
    bundle, register = tmp_path / "bundle.json", tmp_path / "register.csv"
    assert main(["--db", database_url, "export", "fhir", "--patient", str(patient_id), "--out", str(bundle)]) == 1
    assert main(["--db", database_url, "export", "csv", "--out", str(register)]) == 1
    assert not bundle.exists() and not register.exists()
    assert export_events(services) == []
