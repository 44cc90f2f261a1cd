"""The red suicide-risk banner: it stays until the clinician records what was done."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from smerteagent.core.patients import PatientSummary
from smerteagent.core.safety import SAFETY_ACTIONS
from smerteagent.i18n import _
from smerteagent.ui.banner import PatientBanner
from smerteagent.ui.discard_guard import may_close, remember_fields


class SafetyActionDialog(QDialog):
    """Asks what was done about the encounter's critical flags — one action covers them all (PHQ-9 item 9 and
    C-SSRS are one assessment, not two); 'other' needs a note."""

    def __init__(
        self, description: str | Sequence[str], patient: PatientSummary | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        descriptions = [description] if isinstance(description, str) else list(description)
        self.setWindowTitle(_("Record the action taken"))
        self.banner = PatientBanner(self)
        self.banner.set_patient(patient)
        self.action = QComboBox(self)
        # No action is chosen in advance: one Enter must never record "no acute risk" for a patient who has
        # just told of suicidal thoughts.
        self.action.addItem(_("— choose what was done —"), None)
        for key, label in SAFETY_ACTIONS.items():
            self.action.addItem(_(label), key)
        self.action.setAccessibleName(_("Action taken"))
        self.note = QPlainTextEdit(self)
        self.note.setTabChangesFocus(True)  # Tab reaches OK; the note is several lines, not a tab character
        self.note.setAccessibleName(_("Note"))
        self.note.setPlaceholderText(_("What was assessed and agreed, who was contacted"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept_if_complete)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow(self.banner)
        layout.addRow(QLabel("\n".join(f"• {text}" for text in descriptions), wordWrap=True))
        layout.addRow(_("Action taken"), self.action)
        layout.addRow(_("Note"), self.note)
        layout.addRow(buttons)
        remember_fields(self)

    def reject(self) -> None:
        """Esc, Cancel and ✕: a note typed about the suicide-risk assessment is not dropped without asking."""
        if may_close(self):
            super().reject()

    def _accept_if_complete(self) -> None:
        if self.action.currentData() is None:
            self.action.setFocus()
            return
        if self.action.currentData() == "other" and not self.note.toPlainText().strip():
            self.note.setPlaceholderText(_("Describe what was done"))
            self.note.setFocus()
            return
        self.accept()

    def choice(self) -> tuple[str, str | None]:
        return str(self.action.currentData()), self.note.toPlainText().strip() or None


class SafetyBanner(QFrame):
    """Visible while any critical flag is open; ``record_requested`` asks the page to record an action."""

    record_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("safetyBanner")
        self.setStyleSheet("#safetyBanner { background: #b00020; } #safetyBanner QLabel { color: white; }")
        self.text = QLabel(self, wordWrap=True)
        font = self.text.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.text.setFont(font)
        self.button = QPushButton(_("&Record action…"), self)
        self.button.clicked.connect(self.record_requested)
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)
        self.setAccessibleName(_("Suicide risk alert"))
        self.hide()

    def show_alerts(self, messages: list[str]) -> None:
        text = _("SUICIDE RISK — record what was done:") + " " + "; ".join(messages)
        self.text.setText(text)
        self.setAccessibleDescription(text)
        self.setVisible(bool(messages))
