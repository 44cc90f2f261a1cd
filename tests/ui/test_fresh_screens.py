"""Screens follow the record: a write (a screening completed, an action recorded, the plan saved) is announced
on the app's context, and the patient page, the visit overview and an open care plan's note follow without
being reopened (issue 15 item 7, issue 18 "screens subscribe to change notifications")."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from smerteagent.core.patients import Patient
from smerteagent.storage.services import Services
from smerteagent.ui.careplan import CarePlanEditor
from smerteagent.ui.main_window import MainWindow
from smerteagent.ui.screening_view import ScreeningView
from tests.ui.helpers import Keyboard, StartMainWindow, add_editor


@pytest.fixture
def window(start_main_window: StartMainWindow, services: Services, qtbot: QtBot) -> Iterator[MainWindow]:
    main = start_main_window(services)
    yield main


def phq4_visit_asking_for_gad7(services: Services, patient: Patient) -> int:
    """A follow-up visit whose PHQ-4 anxiety part is positive: GAD-7 is planned and not yet answered."""
    encounter = services.screenings.start_encounter(patient.id, "gp", battery_id="follow_up")
    for form_id, answers in (("peg", {"q1": 5, "q2": 5, "q3": 5}), ("psfs", {}),
                             ("phq4", {"q1": 2, "q2": 2, "q3": 0, "q4": 0})):  # fmt: skip
        response = services.screenings.start_response(encounter.id, form_id)
        for item, value in answers.items():
            services.screenings.answer(response.id, item, value)
        services.screenings.complete(response.id, None)
    return encounter.id


def test_completing_gad7_after_a_phq4_flag_updates_the_open_page_and_the_note(
    qtbot: QtBot, window: MainWindow, services: Services, patient: Patient
) -> None:
    encounter = phq4_visit_asking_for_gad7(services, patient)
    window.open_patient(patient.id)
    page = window.patient_page
    assert page is not None and "udfyld GAD-7" in page.result_view.text()
    window.open_care_plan()
    editor = window.care_plan_editor
    assert isinstance(editor, CarePlanEditor)
    add_editor(qtbot, editor)
    assert "udfyld GAD-7" in editor.inputs.journal(patient, None, "da", date.today())
    window.resume(encounter)  # the editor stays open: its note must follow too
    view = window.screening
    assert isinstance(view, ScreeningView) and view.session.flow.form.id == "gad7"
    seen: list[str] = []
    notes: list[str] = []

    def look(_result: object) -> None:  # connected after the window's own slot, before the view's "finished"
        seen.append(page.result_view.text())
        notes.append(editor.inputs.journal(patient, None, "da", date.today()))

    view.instrument_finished.connect(look)
    keyboard = Keyboard(view)
    for _ in range(7):  # GAD-7's first two items come carried from PHQ-4 (shown for confirmation)
        keyboard.digit(1)
        if seen:
            break
    if not seen:
        keyboard.enter()  # the last answer of a questionnaire is confirmed with Enter
    assert seen, "GAD-7 was not finished"
    assert "udfyld GAD-7" not in seen[0] and "fulgt op med GAD-7" in seen[0]  # refreshed by the notification
    assert "udfyld GAD-7" not in notes[0] and "fulgt op med GAD-7" in notes[0]  # the open plan's note too


def test_the_save_status_names_the_version_and_unsaved_changes(
    qtbot: QtBot, window: MainWindow, services: Services, patient: Patient
) -> None:
    window.open_patient(patient.id)
    window.open_care_plan()
    editor = window.care_plan_editor
    assert isinstance(editor, CarePlanEditor)
    add_editor(qtbot, editor)
    assert editor.status.text() == "Ikke gemt endnu"
    row = editor.action_table.add_row()
    editor.action_table.cell(row, 0).setText("Gåtur hver dag")
    assert editor.status.text() == "Ikke gemte ændringer (ikke gemt endnu)"
    assert editor.save() is not None
    assert editor.status.text() == "Gemt som version 1 (udkast)"
    importance, _now, _chosen = editor.values_tab.rows["family"]
    importance.setValue(9)  # a tab without a "changed" signal of its own
    assert editor.status.text() == "Ikke gemte ændringer (senest gemt: version 1)"
    assert editor.save() is not None
    assert editor.open_pdf() is not None  # shown to the patient: the version is frozen
    assert editor.status.text() == "Version 1 printet og låst"
    editor.action_table.cell(row, 0).setText("Gåtur hver morgen")
    assert editor.status.text() == "Ikke gemte ændringer (senest gemt: version 1)"
    assert editor.save() is not None
    assert editor.status.text() == "Gemt som version 2 (udkast)"
    assert editor.copy_journal_note() is not None
    assert editor.status.text() == "Gemt som version 2 (udkast) · Journalnotat kopieret"


def test_a_recorded_action_reaches_an_open_care_plan_without_reopening(
    qtbot: QtBot, window: MainWindow, services: Services, patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from smerteagent.ui.safety_banner import SafetyActionDialog

    encounter = services.screenings.start_encounter(patient.id, "gp")
    response = services.screenings.start_response(encounter.id, "phq9")
    for number in range(1, 10):
        services.screenings.answer(response.id, f"q{number}", 1 if number == 9 else 0)
    services.screenings.complete(response.id, None)
    window.open_patient(patient.id)
    window.open_care_plan()
    editor = window.care_plan_editor
    assert isinstance(editor, CarePlanEditor)
    add_editor(qtbot, editor)
    assert editor.inputs.open_alerts == 1
    monkeypatch.setattr(SafetyActionDialog, "exec", lambda self: SafetyActionDialog.DialogCode.Accepted)
    monkeypatch.setattr(SafetyActionDialog, "choice", lambda self: ("assessed_no_acute_risk", "talt med patienten"))
    page = window.patient_page
    assert page is not None
    page.record_safety_action()
    assert editor.inputs.open_alerts == 0 and len(editor.inputs.safety_actions) == 1
    assert page.safety_done.isVisibleTo(page) and "talt med patienten" in page.safety_done.text()


def test_the_page_shows_a_screening_advice_as_followed_up_once_the_instrument_is_done(
    qtbot: QtBot, window: MainWindow, services: Services, patient: Patient
) -> None:
    """GAD-2's band says "Udfyld GAD-7" until GAD-7 is complete, then that it was followed up."""
    encounter = services.screenings.start_encounter(patient.id, "gp")
    for form_id, answers in (("gad2", {"q1": 2, "q2": 2}), ("gad7", {f"q{i}": 1 for i in range(1, 8)})):
        response = services.screenings.start_response(encounter.id, form_id)
        for item, value in answers.items():
            services.screenings.answer(response.id, item, value)
        if form_id == "gad2":
            services.screenings.complete(response.id, None)
            window.open_patient(patient.id)
            page = window.patient_page
            assert page is not None
            page.results.setCurrentRow(1)  # the GAD-2 row, under the visit's overview
            assert "Udfyld GAD-7" in page.result_view.text()
        else:
            services.screenings.complete(response.id, None)
            window.context.changed(patient.id, "screening")  # as the screen that wrote it does
    assert page.results.currentItem().text().split()[1] == "GAD-2"  # the row selected before stays selected
    assert "Udfyld GAD-7" not in page.result_view.text() and "fulgt op med GAD-7" in page.result_view.text()


def test_a_closed_editor_no_longer_reads_the_record_on_changes(
    qtbot: QtBot, window: MainWindow, patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.open_patient(patient.id)
    window.open_care_plan()
    editor = window.care_plan_editor
    assert isinstance(editor, CarePlanEditor)
    add_editor(qtbot, editor)
    reads: list[int] = []
    monkeypatch.setattr(CarePlanEditor, "reload_inputs", lambda self: reads.append(1))
    window.context.changed(patient.id, "screening")
    assert reads == [1]
    editor.reject()  # nothing typed: closes at once
    window.context.changed(patient.id, "screening")
    assert reads == [1]
