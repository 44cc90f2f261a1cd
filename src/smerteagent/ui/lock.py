"""Locking the screen with the work kept: every open window is covered by a curtain (a dialog being
filled in stays open underneath, nothing is closed or rejected), and only the clinician who was logged in
unlocks it with the password, or another clinician switches user: the first one's unsaved work is then kept
as their private draft and the open patient closed, so work left open is never shown to someone else."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from smerteagent.core.accounts import Account, LoginFailed, LoginThrottled
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
    """Application-modal, so it takes the keyboard even over a modal dialog that was open when locking.

    The clinician who locked types their password; "Switch user" lets another clinician log in with their
    own user name and password instead (``switched_to``): the faces then keep the first one's unsaved work
    as their private draft and close the open patient. A message names a user name only while asking for one.
    """

    def __init__(self, accounts: AccountService, account: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accounts, self.account = accounts, account
        self.switching = False
        self.switched_to: Account | None = None
        self.setWindowTitle(_("Locked"))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.username_label = QLabel(self)
        self.username = QLineEdit(self)
        self.password_label = QLabel(self)
        self.password = QLineEdit(self, echoMode=QLineEdit.EchoMode.Password)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #a40000")
        self.switch_button = QPushButton(self)
        self.switch_button.setAutoDefault(False)
        self.switch_button.clicked.connect(lambda: self.show_switching(not self.switching))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.addButton(self.switch_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.try_unlock)
        layout = QVBoxLayout(self)
        for widget in (self.message, self.username_label, self.username, self.password_label, self.password,
                       self.problem, buttons):  # fmt: skip
            layout.addWidget(widget)
        self.setMinimumWidth(460)
        self.show_switching(False)

    def show_switching(self, switching: bool) -> None:
        """The locking clinician's password, or another clinician's user name and password."""
        self.switching = switching
        name = self.account.display_name
        if switching:
            self.message.setText(_("Another clinician logs in with their own user name and password. The open "
                                   "patient is closed; {name}'s unsaved work is kept as a draft that only {name} "
                                   "gets back, at their next login.").format(name=name))  # fmt: skip
            self.switch_button.setText(_("&Back to {name}").format(name=name))
        else:
            self.message.setText(_("SmerteAgent is locked; the work is kept. {name} unlocks with their password.")
                                 .format(name=name))  # fmt: skip
            self.switch_button.setText(_("&Switch user"))
        self.username_label.setText(_("User name"))
        self.password_label.setText(_("Password"))
        self.username.setAccessibleName(_("User name"))
        self.password.setAccessibleName(_("Password"))
        for widget in (self.username_label, self.username):
            widget.setVisible(switching)
        self.username.clear()
        self.password.clear()
        self.problem.clear()
        self.adjustSize()  # the longer message and the user-name field fit
        (self.username if switching else self.password).setFocus()

    def try_unlock(self) -> None:
        username = self.username.text() if self.switching else self.account.username
        try:
            account = self.accounts.log_in(username, self.password.text())
        except LoginThrottled as error:
            wait = _("Too many wrong passwords; try again in {seconds} seconds").format(seconds=error.seconds)
            self.problem.setText(str(error) if self.switching else wait)
            self.password.clear()
            return
        except SmerteAgentError as error:
            wrong_password = isinstance(error, LoginFailed) and not self.switching
            self.problem.setText(_("Wrong password") if wrong_password else str(error))
            self.password.clear()
            return
        self.switched_to = account if account.id != self.account.id else None
        self.accept()

    def reject(self) -> None:
        """Escape does not unlock."""
        (self.username if self.switching else self.password).setFocus()
