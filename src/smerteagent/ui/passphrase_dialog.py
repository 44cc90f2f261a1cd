"""At start: the passphrase of an encrypted database, asked for when none was given.

The passphrase is kept in memory only, for this session's connections and backups; it is never saved.
A wrong one is said plainly and asked again; Cancel closes SmerteAgent.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from smerteagent.i18n import _


class PassphraseDialog(QDialog):
    """One password field; OK only when something is typed."""

    def __init__(self, database: str, *, wrong: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Encrypted database"))
        intro = QLabel(_("The database {database} is encrypted. Type its passphrase to open it.").format(
            database=database))  # fmt: skip
        intro.setWordWrap(True)
        self.problem = QLabel(_("That passphrase does not open the database. Try again.") if wrong else "")
        self.problem.setObjectName("unlock_problem")
        self.problem.setVisible(wrong)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(_("Passphrase"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(False)
        self.passphrase.textChanged.connect(lambda text: self.ok.setEnabled(bool(text)))
        layout = QVBoxLayout(self)
        for widget in (intro, self.problem, self.passphrase, buttons):
            layout.addWidget(widget)


def ask_passphrase(parent: QWidget | None, database: str, *, wrong: bool) -> str | None:
    """The passphrase typed, or None when the user cancels."""
    dialog = PassphraseDialog(database, wrong=wrong, parent=parent)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    typed = dialog.passphrase.text()
    dialog.passphrase.clear()
    dialog.deleteLater()
    return typed if accepted and typed else None
