"""Patient mode and the lock, tried as a privacy tester would: the clipboard, the shared PIN, guessing the
PIN, the PDF viewer, Ctrl+L from every dialog, and the kiosk minimised. One test (or more) per route."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from smerteagent.core.patients import Patient, PatientInput
from smerteagent.storage.services import Services
from smerteagent.ui.careplan import CarePlanEditor
from smerteagent.ui.lock import Curtain, UnlockDialog
from smerteagent.ui.main_window import MainWindow
from smerteagent.ui.self_completion import SelfCompletionWindow
from tests.ui.conftest import ADMIN_PASSWORD
from tests.ui.helpers import Keyboard, StartMainWindow

# What this file needs of the new modules is imported inside the tests, so that each test fails on its own
# (for its own reason) on a build without them, instead of the whole file failing to import.
PIN = "471108"
CLEANED_UP = {"PdfViewer", "UnlockDialog", "PinDialog", "SelfCompletionWindow"}
CPR_B = "010203-4567"


@pytest.fixture
def window(
    start_main_window: StartMainWindow, services: Services, patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    monkeypatch.setattr(SelfCompletionWindow, "showFullScreen", SelfCompletionWindow.show)
    services.settings.save(services.settings.load().with_text("self_completion_pin", PIN))
    main = start_main_window(services)
    main.open_patient(patient.id)
    yield main
    QApplication.clipboard().clear()
    for widget in QApplication.topLevelWidgets():
        if type(widget).__name__ in CLEANED_UP:
            widget.hide()
            widget.deleteLater()


@pytest.fixture
def other(services: Services) -> Patient:
    created, _ = services.patients.add(PatientInput("Bodil", "Østergård", cpr=CPR_B))
    return created


def hand_over(window: MainWindow, form: str = "psfs") -> SelfCompletionWindow:
    window.start_form(form, "gp")
    window.start_self_completion()
    [kiosk] = [w for w in window.findChildren(SelfCompletionWindow) if w.isVisible()]
    return kiosk


def covered(widget: QWidget) -> bool:
    """The whole window is under a curtain: every point of it shows the curtain, nothing of the window."""
    curtain = widget.findChild(Curtain, options=Qt.FindChildOption.FindDirectChildrenOnly)
    if curtain is None or not curtain.isVisible() or curtain.geometry() != widget.rect():
        return False
    rect = widget.rect()
    points = [rect.center(), QPoint(2, 2), QPoint(rect.width() - 3, rect.height() - 3), QPoint(rect.width() // 2, 5)]
    for point in points:
        shown = widget.childAt(point)
        if shown is not curtain and not (shown is not None and curtain.isAncestorOf(shown)):
            return False
    return True


def leave_with_pin(qtbot: QtBot, kiosk: SelfCompletionWindow, pin: str) -> Any:
    """The kiosk's PIN dialog, a PIN typed and submitted."""
    kiosk.close()
    dialog = getattr(kiosk, "pin_dialog", None)
    if dialog is None:
        return None  # a build that asks with a blocking QInputDialog (patched by the caller)
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.pin, pin)
    dialog.submit()
    return dialog


def unlock_dialog(window: MainWindow) -> UnlockDialog:
    [dialog] = [d for d in window.findChildren(UnlockDialog) if d.isVisible()]
    return dialog


def actions(services: Services) -> list[str]:
    return [event.action for event in services.audit.events()]


# --- route 1: the clipboard ------------------------------------------------------------------------------


def test_a_journal_note_copied_for_one_patient_is_gone_when_the_next_is_opened(
    window: MainWindow, patient: Patient, other: Patient
) -> None:
    window.open_care_plan()
    editor = window.care_plan_editor
    assert editor is not None
    note = editor.copy_journal_note()
    assert note and QApplication.clipboard().text() == note and "070761-4285" in note
    editor.reject()
    window._care_plan_closed(patient)  # back on the same patient's page: the note is still there to paste
    assert QApplication.clipboard().text() == note
    window.open_patient(other.id)
    assert QApplication.clipboard().text() == "", "patient B's screen cannot paste patient A"


def test_the_clipboard_is_cleared_on_hand_over_on_lock_and_after_a_while(window: MainWindow) -> None:
    from smerteagent.ui.clipboard import HOLD_SECONDS

    guard = window.clipboard_guard
    guard.put("Søren Ærø 070761-4285")
    assert guard.timer.isActive() and guard.timer.interval() == HOLD_SECONDS * 1000
    guard.timer.timeout.emit()
    assert QApplication.clipboard().text() == ""
    guard.put("Søren Ærø 070761-4285")
    window.lock("keyboard")
    assert QApplication.clipboard().text() == ""
    unlock = unlock_dialog(window)
    unlock.password.setText(ADMIN_PASSWORD)
    unlock.try_unlock()
    guard.put("Søren Ærø 070761-4285")
    hand_over(window)
    assert QApplication.clipboard().text() == ""


def test_text_copied_from_the_apps_own_fields_is_cleared_too(window: MainWindow, other: Patient) -> None:
    assert window.patient_page is not None
    field = QLineEdit("Søren Ærø 070761-4285", window.patient_page)
    field.selectAll()
    window.activateWindow()
    field.copy()  # Ctrl+C in a field of the app
    assert QApplication.clipboard().text() == "Søren Ærø 070761-4285"
    window.open_patient(other.id)
    assert QApplication.clipboard().text() == ""


def test_nothing_can_be_pasted_into_the_patients_fields_and_no_context_menu_opens(
    qtbot: QtBot, window: MainWindow
) -> None:
    kiosk = hand_over(window)
    entry = kiosk.view.entry
    assert entry.isVisible(), "PSFS starts with an activity typed as text"
    QApplication.clipboard().setText("Søren Ærø 070761-4285 PHQ-9 19")  # e.g. from another program
    entry.setFocus()
    QTest.keyClick(entry, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(entry, Qt.Key.Key_Insert, Qt.KeyboardModifier.ShiftModifier)
    QTest.mouseClick(entry, Qt.MouseButton.MiddleButton)
    assert entry.text() == ""
    assert entry.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu and not entry.acceptDrops()
    pin_dialog = kiosk.ask_to_leave()
    assert all(f.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu for f in pin_dialog.findChildren(QLineEdit))
    QTest.keyClick(pin_dialog.pin, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert pin_dialog.pin.text() == ""
    pin_dialog.reject()
    qtbot.keyClicks(entry, "Gå tur")
    assert entry.text() == "Gå tur", "typing still works"


def test_an_error_message_never_echoes_what_was_typed(window: MainWindow) -> None:
    kiosk = hand_over(window)
    typed = "Søren Ærø 070761-4285 " * 20  # longer than the item allows
    kiosk.view.entry.setText(typed)
    QTest.keyClick(kiosk.view.entry, Qt.Key.Key_Return)
    message = kiosk.view.error.text()
    assert message and "070761" not in message and "Søren" not in message and "got" not in message
    assert str(kiosk.view.session.flow.item.max_length) in message, "it says what is allowed"


# --- route 2: the shared PIN ends at the lock --------------------------------------------------------------


def test_the_pin_ends_the_patients_mode_at_the_lock_and_everything_is_audited(
    qtbot: QtBot, window: MainWindow, services: Services, patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: (PIN, True))  # an older build's PIN prompt
    kiosk = hand_over(window, "peg")
    Keyboard(kiosk.view).digit(5)
    leave_with_pin(qtbot, kiosk, PIN)
    assert not kiosk.isVisible()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(UnlockDialog)))
    assert window.account is None and services.accounts.identity.account is None, "no open session"
    assert covered(window) and not window.find_action.isEnabled()
    events = services.audit.events()
    handover = next(e for e in events if e.action == "handover")
    assert handover.record_id == str(patient.id)
    assert [e.action for e in events if e.action in ("handover", "return", "lock")] == ["handover", "return", "lock"]
    assert [e.detail for e in events if e.action in ("return", "lock")] == [{"by": "pin"}, {"reason": "patient_mode"}]
    unlock = unlock_dialog(window)
    unlock.password.setText(ADMIN_PASSWORD)
    unlock.try_unlock()
    qtbot.waitUntil(lambda: not covered(window))
    assert window.account is not None and window.account.username == "mette"
    assert window.stack.currentWidget() is window.patient_page


def test_no_hand_over_with_a_pin_shorter_than_the_clinics_minimum(
    window: MainWindow, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    monkeypatch.setattr("smerteagent.ui.window_screening.QMessageBox.information", lambda _p, _t, t: told.append(t))
    services.settings.save(services.settings.load().with_text("pin_min_length", "8"))
    window.start_form("peg", "gp")
    window.start_self_completion()
    assert told and "8" in told[0] and not window.findChildren(SelfCompletionWindow)
    assert "handover" not in actions(services)


# --- route 3: guessing the PIN -------------------------------------------------------------------------------


def test_wrong_pins_wait_longer_then_lock_out_until_a_clinicians_password(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    from smerteagent.usecases.patient_mode import MAX_FAILURES

    kiosk = hand_over(window, "peg")
    assert window.patient_mode is not None
    now = [5000.0]
    window.patient_mode.clock = lambda: now[0]
    dialog = leave_with_pin(qtbot, kiosk, "000000")
    assert kiosk.isVisible() and "000000" not in dialog.problem.text() and dialog.problem.text()
    assert not dialog.ok.isEnabled(), "the next try waits"
    qtbot.keyClicks(dialog.pin, PIN)
    dialog.submit()
    assert kiosk.isVisible(), "too soon: even the right PIN is not checked"
    for _ in range(MAX_FAILURES - 1):
        now[0] += 3600
        qtbot.keyClicks(dialog.pin, "123123")
        dialog.submit()
    assert dialog.username.isVisible() and dialog.password.isVisible() and not dialog.pin.isVisible()
    now[0] += 10**6
    assert not window.patient_mode.try_pin(PIN).accepted, "locked out: the PIN alone no longer opens"
    failed = [e for e in services.audit.events() if e.action == "pin_failed"]
    assert len(failed) == MAX_FAILURES and failed[-1].detail == {"failures": MAX_FAILURES, "locked_out": True}
    dialog.username.setText("mette")
    dialog.password.setText(PIN)
    dialog.submit()
    assert kiosk.isVisible() and dialog.problem.text()
    dialog.password.setText(ADMIN_PASSWORD)
    dialog.submit()
    assert not kiosk.isVisible()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(UnlockDialog)))
    assert window.account is None and covered(window), "even a lifted lockout ends at the lock"
    assert [e.detail for e in services.audit.events() if e.action == "return"] == [{"by": "password"}]
    assert "pin_unlocked" in actions(services)


# --- route 4: the PDF viewer -------------------------------------------------------------------------------------


def test_open_pdf_shows_the_plan_in_the_apps_viewer_covered_by_the_lock_and_closed_on_patient_change(
    qtbot: QtBot, window: MainWindow, services: Services, other: Patient, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:  # fmt: skip
    from smerteagent.ui.pdf_viewer import PdfViewer

    handed: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: handed.append(url) or True)
    window.open_care_plan()
    editor = window.care_plan_editor
    assert isinstance(editor, CarePlanEditor)
    editor.follow_up_tab.abuse_stance.setText("Ingen tegn på misbrug")
    viewer = editor.open_pdf()
    assert isinstance(viewer, PdfViewer) and viewer.isVisible() and viewer.pages
    assert handed == [], "nothing is handed to a program the app does not control"
    assert "Ærø" not in viewer.windowTitle() and "070761" not in viewer.windowTitle()
    assert "070761" not in viewer.file_name and viewer.file_name.endswith(".pdf")
    window.lock("keyboard")
    assert covered(viewer) and covered(editor) and covered(window)
    unlock = unlock_dialog(window)
    unlock.password.setText(ADMIN_PASSWORD)
    unlock.try_unlock()
    qtbot.waitUntil(lambda: not covered(viewer))
    saved = viewer.save_to(tmp_path / "kopi")
    assert saved == tmp_path / "kopi.pdf" and saved.read_bytes().startswith(b"%PDF")
    assert services.audit.events()[-1].action == "export"
    editor.reject()
    window.open_patient(other.id)
    qtbot.waitUntil(lambda: not any(isinstance(w, PdfViewer) and w.isVisible() for w in QApplication.topLevelWidgets()))


def test_the_clinician_summary_opens_in_the_viewer_too(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    from smerteagent.ui.pdf_viewer import PdfViewer

    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: pytest.fail("handed to the system"))
    window.open_care_plan()
    assert window.care_plan_editor is not None
    viewer = window.care_plan_editor.open_summary()
    assert isinstance(viewer, PdfViewer) and "Ærø" not in viewer.windowTitle()


# --- route 5: Ctrl+L from every dialog -----------------------------------------------------------------------------


def press_ctrl_l(widget: QWidget) -> None:
    target = widget.focusWidget() or widget
    QTest.keyClick(target, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)


def lock_from(qtbot: QtBot, window: MainWindow, dialog: QWidget) -> None:
    """Ctrl+L typed in ``dialog``: everything is covered, titles are neutral, and the same clinician unlocks."""
    title = dialog.windowTitle()
    press_ctrl_l(dialog)
    assert window.account is None, "Ctrl+L locked"
    assert covered(dialog) and covered(window)
    assert dialog.windowTitle() != title and "Ærø" not in dialog.windowTitle()
    unlock = unlock_dialog(window)
    unlock.password.setText(ADMIN_PASSWORD)
    unlock.try_unlock()
    assert window.account is not None


def run_modal(
    open_dialog: Callable[[], object], find: Callable[[], QWidget | None], check: Callable[[QWidget], None]
) -> None:
    """Open a dialog with exec(); the check runs inside its event loop, then the dialog is closed."""
    outcome: list[BaseException | None] = []

    def inside() -> None:
        dialog = find()
        try:
            assert dialog is not None and dialog.isVisible()
            check(dialog)
            outcome.append(None)
        except BaseException as error:  # carried out of the nested loop
            outcome.append(error)
        finally:
            if isinstance(dialog, QDialog):
                dialog.done(QDialog.DialogCode.Rejected.value)  # closed by the test: typing dropped without asking

    QTimer.singleShot(0, inside)
    open_dialog()
    assert outcome, "the dialog never opened"
    if outcome[0] is not None:
        raise outcome[0]


def visible(kind: type[QWidget]) -> Callable[[], QWidget | None]:
    return lambda: next((w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)


def test_ctrl_l_locks_from_the_care_plan_editor(qtbot: QtBot, window: MainWindow) -> None:
    window.open_care_plan()
    assert window.care_plan_editor is not None
    lock_from(qtbot, window, window.care_plan_editor)


def test_ctrl_l_locks_from_new_patient_with_a_cpr_typed(qtbot: QtBot, window: MainWindow) -> None:
    from smerteagent.ui.patient_dialog import PatientDialog

    def check(dialog: QWidget) -> None:
        assert isinstance(dialog, PatientDialog)
        dialog.cpr.setText("070761-4285")
        dialog.cpr.setFocus()
        lock_from(qtbot, window, dialog)
        assert dialog.cpr.text() == "070761-4285", "what was typed is kept"

    run_modal(window.new_patient, visible(PatientDialog), check)


def test_ctrl_l_locks_from_the_keyboard_help(qtbot: QtBot, window: MainWindow) -> None:
    from smerteagent.ui.shortcuts_dialog import ShortcutsDialog

    run_modal(window.show_shortcuts, visible(ShortcutsDialog), lambda dialog: lock_from(qtbot, window, dialog))


def test_ctrl_l_locks_from_the_settings(qtbot: QtBot, window: MainWindow) -> None:
    from smerteagent.ui.settings_dialog import SettingsDialog

    run_modal(window.open_settings, visible(SettingsDialog), lambda dialog: lock_from(qtbot, window, dialog))


def test_ctrl_l_locks_from_the_pdf_viewer(qtbot: QtBot, window: MainWindow) -> None:
    window.open_care_plan()
    assert window.care_plan_editor is not None
    viewer = window.care_plan_editor.open_pdf()
    assert viewer is not None
    lock_from(qtbot, window, viewer)


def test_the_inactivity_lock_covers_a_modal_dialog_too(qtbot: QtBot, window: MainWindow) -> None:
    from smerteagent.ui.patient_dialog import PatientDialog

    def check(dialog: QWidget) -> None:
        assert window.inactivity is not None
        window.inactivity.timed_out.emit()
        assert window.account is None and covered(dialog) and covered(window)
        unlock = unlock_dialog(window)
        unlock.password.setText(ADMIN_PASSWORD)
        unlock.try_unlock()

    run_modal(window.new_patient, visible(PatientDialog), check)


def test_ctrl_l_does_nothing_before_a_login(start_main_window: StartMainWindow, services: Services) -> None:
    services.accounts.identity.account = None
    main = start_main_window(services, greeting=False)
    press_ctrl_l(main)
    assert not main.findChildren(UnlockDialog) and main.findChild(Curtain) is None


# --- route 6: the kiosk minimised or moved ---------------------------------------------------------------------------


def test_minimising_the_kiosk_shows_nothing_behind_it(qtbot: QtBot, window: MainWindow) -> None:
    window.open_care_plan()
    editor = window.care_plan_editor
    assert editor is not None
    kiosk = hand_over(window, "peg")
    kiosk.showMinimized()
    kiosk.move(400, 300)
    for behind in (window, editor):
        assert covered(behind), f"{type(behind).__name__} is readable behind the patient's mode"
        assert "Ærø" not in behind.windowTitle()
    assert window.account is not None, "the patient answers under the clinician who handed over"
    press_ctrl_l(kiosk.view)
    assert kiosk.isVisible(), "Ctrl+L in the patient's mode does not end it"


def test_the_clinic_sets_the_pins_minimum_length_in_settings(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    from smerteagent.core.settings import pin_length
    from smerteagent.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.context, window)
    qtbot.addWidget(dialog)
    assert dialog.pin_length.value() == 6
    dialog.pin_length.setValue(8)
    dialog.pin.setText("1234567")
    dialog.save()
    assert dialog.error.text() and "1234567" not in dialog.error.text()
    dialog.pin.setText("12345678")
    dialog.save()
    stored = services.settings.load()
    assert stored.pin_min_length == 8 and pin_length(stored.self_completion_pin) == 8
