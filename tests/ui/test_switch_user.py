"""Switch user at the lock (a shared consultation-room PC): another clinician logs in with their own name and
password; the first one's unsaved care-plan changes are kept as their private draft (not shown to the second,
back in the editor at the first one's next login), a screening in progress stays stored, the open patient is
closed, and the switch is audited."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from smerteagent import i18n
from smerteagent.core.accounts import CLINICIAN, Account
from smerteagent.core.patients import Patient
from smerteagent.storage.services import Services
from smerteagent.ui.careplan import CarePlanEditor
from smerteagent.ui.lock import UnlockDialog
from smerteagent.ui.main_window import MainWindow
from smerteagent.usecases.switch_user import kept_work
from tests.ui.conftest import ADMIN_PASSWORD
from tests.ui.helpers import Keyboard, StartMainWindow, add_editor

JONAS_PASSWORD = "blå-hest-på-taget-9"


@pytest.fixture
def jonas(services: Services) -> Account:
    return services.accounts.create("jonas", "Jonas Ølgaard", JONAS_PASSWORD, CLINICIAN)


@pytest.fixture
def window(
    start_main_window: StartMainWindow, services: Services, patient: Patient, qtbot: QtBot
) -> Iterator[MainWindow]:
    main = start_main_window(services)
    main.open_patient(patient.id)
    yield main
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, UnlockDialog | CarePlanEditor):
            if isinstance(widget, CarePlanEditor):
                widget.shown_at_save = widget.plan(strict=False)
            widget.hide()
            widget.deleteLater()


def unlock_dialog(window: MainWindow) -> UnlockDialog:
    [dialog] = [d for d in window.findChildren(UnlockDialog) if d.isVisible()]
    return dialog


def switch_to(window: MainWindow, username: str, password: str) -> None:
    window.lock("keyboard")
    dialog = unlock_dialog(window)
    dialog.switch_button.click()
    assert dialog.username.isVisible()
    dialog.username.setText(username)
    dialog.password.setText(password)
    dialog.try_unlock()


def open_editor(qtbot: QtBot, window: MainWindow) -> CarePlanEditor:
    window.open_care_plan()
    editor = window.care_plan_editor
    assert editor is not None and editor.isVisible()
    add_editor(qtbot, editor)
    return editor


def actions_of(editor: CarePlanEditor) -> list[str]:
    table = editor.action_table
    return [table.text(row, 0) for row in range(table.rowCount())]


def test_the_lock_offers_switch_user_in_both_languages(window: MainWindow) -> None:
    window.lock("keyboard")
    assert unlock_dialog(window).switch_button.text().replace("&", "") == "Skift bruger"
    unlock_dialog(window).hide()
    i18n.set_language("en")
    window.lock("keyboard")  # still locked: the dialog is shown again in English
    window.account = window.unlock_dialog.account
    window.lock("keyboard")
    assert window.unlock_dialog.switch_button.text().replace("&", "") == "Switch user"


def test_another_clinician_logs_in_and_the_first_ones_plan_changes_are_kept_for_them_alone(
    qtbot: QtBot, window: MainWindow, services: Services, patient: Patient, jonas: Account
) -> None:
    editor = open_editor(qtbot, window)
    editor.action_table.add_row(["Daglig gåtur med hunden", "patient", ""])
    assert editor.has_unsaved_changes()
    switch_to(window, "jonas", JONAS_PASSWORD)
    assert window.account is not None and window.account.username == "jonas"
    assert services.accounts.identity.account is not None and services.accounts.identity.account.id == jonas.id
    assert not editor.isVisible() and window.care_plan_editor is None, "the first clinician's editor is closed"
    assert window.patient is None and window.stack.currentWidget() is window.list_page, "the patient is closed"
    assert not window.curtains and not [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog)
                                        and w.isVisible()]  # fmt: skip
    assert window.list_page is not None and window.list_page.search.text() == ""
    switch = [e for e in services.audit.events() if e.action == "switch_user"]
    assert len(switch) == 1 and switch[0].detail["from"] == "mette" and switch[0].detail["to"] == "jonas"
    assert switch[0].detail["patient_closed"] == patient.id and switch[0].detail["kept_draft"] is not None
    # Not shown to the second clinician: no shared version was saved, nothing is kept for them.
    assert services.careplans.current(patient.id) is None
    assert kept_work(services, jonas) == []
    window.open_patient(patient.id)
    second = open_editor(qtbot, window)
    assert "Daglig gåtur med hunden" not in actions_of(second)
    second.reject()
    # The first clinician's next login brings the work back, unsaved, in the editor of that patient.
    mette = services.accounts.list()[0]
    switch_to(window, "mette", ADMIN_PASSWORD)
    assert window.account is not None and window.account.username == "mette"
    back = window.care_plan_editor
    assert back is not None and back.isVisible() and back.patient.id == patient.id
    add_editor(qtbot, back)
    assert "Daglig gåtur med hunden" in actions_of(back) and back.has_unsaved_changes()
    assert "Ikke gemte ændringer" in back.status.text() and "Dine ændringer" in back.status.text()
    assert kept_work(services, mette) == [], "taken back once"
    assert back.save() is not None
    assert [a.what for a in services.careplans.current(patient.id).actions] == ["Daglig gåtur med hunden"]


def test_kept_work_also_comes_back_at_a_login_on_the_login_page(
    qtbot: QtBot, window: MainWindow, services: Services, patient: Patient, jonas: Account
) -> None:
    editor = open_editor(qtbot, window)
    editor.action_table.add_row(["Henvisning til fysioterapi", "gp", ""])
    switch_to(window, "jonas", JONAS_PASSWORD)
    mette = services.accounts.list()[0]
    window.logged_in(services.accounts.log_in("mette", ADMIN_PASSWORD))  # e.g. after a restart
    back = window.care_plan_editor
    assert back is not None and back.isVisible()
    add_editor(qtbot, back)
    assert "Henvisning til fysioterapi" in actions_of(back)
    assert kept_work(services, mette) == []


def test_a_saved_plan_is_not_kept_twice_and_the_switch_is_still_audited(
    qtbot: QtBot, window: MainWindow, services: Services, jonas: Account
) -> None:
    open_editor(qtbot, window)  # opened, nothing changed
    switch_to(window, "jonas", JONAS_PASSWORD)
    [switch] = [e for e in services.audit.events() if e.action == "switch_user"]
    assert switch.detail["kept_draft"] is None
    assert kept_work(services, services.accounts.list()[0]) == []


def test_a_screening_in_progress_stays_stored_and_its_patient_is_closed(
    window: MainWindow, services: Services, patient: Patient, jonas: Account
) -> None:
    window.start_form("phq9", "gp")
    view = window.screening
    assert view is not None
    keyboard = Keyboard(view)
    keyboard.digit(1)
    keyboard.digit(2)
    encounter = view.session.encounter.id
    switch_to(window, "jonas", JONAS_PASSWORD)
    assert window.screening is None and window.patient is None
    [response] = services.screenings.responses(patient.id)
    assert response.answers == {"q1": 1, "q2": 2} and response.status != "complete"
    [switch] = [e for e in services.audit.events() if e.action == "switch_user"]
    assert switch.detail["screening_left"] == encounter


def test_switching_asks_for_a_user_name_and_says_so_when_wrong(window: MainWindow, jonas: Account) -> None:
    window.lock("keyboard")
    dialog = unlock_dialog(window)
    dialog.switch_button.click()
    dialog.username.setText("jonas")
    dialog.password.setText("forkert-forkert")
    dialog.try_unlock()
    assert dialog.isVisible() and "brugernavn" in dialog.problem.text().casefold()
    assert window.account is None
    dialog.switch_button.click()  # back to the first clinician's own password
    assert not dialog.username.isVisible() and dialog.problem.text() == ""


def test_the_same_clinician_through_switch_user_simply_unlocks(
    qtbot: QtBot, window: MainWindow, services: Services, patient: Patient
) -> None:
    editor = open_editor(qtbot, window)
    editor.action_table.add_row(["Daglig gåtur", "patient", ""])
    switch_to(window, "mette", ADMIN_PASSWORD)
    assert editor.isVisible() and window.patient is not None and window.patient.id == patient.id
    assert not [e for e in services.audit.events() if e.action == "switch_user"]


def test_kept_work_saved_after_someone_elses_save_is_a_conflict_not_an_overwrite(
    qtbot: QtBot, window: MainWindow, services: Services, patient: Patient, jonas: Account,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    told: list[str] = []
    monkeypatch.setattr("smerteagent.ui.operations.QMessageBox.warning", lambda _p, title, _t: told.append(title))
    editor = open_editor(qtbot, window)
    editor.action_table.add_row(["Mettes handling", "gp", ""])
    switch_to(window, "jonas", JONAS_PASSWORD)
    window.open_patient(patient.id)
    second = open_editor(qtbot, window)
    second.action_table.add_row(["Jonas' handling", "gp", ""])
    assert second.save() is not None
    second.reject()
    switch_to(window, "mette", ADMIN_PASSWORD)
    back = window.care_plan_editor
    assert back is not None and "Mettes handling" in actions_of(back)
    add_editor(qtbot, back)
    assert back.save() is None and told == ["Ændret på en anden arbejdsstation"]
    assert [a.what for a in services.careplans.current(patient.id).actions] == ["Jonas' handling"]
