"""Help → Keyboard shortcuts: a consultation is run from the keyboard, so the keys are one press away."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from smerteagent.i18n import N_, _

SHORTCUTS = (
    ("Ctrl+F", N_("Find a patient (type part of the name or CPR number, Enter opens)")),
    ("Ctrl+N", N_("New patient")),
    ("Ctrl+B", N_("Start the chosen battery")),
    (N_("Digits"), N_("Answer the question; Enter or → goes on, ← back, Backspace clears")),
    ("Ctrl+Shift+P", N_("Hand the questionnaires to the patient (the clinic's PIN ends it, at the lock)")),
    ("Ctrl+Shift+B", N_("The patient's care plan")),
    ("Ctrl+S", N_("Save the care plan")),
    ("Ctrl+P", N_("Print the care plan")),
    ("Ctrl+Shift+O", N_("Show the care plan as a PDF in SmerteAgent's own viewer")),
    ("Ctrl+Shift+J", N_("Copy the journal note (cleared from the clipboard after 2 minutes)")),
    ("Ctrl+T", N_("Tapering plan of the drug in the chosen row")),
    ("Ctrl+Insert / Ctrl+Delete", N_("Add a row / remove the chosen row")),
    (N_("Alt+letter"), N_("The tab or button with that letter underlined")),
    ("Ctrl+L", N_("Lock (the work stays open; your password unlocks)")),
    ("Ctrl+,", N_("Settings (administrator)")),
)


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Keyboard shortcuts"))
        self.resize(640, 460)
        self.table = QTableWidget(len(SHORTCUTS), 2, self)
        self.table.setHorizontalHeaderLabels([_("Keys"), _("What they do")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, meaning) in enumerate(SHORTCUTS):
            self.table.setItem(row, 0, QTableWidgetItem(_(keys)))  # key names stay as they are, words translate
            self.table.setItem(row, 1, QTableWidgetItem(_(meaning)))
        self.table.resizeColumnToContents(0)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
