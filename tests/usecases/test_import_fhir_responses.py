"""Importing QuestionnaireResponses for a patient: stored complete with their date and source, scored,
flags raised, refusals listed, nothing stored twice — and an exact round trip with our own export."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from smerteagent.core.interop.fhir_input import FhirInputError
from smerteagent.core.interop.fhir_responses import patient_bundle
from smerteagent.core.patients import PatientInput
from smerteagent.storage.services import Services, open_services
from smerteagent.usecases.import_fhir_responses import NoResponses, import_responses

CPR = "0707614285"


def patient(services: Services, cpr: str = CPR) -> int:
    found, _ = services.patients.add(PatientInput("Åse", "Ærø", cpr=cpr))
    return found.id


def answered(services: Services, patient_id: int, form_id: str, answers: dict[str, Any]) -> None:
    encounter = services.screenings.start_encounter(patient_id, "gp")
    response = services.screenings.start_response(encounter.id, form_id)
    for item, value in answers.items():
        services.screenings.answer(response.id, item, value)
    services.screenings.complete(response.id, "female")


def export(services: Services, patient_id: int, path: Path) -> dict[str, Any]:
    summary = services.patients.get(patient_id, audit=False)
    bundle = patient_bundle(summary, services.screenings.responses(patient_id, status="complete"), services.forms.forms)
    path.write_text(json.dumps(bundle), encoding="utf-8")
    return bundle


def without_record_ids(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    """The resources without what names the stored record (its id and the fullUrls derived from it)."""
    found = []
    for entry in bundle["entry"]:
        resource = {k: v for k, v in entry["resource"].items() if k not in ("identifier", "derivedFrom", "subject")}
        if entry["resource"]["resourceType"] == "Patient":
            resource = entry["resource"]
        found.append(resource)
    return found


def test_our_own_export_round_trips_exactly(services: Services, tmp_path: Path, sqlite_template: Path) -> None:
    first = patient(services)
    answered(services, first, "phq9", {f"q{n}": n % 4 for n in range(1, 10)})
    answered(services, first, "peg", {"q1": 3, "q2": 4})  # q3 missing: the mean is withheld
    answered(services, first, "psfs", {"q1_activity": "Gå tur: 2 km", "q1": 4})
    bundle = export(services, first, tmp_path / "out.json")
    shutil.copy(sqlite_template, tmp_path / "other.sqlite")
    other_clinic = open_services(f"sqlite:///{tmp_path / 'other.sqlite'}", services.forms, actor="other-clinician")
    try:
        same_person = patient(other_clinic)
        report = import_responses(other_clinic, same_person, tmp_path / "out.json")
        assert [t.form_id for t in report.taken] == ["phq9", "peg", "psfs"] and not report.refused
        again = export(other_clinic, same_person, tmp_path / "again.json")
        assert without_record_ids(again) == without_record_ids(bundle)
        stored = other_clinic.screenings.responses(same_person)
        assert [(r.answers, r.score) for r in stored] == [
            (r.answers, r.score) for r in services.screenings.responses(first)
        ]
    finally:
        other_clinic.close()


def test_a_second_import_stores_nothing_and_another_cpr_is_refused(services: Services, tmp_path: Path) -> None:
    source = patient(services)
    answered(services, source, "phq9", {**{f"q{n}": 0 for n in range(1, 9)}, "q9": 2})
    export(services, source, tmp_path / "phq9.json")
    report = import_responses(services, source, tmp_path / "phq9.json")
    assert report.already_stored == ["entry[1]"] and not report.taken and not report.refused
    other = patient(services, "0101901234")
    report = import_responses(services, other, tmp_path / "phq9.json")
    assert not report.taken and [r.reason for r in report.refused] == [
        "the response is about another patient (a different CPR)"
    ]
    assert services.screenings.responses(other) == []


def test_flags_of_imported_responses_raise_the_alert(services: Services, tmp_path: Path) -> None:
    def coded(value: int) -> list[dict[str, Any]]:
        return [{"valueCoding": {"system": "urn:smerteagent:form:phq9:answer", "code": str(value)}}]

    items = [{"linkId": f"q{n}", "answer": coded(3 if n == 9 else 0)} for n in range(1, 10)]
    response = {"resourceType": "QuestionnaireResponse", "status": "completed", "id": "ext-1", "item": items,
                "authored": "2025-01-02T10:00:00+01:00", "questionnaire": "http://loinc.org/q/44249-1"}  # fmt: skip
    (tmp_path / "r.json").write_text(json.dumps(response), encoding="utf-8")
    target = patient(services)
    report = import_responses(services, target, tmp_path / "r.json")
    (taken,) = report.taken
    assert taken.score is not None and "suicide_risk" in taken.score.flags and taken.score.results["total"] == 3
    stored = services.screenings.get(taken.response_id)
    assert stored.status == "complete" and stored.completed_at == datetime(2025, 1, 2, 9, 0).replace(
        tzinfo=__import__("datetime").timezone.utc).astimezone().replace(tzinfo=None)  # fmt: skip
    assert [a.flag for a in services.screenings.open_alerts(target)] == ["suicide_risk"]
    encounter = next(e for e in services.screenings.encounters(target) if e.id == stored.encounter_id)
    assert encounter.setting == "imported" and encounter.note == "FHIR file r.json, QuestionnaireResponse ext-1"


def test_refusals_are_listed_and_the_rest_is_taken(services: Services, tmp_path: Path) -> None:
    good = {"resourceType": "QuestionnaireResponse", "status": "completed", "authored": "2025-01-02",
            "questionnaire": "urn:smerteagent:form:peg|1.0",
            "item": [{"linkId": f"q{n}", "answer": [{"valueInteger": 5}]} for n in (1, 2, 3)]}  # fmt: skip
    bad = {**good, "item": [{"linkId": "q1", "answer": [{"valueInteger": 12}]}]}
    draft = {**good, "status": "in-progress"}
    bundle = {"resourceType": "Bundle", "type": "collection",
              "entry": [{"resource": r} for r in (good, bad, draft)]}  # fmt: skip
    (tmp_path / "b.json").write_text(json.dumps(bundle), encoding="utf-8")
    report = import_responses(services, patient(services), tmp_path / "b.json")
    assert [t.where for t in report.taken] == ["entry[0]"]
    assert [(r.where, "allowed range" in r.reason or "completed" in r.reason) for r in report.refused] == [
        ("entry[1]", True), ("entry[2]", True)]  # fmt: skip
    assert report.as_json()["taken"][0]["results"] == {"total": 5}


def test_a_file_that_cannot_be_used_stores_nothing(services: Services, tmp_path: Path) -> None:
    target = patient(services)
    (tmp_path / "q.json").write_text(json.dumps({"resourceType": "Questionnaire"}), encoding="utf-8")
    with pytest.raises(NoResponses, match="no QuestionnaireResponse"):
        import_responses(services, target, tmp_path / "q.json")
    (tmp_path / "deep.json").write_text("[" * 500 + "]" * 500, encoding="utf-8")
    with pytest.raises(FhirInputError, match="nested more than 100"):
        import_responses(services, target, tmp_path / "deep.json")
    assert services.screenings.responses(target) == []
