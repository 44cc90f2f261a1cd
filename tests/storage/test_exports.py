"""Exports from the register: the CSV rows streamed for a date range, FHIR Bundles, and their audit events."""

from __future__ import annotations

import csv
import importlib
import io
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from smerteagent.core.interop.csv_export import COLUMNS, Pseudonymiser, write_register
from smerteagent.core.interop.fhir_responses import patient_bundle
from smerteagent.core.patients import PatientInput
from smerteagent.storage.models import AuditEventRow
from smerteagent.storage.services import Services

KEY = b"a clinic secret of enough bytes"


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


def test_patient_bundle_is_valid_fhir_and_audited(services: Services) -> None:
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
    services.exports.record_export("patient", patient_id, {"format": "fhir"})
    with services.database.engine.connect() as connection:
        actions = connection.execute(select(AuditEventRow.action, AuditEventRow.record_type)).all()
    assert ("export", "patient") in actions
