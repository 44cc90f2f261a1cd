"""Screening at the desk: keyboard only, one key per answer, follow-ups, the suicide-risk banner,
the patient's own mode behind a PIN, and the language switch."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from smerteagent import i18n
from smerteagent.core.careplan.suggestions import bundled_recommendations
from smerteagent.core.patients import Patient
from smerteagent.storage.screening_session import ScreeningSession
from smerteagent.storage.services import Services, open_services
from smerteagent.ui.main_window import MainWindow
from smerteagent.ui.safety_banner import SafetyActionDialog
from smerteagent.ui.screening_view import ScreeningView
from smerteagent.ui.self_completion import SelfCompletionWindow
from smerteagent.usecases.patient_mode import PatientMode
from tests.ui.helpers import Keyboard


@pytest.fixture
def window(main_window: MainWindow, patient: Patient) -> Iterator[MainWindow]:
    main_window.open_patient(patient.id)
    yield main_window


def answer_choices(keyboard: Keyboard, form_id: str, values: list[int]) -> None:
    for value in values:
        assert keyboard.view.session.flow.form.id == form_id
        keyboard.digit(value)


def test_gp_battery_keyboard_only(qtbot: QtBot, window: MainWindow, services: Services, patient: Patient) -> None:
    window.start_battery("gp_first_back", "gp", {"on_opioids": False})
    view = window.screening
    assert isinstance(view, ScreeningView)
    keyboard = Keyboard(view)
    answers = 0
    answer_choices(keyboard, "startback", [1, 0, 1, 0, 1, 1, 0, 0, 3])
    keyboard.enter()  # the last answer of a questionnaire is confirmed with Enter
    answers += 9
    for value in (6, 5, 7):  # PEG: a number and Enter
        keyboard.digit(value)
        keyboard.enter()
        answers += 1
    assert view.session.flow.form.id == "psfs"
    keyboard.type("Gå tur")
    keyboard.enter()
    keyboard.digit(4)
    keyboard.enter()
    answers += 2
    for _ in range(4):  # the other PSFS activities are left empty: one Enter each
        keyboard.enter()
    answer_choices(keyboard, "phq4", [1, 1, 2, 2])  # depression part 4 >= 3: PHQ-9 follows
    keyboard.enter()
    answers += 4
    assert view.error.text() == ""
    assert [p.form_id for p in view.session.flow.planned][-1] == "phq9"
    why, instructions = view.instructions.text().split("\n")  # on lines of their own, not run together
    assert "PHQ-4" in why and instructions.startswith("Hvor ofte")
    answer_choices(keyboard, "phq9", [1, 2, 1, 1, 0, 1, 0, 0, 0])
    keyboard.enter()
    answers += 9
    # One press per choice answer (+ Enter to finish a questionnaire that ends on a choice); typed
    # answers need their characters and Enter; a skipped question is one Enter.
    assert keyboard.presses == (9 + 1) + 3 * 2 + (len("Gå tur") + 1) + 2 + 4 + (4 + 1) + (9 + 1)
    assert answers == 9 + 3 + 2 + 4 + 9
    assert window.stack.currentWidget() is window.patient_page
    stored = {r.form_id: r for r in services.screenings.responses(patient.id)}
    assert set(stored) == {"startback", "peg", "psfs", "phq4", "phq9"}
    assert stored["startback"].score is not None and stored["startback"].score.band == "medium"
    assert stored["peg"].answers == {"q1": 6, "q2": 5, "q3": 7}
    assert stored["psfs"].answers == {"q1_activity": "Gå tur", "q1": 4}
    assert all(r.status == "complete" for r in stored.values())
    assert window.patient_page is not None and not window.patient_page.safety.isVisible()


def test_back_and_clear(qtbot: QtBot, window: MainWindow, services: Services) -> None:
    window.start_form("phq9", "gp")
    view = window.screening
    assert isinstance(view, ScreeningView)
    keyboard = Keyboard(view)
    keyboard.digit(2)
    keyboard.key(Qt.Key.Key_Left)
    assert view.session.flow.item.id == "q1" and view.session.flow.current_answer() == 2
    keyboard.key(Qt.Key.Key_Backspace)
    assert view.session.flow.current_answer() is None
    response_id = view.session.responses["phq9"]
    assert services.screenings.get(response_id).answers == {}


def test_critical_flag_banner_stays_until_an_action_is_recorded(
    qtbot: QtBot, window: MainWindow, services: Services, patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.start_form("phq9", "gp")
    view = window.screening
    assert isinstance(view, ScreeningView)
    keyboard = Keyboard(view)
    answer_choices(keyboard, "phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1])
    assert view.alert.isVisible() and "9" in view.alert.text(), "the desk sees the risk the moment it is given"
    keyboard.enter()
    page = window.patient_page
    assert page is not None and window.stack.currentWidget() is page
    assert page.safety.isVisible() and "9" in page.safety.text.text()
    window.show_list()
    window.open_patient(patient.id)
    assert page.safety.isVisible(), "reopening the patient does not dismiss the banner"
    monkeypatch.setattr(SafetyActionDialog, "exec", lambda self: SafetyActionDialog.DialogCode.Rejected)
    page.record_safety_action()
    assert page.safety.isVisible(), "cancelling records nothing"
    monkeypatch.setattr(SafetyActionDialog, "exec", lambda self: SafetyActionDialog.DialogCode.Accepted)
    monkeypatch.setattr(SafetyActionDialog, "choice", lambda self: ("safety_plan_made", "Plan i journal"))
    page.record_safety_action()
    assert not page.safety.isVisible()
    assert services.screenings.open_alerts(patient.id) == []


def test_no_action_is_chosen_in_advance(qtbot: QtBot) -> None:
    dialog = SafetyActionDialog("test")
    qtbot.addWidget(dialog)
    assert dialog.action.currentData() is None
    dialog._accept_if_complete()
    assert dialog.result() != SafetyActionDialog.DialogCode.Accepted, "Enter alone records nothing"
    dialog.action.setCurrentIndex(dialog.action.findData("acute_referral"))
    dialog._accept_if_complete()
    assert dialog.result() == SafetyActionDialog.DialogCode.Accepted


def test_other_action_needs_a_note(qtbot: QtBot) -> None:
    dialog = SafetyActionDialog("test")
    qtbot.addWidget(dialog)
    dialog.action.setCurrentIndex(dialog.action.findData("other"))
    dialog._accept_if_complete()
    assert dialog.result() != SafetyActionDialog.DialogCode.Accepted
    dialog.note.setPlainText("Ringet til vagtlæge")
    dialog._accept_if_complete()
    assert dialog.result() == SafetyActionDialog.DialogCode.Accepted


def test_self_completion_stays_with_one_patient_behind_a_pin(
    qtbot: QtBot, window: MainWindow, services: Services, patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.settings.save(services.settings.load().with_text("self_completion_pin", "471108"))
    session = ScreeningSession.start(services, patient, "gp", form_id="phq2")
    patient_window = SelfCompletionWindow(window.context, session, PatientMode(services), window)
    qtbot.addWidget(patient_window)
    patient_window.show()
    assert patient_window.isModal() or patient_window.windowModality() == Qt.WindowModality.ApplicationModal
    assert all(w.accessibleName() != "Find patient" for w in patient_window.findChildren(QLineEdit))
    patient_window.switch_language("en")
    assert patient_window.view.question.text() == "Little interest or pleasure in doing things"
    Keyboard(patient_window.view).digit(1)
    patient_window.close()
    assert patient_window.pin_dialog is not None
    patient_window.pin_dialog.pin.setText("000000")
    patient_window.pin_dialog.submit()
    assert patient_window.isVisible(), "a wrong PIN keeps the patient's mode open"
    patient_window.pin_dialog.reject()
    qtbot.keyClick(patient_window, Qt.Key.Key_Escape)
    assert patient_window.isVisible() and patient_window.pin_dialog.isVisible(), "Escape only asks for the PIN"
    patient_window.mode.not_before = 0  # the wrong PIN's back-off is over (tests/usecases checks it)
    patient_window.pin_dialog.pin.setText("471108")
    patient_window.pin_dialog.submit()
    assert not patient_window.isVisible()
    assert i18n.language() == "da", "the clinician's language comes back"
    assert services.screenings.get(session.responses["phq2"]).answers == {"q1": 1}


def test_language_switch(qtbot: QtBot, window: MainWindow, services: Services) -> None:
    assert window.menuBar().actions()[0].text() == "&Patienter"
    i18n.set_language("en")
    window.context.language_did_change.emit("en")
    assert window.menuBar().actions()[0].text() == "&Patients"
    assert window.patient_page is not None and "Male" in window.patient_page.banner.label.text()
    window.start_form("gad2", "gp")
    assert isinstance(window.screening, ScreeningView)
    assert window.screening.question.text() == "Feeling nervous, anxious, or on edge"


def test_switching_patient_keeps_the_draft_resumable(
    qtbot: QtBot, window: MainWindow, services: Services, patient: Patient
) -> None:
    from smerteagent.core.patients import PatientInput

    window.start_battery("follow_up", "gp", {})
    view = window.screening
    assert isinstance(view, ScreeningView)
    keyboard = Keyboard(view)
    keyboard.digit(7)
    keyboard.enter()
    other, _ = services.patients.add(PatientInput("Anden", "Patient", cpr="010203-4005"))
    window.open_patient(other.id)
    assert window.patient_page is not None and "Anden Patient" in window.patient_page.banner.label.text()
    window.open_patient(patient.id)
    page = window.patient_page
    drafts = [page.results.item(row) for row in range(page.results.count()) if "Enter" in page.results.item(row).text()]
    assert len(drafts) == 1
    page.results.itemActivated.emit(drafts[0])
    resumed = window.screening
    assert isinstance(resumed, ScreeningView) and resumed is not view
    assert resumed.session.patient.id == patient.id
    assert resumed.session.flow.form.id == "peg" and resumed.session.flow.item.id == "q2"
    assert resumed.session.flow.form_answers("peg") == {"q1": 7}
    assert f"{patient.given_name} {patient.family_name}" in resumed.banner.label.text()


def test_last_answer_can_be_corrected_before_finishing(qtbot: QtBot, window: MainWindow, services: Services) -> None:
    window.start_form("phq2", "gp")
    view = window.screening
    assert isinstance(view, ScreeningView)
    keyboard = Keyboard(view)
    keyboard.digit(1)
    keyboard.digit(3)  # a slip on the last question
    assert view.session.flow.item.id == "q2" and not view.session.done
    keyboard.digit(0)
    keyboard.enter()
    assert view.session.done
    record = services.screenings.get(view.session.responses["phq2"])
    assert record.answers == {"q1": 1, "q2": 0} and record.score is not None and record.score.band == "negative"


def test_unfinished_suicide_answer_raises_the_banner(
    qtbot: QtBot, window: MainWindow, services: Services, patient: Patient
) -> None:
    window.start_form("asq", "gp")
    view = window.screening
    assert isinstance(view, ScreeningView)
    Keyboard(view).digit(1)
    window.show_list()
    window.open_patient(patient.id)
    assert window.patient_page is not None and window.patient_page.safety.isVisible()


def test_hand_over_needs_the_patient_on_screen(
    qtbot: QtBot, window: MainWindow, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.settings.save(services.settings.load().with_text("self_completion_pin", "471108"))
    told: list[str] = []
    monkeypatch.setattr("smerteagent.ui.window_screening.QMessageBox.information", lambda *a: told.append(a[1]))
    window.show_list()
    window.start_self_completion()
    assert told and window.screening is None, "from the list nobody is handed over"
    window.start_form("phq9", "gp")
    assert window.screening is not None
    running = window.screening.session
    opened: list[SelfCompletionWindow] = []
    monkeypatch.setattr(SelfCompletionWindow, "showFullScreen", lambda self: opened.append(self))
    window.start_self_completion()
    assert opened and opened[0].view.session is running, "the screening in progress is handed over"
    opened[0]._left_by = "pin"
    opened[0].close()
    assert running.flow.reader == "clinician", "back at the desk, the clinician's questions are asked again"


@pytest.mark.parametrize("form_id", ["asq", "cssrs_screener", "ort", "ort_oud", "cage_aid", "dast10"])
def test_a_clinician_administered_form_is_never_handed_to_the_patient_alone(
    qtbot: QtBot, window: MainWindow, services: Services, monkeypatch: pytest.MonkeyPatch, form_id: str
) -> None:
    services.settings.save(services.settings.load().with_text("self_completion_pin", "471108"))
    told: list[str] = []
    monkeypatch.setattr("smerteagent.ui.window_screening.QMessageBox.information", lambda *a: told.append(a[2]))
    window.start_form(form_id, "gp")
    window.start_self_completion()
    assert not window.findChildren(SelfCompletionWindow)
    assert told and "klinikeren" in told[0]
    assert window.screening is not None and window.screening.session.flow.reader == "clinician"


def test_numbers_only_and_arrows_move_in_number_fields(qtbot: QtBot, window: MainWindow) -> None:
    window.start_form("peg", "gp")
    view = window.screening
    assert isinstance(view, ScreeningView)
    keyboard = Keyboard(view)
    keyboard.type("+")
    keyboard.enter()
    assert view.session.flow.item.id == "q1" and view.error.text()
    view.entry.clear()
    keyboard.type("4")
    keyboard.key(Qt.Key.Key_Right)
    assert view.session.flow.item.id == "q2"
    keyboard.key(Qt.Key.Key_Left)
    assert view.session.flow.item.id == "q1" and view.entry.text() == "4"


def test_a_changed_lead_answer_keeps_follow_up_answers_visible(qtbot: QtBot, window: MainWindow) -> None:
    window.start_form("cssrs_screener", "gp")
    view = window.screening
    assert isinstance(view, ScreeningView)
    keyboard = Keyboard(view)
    for value in (1, 1, 0, 1):  # q1, q2 yes, q3 no, q4 yes
        keyboard.digit(value)
    for _ in range(3):
        keyboard.key(Qt.Key.Key_Left)
    assert view.session.flow.item.id == "q2"
    keyboard.digit(0)  # q2 now no: q4's yes still counts, so q4 is still shown and can be cleared
    assert view.session.flow.item.id == "q3"
    keyboard.enter()
    assert view.session.flow.item.id == "q4"
    keyboard.key(Qt.Key.Key_Backspace)
    assert "q4" not in view.session.flow.form_answers()


def test_inactivity_locks_and_only_the_clinician_unlocks(qtbot: QtBot, window: MainWindow, services: Services) -> None:
    from smerteagent.ui.lock import Curtain, UnlockDialog
    from tests.ui.conftest import ADMIN_PASSWORD

    window.start_form("peg", "gp")
    window.inactivity.timed_out.emit()
    [dialog] = window.findChildren(UnlockDialog)
    curtain = window.findChild(Curtain)
    assert dialog.isVisible() and curtain is not None and curtain.isVisible()
    assert curtain.geometry() == window.rect(), "the whole window is covered"
    assert not window.find_action.isEnabled() and services.accounts.identity.account is None
    dialog.password.setText("forkert-kodeord")
    dialog.try_unlock()
    assert dialog.isVisible() and dialog.problem.text(), "a wrong password keeps it locked"
    dialog.reject()
    assert dialog.isVisible(), "Escape does not unlock"
    dialog.password.setText(ADMIN_PASSWORD)
    dialog.try_unlock()
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: window.findChild(Curtain) is None)
    assert window.stack.currentWidget() is window.screening, "the work is where it was"
    assert services.actor == "mette"


def test_a_lock_due_while_the_patient_answers_comes_when_the_pin_hands_back(
    qtbot: QtBot, window: MainWindow, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    from smerteagent.ui.lock import UnlockDialog

    services.settings.save(services.settings.load().with_text("self_completion_pin", "471108"))
    window.start_form("peg", "gp")
    monkeypatch.setattr(SelfCompletionWindow, "showFullScreen", SelfCompletionWindow.show)
    window.start_self_completion()
    [patient_mode] = window.findChildren(SelfCompletionWindow)
    window.inactivity.timed_out.emit()
    assert not window.findChildren(UnlockDialog), "the patient's screen is not covered while answering"
    patient_mode.close()
    assert patient_mode.pin_dialog is not None
    patient_mode.pin_dialog.pin.setText("471108")
    patient_mode.pin_dialog.submit()
    qtbot.waitUntil(lambda: bool(window.findChildren(UnlockDialog)))
    [dialog] = window.findChildren(UnlockDialog)
    assert dialog.isVisible() and window.account is None, "the shared PIN does not hand over the session"


def test_one_dialog_records_the_action_for_every_flag_and_the_page_shows_it(
    window: MainWindow, services: Services, patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:  # fmt: skip
    encounter = services.screenings.start_encounter(patient.id, "gp")
    for form_id, answers in (("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1]), ("asq", [1, 0, 0, 0, 0])):
        response = services.screenings.start_response(encounter.id, form_id)
        for number, value in enumerate(answers, start=1):
            services.screenings.answer(response.id, f"q{number}", value)
        services.screenings.complete(response.id, None)
    window.open_patient(patient.id)
    page = window.patient_page
    assert page is not None and page.safety.isVisible() and not page.safety_done.isVisible()
    shown: list[str] = []

    def exec_dialog(dialog: SafetyActionDialog) -> int:
        shown.append(dialog.windowTitle())
        dialog.action.setCurrentIndex(dialog.action.findData("safety_plan_made"))
        dialog.note.setPlainText("Aftalt med datteren.\nRinger i morgen.")
        return SafetyActionDialog.DialogCode.Accepted

    monkeypatch.setattr(SafetyActionDialog, "exec", exec_dialog)
    page.record_safety_action()
    assert len(shown) == 1, "one question for the encounter, not one per instrument"
    assert services.screenings.open_alerts(patient.id) == [] and not page.safety.isVisible()
    assert page.safety_done.isVisible() and "Ringer i morgen." in page.safety_done.text()
    history = [page.results.item(row).text() for row in range(1, page.results.count())]  # row 0: the overview
    assert len(history) == 2 and all("✓" in line for line in history), history


def test_the_page_after_a_battery_shows_the_visit_overview(
    window: MainWindow, services: Services, patient: Patient
) -> None:  # fmt: skip
    encounter = services.screenings.start_encounter(patient.id, "gp")
    for form_id, answers in (("startback", [1, 1, 1, 1, 1, 1, 1, 1, 4]), ("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1])):
        response = services.screenings.start_response(encounter.id, form_id)
        for number, value in enumerate(answers, start=1):
            services.screenings.answer(response.id, f"q{number}", value)
        services.screenings.complete(response.id, None)
    window.open_patient(patient.id)
    page = window.patient_page
    assert page is not None and page.results.currentRow() == 0
    shown = page.result_view.text()
    assert "STarT Back" in shown and "Høj risiko" in shown, shown
    matched = next(s.text for s in bundled_recommendations().suggest([], "high", "da") if s.kind == "matched")
    assert escape(matched) in shown
    assert shown.index("#b00020") < shown.index("Høj risiko"), "the suicide-risk flag comes first, in red"


def test_an_answer_given_meanwhile_on_another_workstation_is_not_overwritten(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    window.start_form("phq9", "gp")
    view = window.screening
    assert isinstance(view, ScreeningView)
    keyboard = Keyboard(view)
    keyboard.digit(1)  # q1; the view moves on to q2
    response_id = view.session.responses["phq9"]
    other = open_services(services.database.url, services.forms, actor="other-desk")
    try:
        other.screenings.answer(response_id, "q2", 3, seen=None)
    finally:
        other.close()
    keyboard.digit(0)  # this desk still shows q2 unanswered
    assert services.screenings.get(response_id).answers == {"q1": 1, "q2": 3}
    assert view.session.flow.item.id == "q2" and view.session.flow.current_answer() == 3
    assert "q2" in view.error.text() and "3" in view.error.text()


def test_prefilled_age_is_shown_with_its_origin_and_changeable(
    qtbot: QtBot, window: MainWindow, services: Services, patient: Patient
) -> None:
    session = ScreeningSession.start(services, patient, "pain_clinic", form_id="ort")
    view = ScreeningView(session)
    qtbot.addWidget(view)
    view.show()
    keyboard = Keyboard(view)
    assert view.session.flow.item.id == "q1" and view.origin_note.isHidden()
    for _item in range(6):
        keyboard.digit(0)
    assert view.session.flow.item.id == "q7" and view.origin_note.isVisible()
    assert "CPR" in view.origin_note.text() or "cpr" in view.origin_note.text().lower()
    assert view._buttons[0].isChecked(), "born 1961: not 16-45, pre-selected"
    keyboard.digit(1)
    assert services.screenings.get(session.responses["ort"]).origins == {}


@pytest.mark.parametrize("patient_mode", [False, True], ids=["desk", "patient"])
def test_phq9_difficulty_question_is_not_shown_under_the_how_often_stem(
    qtbot: QtBot, services: Services, patient: Patient, patient_mode: bool
) -> None:
    """q10 asks how difficult the problems made daily life: the stem 'how often have you been bothered by'
    heads q1–q9 only (the item's ``instructions: false``)."""
    session = ScreeningSession.start(services, patient, "gp", form_id="phq9")
    view = ScreeningView(session, patient_mode=patient_mode)
    qtbot.addWidget(view)
    view.show()
    keyboard = Keyboard(view)
    stem = "Hvor ofte har du inden for de sidste 2 uger været plaget af følgende problemer?"
    assert view.session.flow.item.id == "q1" and stem in view.instructions.text()
    for _question in range(9):
        assert stem in view.instructions.text(), view.session.flow.item.id
        keyboard.digit(0)
    assert view.session.flow.item.id == "q10"
    assert stem not in view.instructions.text() and "plaget" not in view.instructions.text()
    assert view.question.text().startswith("Hvis du har haft nogen af problemerne: Hvor svært")
