"""The clinic's accounts, for the administrator: add a clinician, set a password, change a role, and
(de)activate an account. Accounts are never deleted: the audit trail names them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smerteagent.core.accounts import ADMINISTRATOR, CLINICIAN, ROLES, Account
from smerteagent.i18n import _
from smerteagent.ui import operations
from smerteagent.ui.discard_guard import may_close, remember_fields

if TYPE_CHECKING:
    from smerteagent.usecases.services import AccountService


class NewAccountDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New account"))
        self.display_name, self.username = QLineEdit(self), QLineEdit(self)
        self.password = QLineEdit(self, echoMode=QLineEdit.EchoMode.Password)
        self.role = QComboBox(self)
        for key, label in ROLES.items():
            self.role.addItem(_(label), key)
        self.role.setCurrentIndex(self.role.findData(CLINICIAN))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(_("Name"), self.display_name)
        form.addRow(_("User name"), self.username)
        form.addRow(_("Password"), self.password)
        form.addRow(_("Role"), self.role)
        form.addRow(buttons)
        remember_fields(self)

    def reject(self) -> None:
        """Esc, Cancel and ✕: a new account's typed details are not dropped without asking."""
        if may_close(self):
            super().reject()


class AccountsDialog(QDialog):
    """Only shown to administrators; the service refuses anyone else as well."""

    def __init__(self, accounts: AccountService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accounts = accounts
        self.setWindowTitle(_("Accounts"))
        self.resize(640, 360)
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels([_("User name"), _("Name"), _("Role"), _("Active")])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        row = QHBoxLayout()
        actions = ((_("&New account…"), self.add), (_("Set &password…"), self.set_password),
                   (_("Change &role"), self.toggle_role), (_("&Activate/deactivate"), self.toggle_active))  # fmt: skip
        for text, slot in actions:
            button = QPushButton(text, self)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            row.addWidget(button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(close)
        self.refresh()

    def refresh(self) -> None:
        self.shown = self.accounts.list()
        self.table.setRowCount(len(self.shown))
        for number, account in enumerate(self.shown):
            cells = (account.username, account.display_name, _(ROLES.get(account.role, account.role)),
                     _("yes") if account.active else _("no"))  # fmt: skip
            for column, text in enumerate(cells):
                self.table.setItem(number, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def selected(self) -> Account | None:
        row = self.table.currentRow()
        return self.shown[row] if 0 <= row < len(self.shown) else None

    def add(self) -> None:
        dialog = NewAccountDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        name, username, password = dialog.display_name.text(), dialog.username.text(), dialog.password.text()
        role = dialog.role.currentData()
        if operations.attempt(self, lambda: self.accounts.create(username, name, password, role)).succeeded:
            self.refresh()

    def set_password(self) -> None:
        account = self.selected()
        if account is None:
            return
        password, ok = QInputDialog.getText(self, _("Set password"), _("New password for {name}").format(
            name=account.display_name), QLineEdit.EchoMode.Password)  # fmt: skip
        if ok:
            operations.attempt(self, lambda: self.accounts.set_password(account.id, password))

    def toggle_role(self) -> None:
        account = self.selected()
        if account is None:
            return
        other = CLINICIAN if account.is_administrator else ADMINISTRATOR
        if operations.attempt(self, lambda: self.accounts.update(account.id, role=other)).succeeded:
            self.refresh()

    def toggle_active(self) -> None:
        account = self.selected()
        if account is None:
            return
        if operations.attempt(self, lambda: self.accounts.update(account.id, active=not account.active)).succeeded:
            self.refresh()
