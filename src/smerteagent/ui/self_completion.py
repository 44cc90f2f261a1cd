"""Patient self-completion: full screen, large text, Danish or English, this patient only; the way out
needs the clinician's PIN."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from smerteagent.core.settings import verify_pin
from smerteagent.i18n import _, language, set_language
from smerteagent.ui.screening_view import ScreeningView

if TYPE_CHECKING:
    from smerteagent.storage.screening_session import ScreeningSession
    from smerteagent.ui.context import AppContext


class SelfCompletionWindow(QWidget):
    """A top-level, application-modal window around one ScreeningView; answers go to the same draft."""

    closed = Signal()

    def __init__(self, context: AppContext, session: ScreeningSession, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.context = context
        self.clinician_language = language()
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowTitle(_("Questionnaires"))
        session.flow.read_by("patient")  # only the forms and questions meant for the patient
        self.view = ScreeningView(session, scale=2.2, patient_mode=True, parent=self)
        self.view.finished.connect(self._thank)
        self.thanks = QLabel(_("Thank you! Please hand the device back to the staff."), self)
        self.thanks.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.thanks.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        self.thanks.setFont(font)
        self.thanks.hide()
        languages = QHBoxLayout()
        for code, label in (("da", "Dansk"), ("en", "English")):
            button = QPushButton(label, self)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, c=code: self.switch_language(c))
            languages.addWidget(button)
        languages.addStretch()
        self.leave = QPushButton(_("Staff: leave…"), self)
        self.leave.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.leave.clicked.connect(self.close)
        languages.addWidget(self.leave)
        layout = QVBoxLayout(self)
        layout.addLayout(languages)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.thanks, 1)
        self._unlocked = False
        if session.done:
            self._thank()

    def switch_language(self, code: str) -> None:
        set_language(code)
        self.view.render()
        self.view.setFocus()

    def _thank(self) -> None:
        self.view.hide()
        self.thanks.show()

    def unlock(self, pin: str) -> bool:
        """True when ``pin`` is the clinician's PIN; then the window may close."""
        stored = self.context.services.settings.load().self_completion_pin
        self._unlocked = bool(stored) and verify_pin(pin, stored)
        return self._unlocked

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._unlocked:
            pin, ok = QInputDialog.getText(self, _("Staff PIN"), _("Enter the clinician's PIN to leave:"),
                                           QLineEdit.EchoMode.Password)  # fmt: skip
            if not ok or not self.unlock(pin):
                event.ignore()
                return
        set_language(self.clinician_language)
        self.view.session.flow.read_by("clinician")
        event.accept()
        self.closed.emit()
