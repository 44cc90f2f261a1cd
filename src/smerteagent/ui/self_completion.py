"""Patient self-completion: full screen, large text, Danish or English, this patient only; the way out
needs the clinic's PIN (or, after too many wrong ones, a clinician's password) and always ends at the lock.
Nothing can be pasted into it and no context menu opens in it: the clipboard may hold another patient."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smerteagent.core.errors import SmerteAgentError
from smerteagent.i18n import _, language, set_language
from smerteagent.ui.screening_view import ScreeningView

if TYPE_CHECKING:
    from smerteagent.ui.context import AppContext
    from smerteagent.usecases.patient_mode import PatientMode, PinOutcome
    from smerteagent.usecases.screening import ScreeningSession

PATIENT_FONT_SCALE = 1.4  # every text of the patient's mode, against the desk's point size
QUESTION_SCALE = 1.6  # the question (and its answers) on top of that, as large as at the desk's screening

PASTE_EVENTS = {QEvent.Type.ContextMenu, QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop}


def is_paste_key(event: QKeyEvent) -> bool:
    """Ctrl+V, Shift+Insert and the platform's own paste keys."""
    control_v = event.key() == Qt.Key.Key_V and bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
    return control_v or event.matches(QKeySequence.StandardKey.Paste)


class NoPaste(QObject):
    """Refuses paste (keys, X11 middle click, drag and drop) and the context menu in the fields it guards."""

    def guard(self, field: QLineEdit) -> None:
        field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        field.setAcceptDrops(False)
        field.setDragEnabled(False)
        field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in PASTE_EVENTS:
            return True
        keyed = kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and isinstance(event, QKeyEvent)
        if keyed and is_paste_key(event):  # type: ignore[arg-type]
            event.accept()
            return True
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
            return event.button() == Qt.MouseButton.MiddleButton  # type: ignore[attr-defined, no-any-return]
        return False


class PinDialog(QDialog):
    """The clinic's PIN, with the use case's back-off; locked out, a clinician's user name and password."""

    def __init__(self, mode: PatientMode, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = mode
        self.by = "pin"
        self.setWindowTitle(_("Staff"))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.prompt = QLabel(_("Staff: enter the clinic's PIN to leave:"), self, wordWrap=True)
        self.pin = QLineEdit(self, echoMode=QLineEdit.EchoMode.Password)
        self.pin.setAccessibleName(_("PIN"))
        self.username = QLineEdit(self)
        self.username.setAccessibleName(_("User name"))
        self.username.setPlaceholderText(_("User name"))
        self.password = QLineEdit(self, echoMode=QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(_("Password"))
        self.password.setPlaceholderText(_("Password"))
        self.problem = QLabel(self, wordWrap=True)
        self.problem.setStyleSheet("color: #a40000")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        for widget in (self.prompt, self.pin, self.username, self.password, self.problem, self.buttons):
            layout.addWidget(widget)
        self.guard = NoPaste(self)
        for field in (self.pin, self.username, self.password):
            self.guard.guard(field)
        self.retry = QTimer(self, singleShot=True)
        self.retry.timeout.connect(lambda: self.ok.setEnabled(True))
        self._show_fields()

    def _show_fields(self) -> None:
        locked = self.mode.locked_out
        self.pin.setVisible(not locked)
        self.username.setVisible(locked)
        self.password.setVisible(locked)
        if locked:
            self.prompt.setText(_("Too many wrong PINs. A clinician unlocks with their own user name and password."))
        (self.username if locked else self.pin).setFocus()

    def submit(self) -> None:
        if self.mode.locked_out:
            self._lift()
            return
        outcome = self.mode.try_pin(self.pin.text())
        self.pin.clear()
        if outcome.accepted:
            self.accept()
            return
        self._refused(outcome)

    def _refused(self, outcome: PinOutcome) -> None:
        """Say why (never what was typed), and wait out the back-off before the next try."""
        if outcome.locked_out:
            self.problem.setText(_("Wrong PIN. No tries are left: a clinician's password is needed."))
            self._show_fields()
            return
        seconds = max(1, round(outcome.wait_seconds))
        if outcome.checked:
            text = _("Wrong PIN. Tries left before a clinician's password is needed: {left}. Try again in {seconds} s.")
            self.problem.setText(text.format(left=outcome.tries_left, seconds=seconds))
        else:
            text = _("Too soon after a wrong PIN: this one was not checked. Try again in {seconds} s.")
            self.problem.setText(text.format(seconds=seconds))
        self.adjustSize()  # a two-line message is shown whole
        self.ok.setEnabled(False)
        self.retry.start(seconds * 1000)

    def _lift(self) -> None:
        try:
            self.mode.lift_lockout(self.username.text(), self.password.text())
        except SmerteAgentError as error:
            self.problem.setText(str(error))
            self.password.clear()
            return
        self.by = "password"
        self.accept()


class SelfCompletionWindow(QWidget):
    """A top-level, application-modal window around one ScreeningView; answers go to the same draft."""

    closed = Signal(str)  # how it was left: "pin" or "password"

    def __init__(self, context: AppContext, session: ScreeningSession, mode: PatientMode,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent, Qt.WindowType.Window)
        self.context = context
        self.mode = mode
        self.clinician_language = language()
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        # Larger text than at the desk, for every widget of the patient's mode (children inherit the font).
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * PATIENT_FONT_SCALE)
        self.setFont(font)
        session.flow.read_by("patient")  # only the forms and questions meant for the patient
        self.view = ScreeningView(session, scale=QUESTION_SCALE, patient_mode=True, parent=self)
        self.view.finished.connect(self._thank)
        self.thanks = QLabel(self)
        self.thanks.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thanks.setWordWrap(True)
        font = self.thanks.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self.thanks.setFont(font)
        self.thanks.hide()
        languages = QHBoxLayout()
        self.language_buttons: dict[str, QPushButton] = {}
        # Each language named in itself: the patient who reads only that language finds it.
        for code, label in (("da", "Dansk"), ("en", "English")):
            button = QPushButton(label, self)
            button.setObjectName(f"language_{code}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, c=code: self.switch_language(c))
            languages.addWidget(button)
            self.language_buttons[code] = button
        languages.addStretch()
        self.leave = QPushButton(self)
        self.leave.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.leave.clicked.connect(self.close)
        languages.addWidget(self.leave)
        layout = QVBoxLayout(self)
        layout.addLayout(languages)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.thanks, 1)
        self.no_paste = NoPaste(self)
        for field in self.findChildren(QLineEdit):
            self.no_paste.guard(field)
        self.pin_dialog: PinDialog | None = None
        self._left_by: str | None = None
        self.retranslate()
        if session.done:
            self._thank()

    def retranslate(self) -> None:
        """The window's own words in the current language; the view renders its own."""
        self.setWindowTitle(_("Questionnaires"))
        self.thanks.setText(_("Thank you! Please hand the device back to the staff."))
        self.leave.setText(_("Staff: leave…"))
        for code, button in self.language_buttons.items():
            button.setAccessibleName({"da": "Dansk", "en": "English"}[code])
            button.setCheckable(True)
            button.setChecked(code == language())

    def switch_language(self, code: str) -> None:
        set_language(code)
        self.retranslate()
        if self.view.isVisible() or not self.thanks.isVisible():
            self.view.render()
            self.view.setFocus()

    def _thank(self) -> None:
        self.view.hide()
        self.thanks.show()

    def ask_to_leave(self) -> PinDialog:
        """The PIN dialog, opened once; accepted, the window closes (and the faces lock)."""
        if self.pin_dialog is None or not self.pin_dialog.isVisible():
            self.pin_dialog = PinDialog(self.mode, self)
            self.pin_dialog.accepted.connect(self._leave)
            self.pin_dialog.show()
        return self.pin_dialog

    def _leave(self) -> None:
        assert self.pin_dialog is not None
        self._left_by = self.pin_dialog.by
        self.close()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._left_by is None:
            event.ignore()
            self.ask_to_leave()
            return
        set_language(self.clinician_language)
        self.view.session.flow.read_by("clinician")
        event.accept()
        self.closed.emit(self._left_by)
