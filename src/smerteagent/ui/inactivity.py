"""Locks the window after the clinic's set minutes without keyboard or mouse use; the work stays open.

Until clinician accounts arrive (the data-protection issue), the clinician PIN from Settings unlocks it;
without a PIN, unlocking only needs a click, but the patient data is hidden while locked.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from smerteagent.core.settings import verify_pin
from smerteagent.i18n import _

ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel}


class InactivityWatch(QObject):
    """Watches all input to the application; ``timed_out`` fires after ``minutes`` of none."""

    timed_out = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self, singleShot=True)
        self.timer.timeout.connect(self.timed_out)
        self.set_minutes(minutes)

    def set_minutes(self, minutes: int) -> None:
        self.timer.setInterval(max(1, minutes) * 60_000)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY:
            self.timer.start()
        return False


class LockDialog(QDialog):
    """Covers the work until the PIN is given; the window behind keeps everything as it was."""

    def __init__(self, pin_hash: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pin_hash = pin_hash
        self.setWindowTitle(_("Locked"))
        self.setModal(True)
        text = _("SmerteAgent was locked after inactivity.")
        self.pin = QLineEdit(self, echoMode=QLineEdit.EchoMode.Password)
        self.pin.setAccessibleName(_("Clinician PIN"))
        self.pin.setVisible(bool(pin_hash))
        self.message = QLabel(text + (" " + _("Enter the clinician's PIN to go on.") if pin_hash else ""), self)
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.accepted.connect(self.try_unlock)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.pin)
        layout.addWidget(buttons)

    def try_unlock(self) -> None:
        if not self.pin_hash or verify_pin(self.pin.text(), self.pin_hash):
            self.accept()
            return
        self.pin.clear()
        self.message.setText(_("Wrong PIN. Enter the clinician's PIN to go on."))

    def reject(self) -> None:
        """Escape does not unlock."""
