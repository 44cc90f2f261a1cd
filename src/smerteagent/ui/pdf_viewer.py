"""The app's own PDF viewer (pages rendered with PDFium, which printing bundles already): a plan shown here is
covered by the lock, closed when the patient changes, and never in a window the app does not control. A file
is written only on an explicit "Save as…", under a name without the CPR number."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pypdfium2
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from smerteagent.i18n import _

SCREEN_DPI = 110
CPR_LIKE = re.compile(r"\d{6}-?\d{4}")


def safe_file_name(name: str) -> str:
    """A file name with no CPR-like digits and nothing a file system refuses."""
    cleaned = CPR_LIKE.sub("", name)
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", cleaned)
    cleaned = re.sub(r"\s+", " ", cleaned).strip(" .")
    return cleaned or "document"


def render_pages(pdf: bytes, dpi: int = SCREEN_DPI) -> list[QImage]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        images = []
        for page in document:
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True, prefer_bgrx=True)
            images.append(QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                                 QImage.Format.Format_RGBX8888).copy())  # fmt: skip
        return images
    finally:
        document.close()


class PdfViewer(QDialog):
    """One document, its pages one under the other; Ctrl+S saves a copy, Escape closes."""

    def __init__(self, pdf: bytes, title: str, file_name: str, write_copy: Callable[[Path, bytes], bool],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        """``write_copy(path, pdf)`` writes the copy and audits it (a failure already shown), True once saved."""
        super().__init__(parent, Qt.WindowType.Window)
        self.pdf, self.file_name, self.write_copy = pdf, safe_file_name(file_name), write_copy
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("pdfViewer")
        self.setWindowTitle(title)
        room = self.screen().availableGeometry()
        self.resize(min(980, room.width() - 40), min(1000, room.height() - 80))  # the title bar stays on screen
        pages = QWidget(self)
        column = QVBoxLayout(pages)
        self.pages = render_pages(pdf)
        for image in self.pages:
            label = QLabel(pages)
            label.setPixmap(QPixmap.fromImage(image))
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            column.addWidget(label)
        scroll = QScrollArea(self)
        scroll.setWidget(pages)
        scroll.setWidgetResizable(True)
        save = QPushButton(_("Save as…"), self)
        save.setShortcut(QKeySequence.StandardKey.Save)
        save.setToolTip(QKeySequence(QKeySequence.StandardKey.Save).toString(QKeySequence.SequenceFormat.NativeText))
        save.clicked.connect(self.ask_and_save)
        close = QPushButton(_("&Close"), self)
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(save)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

    def ask_and_save(self) -> Path | None:
        """Qt's own file dialog (not the system's), so the lock covers it like every other window."""
        chosen, _filter = QFileDialog.getSaveFileName(self, _("Save as"), self.file_name, _("PDF files (*.pdf)"),
                                                      options=QFileDialog.Option.DontUseNativeDialog)  # fmt: skip
        return self.save_to(Path(chosen)) if chosen else None

    def save_to(self, path: Path) -> Path | None:
        """Written (owner-only), audited, then named: a copy that could not be written leaves no audit event,
        one that could not be audited leaves no file."""
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        return path if self.write_copy(path, self.pdf) else None


def close_viewers() -> None:
    """Every open viewer closes (the patient changed)."""
    for window in QApplication.topLevelWidgets():
        if isinstance(window, PdfViewer):
            window.close()
