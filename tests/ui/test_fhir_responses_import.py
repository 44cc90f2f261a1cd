"""The patient page takes FHIR responses in through the same use case as the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from smerteagent.core.patients import Patient
from smerteagent.storage.services import Services
from smerteagent.ui.context import AppContext
from smerteagent.ui.patient_page import PatientPage


def phq9_response(q9: int) -> dict[str, object]:
    items = [{"linkId": f"q{n}", "answer": [{"valueCoding": {"system": "urn:smerteagent:form:phq9:answer",
                                                              "code": str(q9 if n == 9 else 1)}}]}
             for n in range(1, 10)]  # fmt: skip
    return {"resourceType": "QuestionnaireResponse", "status": "completed", "authored": "2025-01-02T10:00:00+01:00",
            "questionnaire": "urn:smerteagent:form:phq9|1.0", "item": items}  # fmt: skip


def test_the_page_imports_shows_the_report_and_raises_the_alert(
    qtbot: QtBot, services: Services, patient: Patient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr("smerteagent.ui.patient_page.QMessageBox.information", lambda _p, _t, text: shown.append(text))
    context = AppContext()
    context.set_services(services)
    page = PatientPage(context)
    qtbot.addWidget(page)
    page.show_patient(patient)
    path = tmp_path / "r.json"
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": phq9_response(2)}, {"resource": {**phq9_response(0), "status": "in-progress"}}]}  # fmt: skip
    path.write_text(json.dumps(bundle), encoding="utf-8")
    report = page.import_fhir_responses(path)
    assert report is not None and len(report.taken) == 1 and len(report.refused) == 1
    assert shown and shown[0].splitlines()[0] == "1 taget, 1 afvist, 0 allerede gemt."
    assert page.results.count() == 2 and not page.safety.isHidden()  # the visit overview and the response
    assert [a.flag for a in services.screenings.open_alerts(patient.id)] == ["suicide_risk"]


def test_a_file_that_cannot_be_read_is_one_warning(
    qtbot: QtBot, services: Services, patient: Patient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warned: list[str] = []
    monkeypatch.setattr("smerteagent.ui.operations.QMessageBox.warning", lambda _p, _t, text: warned.append(text))
    context = AppContext()
    context.set_services(services)
    page = PatientPage(context)
    qtbot.addWidget(page)
    page.show_patient(patient)
    (tmp_path / "x.json").write_text("{not json", encoding="utf-8")
    assert page.import_fhir_responses(tmp_path / "x.json") is None
    assert len(warned) == 1 and "not JSON" in warned[0]
