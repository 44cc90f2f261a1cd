"""Locking the screen with the work kept: every open window is covered by a curtain (a dialog being
filled in stays open underneath, nothing is closed or rejected), and only the clinician who was logged in
unlocks it with the password. Another clinician must wait or use another workstation: work left open is
never shown to someone else."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from smerteagent.core.accounts import Account
from smerteagent.core.errors import SmerteAgentError
from smerteagent.i18n import _

if TYPE_CHECKING:
    from smerteagent.usecases.services import AccountService


class Curtain(QWidget):
    """Covers one window's content entirely, following its size, until removed."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("lockCurtain")
        # Titles name the patient ("Care plan — Søren Ærø") in the title bar, taskbar and Alt+Tab.
        self.title = window.windowTitle()
        window.setWindowTitle(_("SmerteAgent — locked"))
        self.setAutoFillBackground(True)
        label = QLabel(_("Locked"), self)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
            self.raise_()
        return False


def cover(windows: list[QWidget]) -> list[Curtain]:
    """A curtain for each window not yet covered (patient mode covers first; the lock then adds the rest)."""
    return [Curtain(window) for window in windows if not curtain_of(window)]


def curtain_of(window: QWidget) -> Curtain | None:
    return window.findChild(Curtain, options=Qt.FindChildOption.FindDirectChildrenOnly)


class LockKey(QObject):
    """Ctrl+L from every window and dialog of the app: installed on the application, so a modal dialog
    (which blocks the main window's own shortcuts) does not stop it."""

    def __init__(self, lock: Callable[[], None], active: Callable[[], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lock, self.active = lock, active

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) or not isinstance(event, QKeyEvent):
            return False
        wanted = event.key() == Qt.Key.Key_L and event.modifiers() == Qt.KeyboardModifier.ControlModifier
        if not wanted or not self.active():
            return False
        event.accept()  # an override: no other shortcut takes Ctrl+L, the key press comes here
        if kind == QEvent.Type.KeyPress:
            self.lock()
        return True


def uncover(curtains: list[Curtain]) -> None:
    for curtain in curtains:
        parent = curtain.parentWidget()
        if parent is not None:
            parent.removeEventFilter(curtain)
            parent.setWindowTitle(curtain.title)
        curtain.deleteLater()


class UnlockDialog(QDialog):
    """Application-modal, so it takes the keyboard even over a modal dialog that was open when locking."""

    def __init__(self, accounts: AccountService, account: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accounts, self.account = accounts, account
        self.setWindowTitle(_("Locked"))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.message = QLabel(_("SmerteAgent was locked; the work is kept. {name} unlocks with the password.")
                              .format(name=account.display_name), self)  # fmt: skip
        self.message.setWordWrap(True)
        self.password = QLineEdit(self, echoMode=QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(_("Password"))
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #a40000")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.accepted.connect(self.try_unlock)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(QLabel(_("Password"), self))
        layout.addWidget(self.password)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def try_unlock(self) -> None:
        try:
            self.accounts.log_in(self.account.username, self.password.text())
        except SmerteAgentError as error:
            self.problem.setText(str(error))
            self.password.clear()
            return
        self.accept()

    def reject(self) -> None:
        """Escape does not unlock."""
        self.password.setFocus()
