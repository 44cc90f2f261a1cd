"""Medication warnings at a glance: one coloured row per warning (red critical, orange warning, yellow notice),
most severe first, each acknowledged in place with a reason. An acknowledged warning stays on screen (and in
print), greyed, with who acknowledged it and why. The panel only shows; its owner stores the acknowledgement
through the use case and shows the warnings again."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from smerteagent.i18n import N_, _, day
from smerteagent.usecases.medication import ShownWarning

COLOURS = {  # background, border/text
    "critical": ("#fbe3e4", "#a40000"),
    "warning": ("#fff0d9", "#9a5b00"),
    "notice": ("#fffbe0", "#6b5d00"),
}
SEVERITY_LABELS = {"critical": N_("Critical"), "warning": N_("Warning"), "notice": N_("Notice")}


class WarningRow(QFrame):
    """One warning: severity and text, and either a reason field with an acknowledge button or the
    acknowledgement given."""

    acknowledge = Signal(object, str)  # MedicationWarning, reason

    def __init__(self, shown: ShownWarning, can_acknowledge: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shown = shown
        background, ink = COLOURS.get(shown.severity, COLOURS["warning"])
        self.setObjectName("medicationWarning")
        self.setStyleSheet(f"#medicationWarning {{ background: {background}; border-left: 4px solid {ink}; }}")
        label = _(SEVERITY_LABELS.get(shown.severity, SEVERITY_LABELS["warning"]))
        self.text = QLabel(f"<b style='color:{ink}'>{label}:</b> {_escape(shown.text)}", self)
        self.text.setWordWrap(True)
        self.text.setAccessibleName(f"{label}: {shown.text}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.text, 1)
        self.reason: QLineEdit | None = None
        self.button: QPushButton | None = None
        if shown.acknowledged is not None:
            done = shown.acknowledged
            note = QLabel(_("Acknowledged by {who} on {date}: {reason}").format(
                who=done.actor, date=day(done.at), reason=done.reason), self)  # fmt: skip
            note.setWordWrap(True)
            note.setStyleSheet("color: #555")
            layout.addWidget(note, 1)
        elif can_acknowledge:
            self.reason = QLineEdit(self)
            self.reason.setPlaceholderText(_("Reason for going on"))
            self.reason.setAccessibleName(_("Reason for acknowledging: {warning}").format(warning=shown.text))
            self.button = QPushButton(_("Acknowledge"), self)
            self.button.setAutoDefault(False)
            self.button.clicked.connect(self._acknowledge)
            self.reason.returnPressed.connect(self._acknowledge)
            layout.addWidget(self.reason, 1)
            layout.addWidget(self.button)

    def _acknowledge(self) -> None:
        assert self.reason is not None
        self.acknowledge.emit(self.shown.warning, self.reason.text())


class MedicationWarningsPanel(QWidget):
    """The rows of :class:`WarningRow`; ``acknowledge`` is re-emitted for the owner to store."""

    acknowledge = Signal(object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[WarningRow] = []
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #a40000")
        self.problem.hide()
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.problem)
        self.hide()

    def show_warnings(self, shown: list[ShownWarning], can_acknowledge: bool) -> None:
        for row in self.rows:
            self._layout.removeWidget(row)
            row.deleteLater()
        self.rows = [WarningRow(s, can_acknowledge, self) for s in shown]
        for row in self.rows:
            row.acknowledge.connect(self.acknowledge)
            self._layout.addWidget(row)
        self.setVisible(bool(self.rows))

    def show_problem(self, text: str | None) -> None:
        self.problem.setText(text or "")
        self.problem.setVisible(bool(text))

    def texts(self) -> list[str]:
        """The warnings shown, in words (for tests and screen readers)."""
        return [row.shown.text for row in self.rows]

    def row_for(self, kind: str) -> WarningRow:
        return next(row for row in self.rows if row.shown.warning.kind == kind)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
