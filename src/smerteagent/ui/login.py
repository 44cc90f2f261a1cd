"""The login page: no patient data is shown before a clinician has logged in. At the very first start it
asks for the administrator's account instead. (A lock is unlocked in ui.lock, over whatever is open.)

The page is shown at once, while storage still loads behind it; a login typed before storage is ready
is checked the moment it is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from smerteagent.core.accounts import ADMINISTRATOR
from smerteagent.core.errors import SmerteAgentError
from smerteagent.i18n import _

if TYPE_CHECKING:
    from smerteagent.ui.context import AppContext

LOGIN, FIRST_ACCOUNT = "login", "first_account"


class LoginPage(QWidget):
    logged_in = Signal(object)  # the Account

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.mode = LOGIN
        self._pending = False
        self.title = QLabel(self)
        self.title.setObjectName("loginTitle")
        self.title.setStyleSheet("font-size: 18pt; font-weight: 600")
        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)
        self.display_name, self.username = QLineEdit(self), QLineEdit(self)
        self.password = QLineEdit(self, echoMode=QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit(self, echoMode=QLineEdit.EchoMode.Password)
        self.display_name.setAccessibleName(_("Your name"))
        self.username.setAccessibleName(_("User name"))
        self.password.setAccessibleName(_("Password"))
        self.repeat.setAccessibleName(_("Repeat the password"))
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a40000")
        self.button = QPushButton(self)
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        for field in (self.display_name, self.username, self.password, self.repeat):
            field.returnPressed.connect(self.submit)
        self.form = QFormLayout()
        for field in (self.display_name, self.username, self.password, self.repeat):
            self.form.addRow(field.accessibleName(), field)
        box = QFrame(self)
        box.setMaximumWidth(460)
        inner = QVBoxLayout(box)
        inner.addWidget(self.title)
        inner.addWidget(self.explanation)
        inner.addLayout(self.form)
        inner.addWidget(self.message)
        inner.addWidget(self.button, 0, Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        context.services_did_load.connect(self._storage_ready)
        self.show_mode(LOGIN)

    def retranslate(self) -> None:
        """The labels in the current language; what was typed stays."""
        for field, label in ((self.display_name, _("Your name")), (self.username, _("User name")),
                             (self.password, _("Password")), (self.repeat, _("Repeat the password"))):  # fmt: skip
            field.setAccessibleName(label)
            shown = self.form.labelForField(field)
            if isinstance(shown, QLabel):
                shown.setText(label)
        self.show_mode(self.mode, keep_typed=True)

    def show_mode(self, mode: str, *, keep_typed: bool = False) -> None:
        """Login, or the first administrator's account."""
        self.mode = mode
        first = mode == FIRST_ACCOUNT
        for field in (self.display_name, self.repeat):
            self.form.setRowVisible(field, first)
        if not keep_typed:
            self.password.clear()
            self.repeat.clear()
            self.message.clear()
        if first:
            self.title.setText(_("Welcome to SmerteAgent"))
            self.explanation.setText(_("Create the first account. It is the administrator's: it manages the "
                                       "clinic's accounts and settings."))  # fmt: skip
            self.button.setText(_("&Create account"))
        else:
            self.title.setText(_("Log in"))
            self.explanation.setText(_("Patient data is shown after you log in."))
            self.button.setText(_("&Log in"))
        (self.display_name if first else self.username).setFocus()

    def _storage_ready(self) -> None:
        services = self.context.services
        if services.accounts.identity.account is not None:
            return  # already logged in (a session handed over by the caller)
        if self.mode == LOGIN and services.accounts.count() == 0:
            self.show_mode(FIRST_ACCOUNT)
        elif self._pending:
            self.submit()

    def submit(self) -> None:
        if not self.context.loaded:
            self._pending = True
            self.message.setText(_("Opening the database…"))
            return
        self._pending = False
        accounts = self.context.services.accounts
        try:
            if self.mode == FIRST_ACCOUNT:
                if self.password.text() != self.repeat.text():
                    self.message.setText(_("The two passwords differ"))
                    return
                accounts.create(self.username.text(), self.display_name.text(), self.password.text(), ADMINISTRATOR)
            account = accounts.log_in(self.username.text(), self.password.text())
        except SmerteAgentError as error:
            self.message.setText(str(error))
            self.password.clear()
            self.password.setFocus()
            return
        self.password.clear()
        self.repeat.clear()
        self.logged_in.emit(account)
