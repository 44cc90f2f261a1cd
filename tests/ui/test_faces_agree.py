"""The app and the command line do the same act the same way (issue 18): one audit action for one act,
the same journal note for the same patient, written once in smerteagent.usecases.careplan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from smerteagent.cli.main import main as cli
from smerteagent.core.patients import Patient
from smerteagent.storage.services import Services
from smerteagent.ui.careplan import CarePlanEditor
from smerteagent.ui.screening_view import ScreeningView
from smerteagent.usecases.screening import ScreeningSession
from tests.ui.test_careplan_editor import editor, fill_value_goal_action

__all__ = ["editor"]


def database(tmp_path: Path) -> str:
    return str(tmp_path / "clinic.sqlite")  # the file the `services` fixture opened


def last_event(services: Services) -> tuple[str, str, object]:
    event = services.audit.events()[-1]
    return event.action, event.record_type, event.detail.get("document")


def test_the_journal_note_is_the_same_text_and_the_same_event_in_both_faces(
    editor: CarePlanEditor, services: Services, patient: Patient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill_value_goal_action(editor)
    in_app = editor.copy_journal_note()
    app_event = last_event(services)
    capsys.readouterr()
    assert cli(["--db", database(tmp_path), "careplan", "note", "--patient", str(patient.id), "--lang", "da"]) == 0
    assert capsys.readouterr().out == in_app
    assert last_event(services) == app_event == ("export", "patient", "journal_note")


def test_a_clinician_summary_written_to_a_file_is_the_same_event_in_both_faces(
    editor: CarePlanEditor, services: Services, patient: Patient, tmp_path: Path
) -> None:
    fill_value_goal_action(editor)
    viewer = editor.open_summary()
    assert viewer is not None
    assert last_event(services) == ("view", "care_plan", "clinician_summary")  # read on screen: nothing left the app
    assert viewer.save_to(tmp_path / "from-the-app.pdf") is not None  # "Save as…"
    app_event = last_event(services)
    out = tmp_path / "from-the-cli.pdf"
    arguments = ["--db", database(tmp_path), "careplan", "export", "--summary", "--patient", str(patient.id)]
    assert cli([*arguments, "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert last_event(services) == app_event == ("export", "care_plan", "clinician_summary")


def test_the_patient_plan_written_to_a_file_freezes_and_is_audited_alike(
    editor: CarePlanEditor, services: Services, patient: Patient, tmp_path: Path
) -> None:
    fill_value_goal_action(editor)
    viewer = editor.open_pdf()
    assert viewer is not None
    assert last_event(services) == ("view", "care_plan", "patient_plan")
    assert viewer.save_to(tmp_path / "plan.pdf") is not None
    app_event = last_event(services)
    arguments = ["--db", database(tmp_path), "careplan", "export", "--patient", str(patient.id)]
    assert cli([*arguments, "--out", str(tmp_path / "plan-cli.pdf")]) == 0
    assert last_event(services) == app_event == ("export", "care_plan", "patient_plan")
    assert services.careplans.current(patient.id).status == "frozen"  # type: ignore[union-attr]


TYPED = ["7", "-0", "", "none", "NULL", " 7", "7 ", "+7", "٧", "7.0", "7_0", "²", "9" * 5000, "seven"]


def typed_in_the_app(qtbot: QtBot, services: Services, patient: Patient, text: str) -> tuple[bool, object]:
    """Accepted or refused by the app's answer field on PEG's first (numeric) item, and the value kept."""
    session = ScreeningSession.start(services, patient, "gp", form_id="peg")
    view = ScreeningView(session)
    qtbot.addWidget(view)
    view.entry.setValidator(None)  # what the validator lets through differs by platform: the rule is the point
    view.show()
    view.entry.setText(text)
    view.next()
    if view.error.text():
        return False, None
    stored = services.screenings.get(session.responses["peg"]).answers if "peg" in session.responses else {}
    return True, stored.get("q1")


def typed_on_the_command_line(text: str, capsys: pytest.CaptureFixture[str]) -> tuple[bool, object]:
    accepted = cli(["score", "peg", f"q1={text}", "q2=1", "q3=1", "--json"]) == 0
    if not accepted:
        return False, None
    result = json.loads(capsys.readouterr().out)  # PEG's total is the mean of q1, q2 = 1 and q3 = 1
    return True, None if "q1" in result["missing"] else round(result["results"]["total"] * 3 - 2)


@pytest.mark.parametrize("text", TYPED, ids=range(len(TYPED)))
def test_a_typed_answer_is_read_alike_in_both_faces(
    qtbot: QtBot, services: Services, patient: Patient, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    in_app = typed_in_the_app(qtbot, services, patient, text)
    assert typed_on_the_command_line(text, capsys) == in_app


def test_a_visit_started_on_the_command_line_is_prefilled_as_in_the_app(
    services: Services, patient: Patient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    in_app = ScreeningSession.start(services, patient, "pain_clinic", form_id="ort").response("ort").answers
    capsys.readouterr()
    arguments = ["screening", "start", "--patient", str(patient.id), "--form", "ort", "--setting", "pain_clinic"]
    assert cli(["--db", database(tmp_path), *arguments, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["answers"] == in_app == {"q7": 0}  # age 65 from the CPR: not 16–45
