"""The care-plan editor: prefilled from screening and the previous plan, saved in versions, a live
completeness checklist, the journal note on the clipboard, and a printed (frozen) PDF."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QComboBox
from pytestqt.qtbot import QtBot

from smerteagent.core.patients import Patient
from smerteagent.storage.services import Services
from smerteagent.ui.careplan_editor import CarePlanEditor
from smerteagent.ui.context import AppContext
from smerteagent.ui.main_window import MainWindow

STARTBACK_MEDIUM = [1, 0, 1, 0, 1, 1, 0, 0, 3]


def complete(services: Services, patient: Patient, form_id: str, answers: list[int]) -> None:
    encounter = services.screenings.start_encounter(patient.id, "gp")
    response = services.screenings.start_response(encounter.id, form_id)
    for number, value in enumerate(answers, start=1):
        services.screenings.answer(response.id, f"q{number}", value)
    services.screenings.complete(response.id, None)


@pytest.fixture
def editor(qtbot: QtBot, services: Services, patient: Patient) -> Iterator[CarePlanEditor]:
    complete(services, patient, "startback", STARTBACK_MEDIUM)
    dialog = CarePlanEditor(services, patient)
    qtbot.addWidget(dialog)
    dialog.show()
    yield dialog


def fill_value_goal_action(editor: CarePlanEditor) -> None:
    importance, now, chosen = editor.value_rows["family"]
    importance.setValue(9)
    now.setValue(4)
    chosen.setChecked(True)
    row = editor.goal_table.add_row()
    for column, text in ((1, "Lege med børnebørnene"), (2, "Minutter"), (3, "5"), (4, "30"), (5, "01.03.2027")):
        editor.goal_table.cell(row, column).setText(text)
    row = editor.action_table.add_row()
    editor.action_table.cell(row, 0).setText("Gåtur hver dag")
    who = editor.action_table.cellWidget(row, 1)
    assert isinstance(who, QComboBox)
    who.setCurrentIndex(who.findData("physiotherapist"))


def missing_lines(editor: CarePlanEditor) -> list[str]:
    lines = [editor.checklist.item(i).text() for i in range(editor.checklist.count())]
    return [line[2:] for line in lines if line.startswith("✗")]


def test_banner_shows_the_patient(editor: CarePlanEditor) -> None:
    assert editor.banner.isVisible()
    assert "Søren Ærø" in editor.banner.label.text() and "070761" in editor.banner.label.text()


def test_new_plan_has_the_startback_matched_treatment_checked(editor: CarePlanEditor) -> None:
    assert len(editor.treatments()) == 1
    first = editor.suggestions.item(0)
    assert first.checkState() == Qt.CheckState.Checked and first.text() == editor.treatments()[0]
    assert editor.safety_box.isHidden(), "no suicide-risk flag, no safety plan"


def test_save_stores_value_goal_and_action(editor: CarePlanEditor, services: Services, patient: Patient) -> None:
    fill_value_goal_action(editor)
    first = editor.save()
    assert first is not None and first.revision > 0
    stored = services.careplans.current(patient.id)
    assert stored is not None
    assert stored.chosen_domains == ["family"]
    assert [(v.importance, v.current) for v in stored.values if v.domain == "family"] == [(9, 4)]
    goal = stored.goals[0]
    assert (goal.value_domain, goal.description, goal.baseline, goal.target) == (
        "family",
        "Lege med børnebørnene",
        5,
        30,
    )
    assert goal.target_date is not None and goal.target_date.isoformat() == "2027-03-01"
    assert [(a.what, a.who) for a in stored.actions] == [("Gåtur hver dag", "physiotherapist")]
    assert stored.treatments == tuple(editor.treatments())
    editor.consent.setChecked(True)
    assert editor.save() is not None, "the second save carries the revision of the first"
    assert services.careplans.current(patient.id).consent_given  # type: ignore[union-attr]
    reopened = CarePlanEditor(services, patient)
    assert reopened.value_rows["family"][2].isChecked() and reopened.goal_table.text(0, 1) == "Lege med børnebørnene"
    reopened.deleteLater()


def test_checklist_follows_the_form(editor: CarePlanEditor) -> None:
    consent = "Informeret samtykke registreret"
    assert consent in missing_lines(editor)
    editor.consent.setChecked(True)
    assert consent not in missing_lines(editor)
    follow_up = "Opfølgningsdato fastsat"
    assert follow_up in missing_lines(editor)
    editor.follow_up_on.setText("15.01.2027")
    assert follow_up not in missing_lines(editor)


def test_medication_shows_morphine_equivalent(editor: CarePlanEditor) -> None:
    row = editor.medication_table.add_row()
    editor.medication_table.cell(row, 0).setText("Oxycodon")
    editor.medication_table.cell(row, 2).setText("20")
    assert "30" in editor.medication_info.text()


def test_copy_journal_note(editor: CarePlanEditor) -> None:
    fill_value_goal_action(editor)
    note = editor.copy_journal_note()
    assert QApplication.clipboard().text() == note
    assert "Søren Ærø" in note and "Lege med børnebørnene" in note
    last = editor.services.audit.events()[-1]
    assert (last.action, last.record_type, last.record_id, last.detail) == (
        "export", "patient", str(editor.patient.id), {"document": "journal_note"},
    )  # fmt: skip


def test_print_writes_a_pdf_and_freezes_the_version(
    editor: CarePlanEditor, services: Services, patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    fill_value_goal_action(editor)
    path = editor.print_plan()
    assert path is not None and path.read_bytes().startswith(b"%PDF")
    assert [Path(url.toLocalFile()) for url in opened] == [path]
    versions = services.careplans.versions(patient.id)
    assert [v.status for v in versions] == ["frozen"]
    editor.consent.setChecked(True)
    assert editor.save() is not None
    assert [v.status for v in services.careplans.versions(patient.id)] == ["frozen", "draft"]


def test_safety_plan_shown_after_a_suicide_risk_flag(qtbot: QtBot, services: Services, patient: Patient) -> None:
    complete(services, patient, "phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1])
    dialog = CarePlanEditor(services, patient)
    qtbot.addWidget(dialog)
    assert not dialog.safety_box.isHidden()
    dialog.safety["warning_signs"].setText("Isolerer mig; sover ikke")
    assert dialog.plan().safety_plan is not None
    assert dialog.plan().safety_plan.warning_signs == ("Isolerer mig", "sover ikke")  # type: ignore[union-attr]


def test_patient_page_opens_the_editor(
    qtbot: QtBot, services: Services, patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(MainWindow, "greet", lambda self: None)
    context = AppContext()
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    context.set_services(services)
    window.open_patient(patient.id)
    assert window.patient_page is not None
    window.patient_page.care_plan_requested.emit()
    editor = window.care_plan_editor
    assert editor is not None and editor.isVisible() and editor.patient.id == patient.id
    editor.reject()


def test_an_unreadable_date_stops_the_save_and_says_so(
    qtbot: QtBot, services: Services, patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr("smerteagent.ui.operations.QMessageBox.warning", lambda _p, _t, text: shown.append(text))
    editor = CarePlanEditor(services, patient)
    qtbot.addWidget(editor)
    editor.follow_up_on.setText("31.02.2027")
    editor.update_live()  # the live checklist tolerates it while typing
    assert editor.save() is None
    assert shown and "31.02.2027" in shown[0]
    assert services.careplans.current(patient.id) is None


def test_clinician_summary_opens_without_freezing(
    editor: CarePlanEditor, services: Services, patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pypdf import PdfReader

    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    fill_value_goal_action(editor)
    path = editor.open_summary()
    assert path is not None and [Path(url.toLocalFile()) for url in opened] == [path]
    reader = PdfReader(path)
    assert len(reader.pages) == 1 and patient.family_name in reader.pages[0].extract_text()
    assert [v.status for v in services.careplans.versions(patient.id)] == ["draft"]
    last = services.audit.events()[-1]
    assert (last.action, last.detail) == (
        "print",
        {"number": 1, "patient": patient.id, "document": "clinician_summary"},
    )
