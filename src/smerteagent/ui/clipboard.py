"""What the app puts on the clipboard does not outlive its patient: it is cleared when the patient changes,
on lock, on handing over to the patient, and after ``HOLD_SECONDS`` — long enough to paste a journal note into
the record system, short enough not to wait for the next patient."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QClipboard
from PySide6.QtWidgets import QApplication

HOLD_SECONDS = 120


class ClipboardGuard(QObject):
    """Remembers the text the app copied (its own Copy buttons and Ctrl+C in its fields) and clears it;
    text another program copied since is left alone."""

    def __init__(self, parent: QObject | None = None, hold_seconds: int = HOLD_SECONDS) -> None:
        super().__init__(parent)
        self.ours: str | None = None
        self.timer = QTimer(self, singleShot=True, interval=hold_seconds * 1000)
        self.timer.timeout.connect(self.clear)
        self.clipboard().dataChanged.connect(self._changed)

    @staticmethod
    def clipboard() -> QClipboard:
        return QApplication.clipboard()

    def put(self, text: str) -> None:
        self.clipboard().setText(text)
        self._remember(text)

    def _changed(self) -> None:
        """Ctrl+C in one of the app's own fields: the app is active, so the copy is its own."""
        if QApplication.activeWindow() is not None and self.clipboard().text():
            self._remember(self.clipboard().text())

    def _remember(self, text: str) -> None:
        self.ours = text
        self.timer.start()

    def clear(self) -> None:
        clipboard = self.clipboard()
        if clipboard.ownsClipboard() or (self.ours is not None and clipboard.text() == self.ours):
            clipboard.clear()
        if clipboard.supportsSelection() and clipboard.ownsSelection():
            clipboard.clear(QClipboard.Mode.Selection)  # X11's middle-click selection: text selected in a field
        self.ours = None
        self.timer.stop()
