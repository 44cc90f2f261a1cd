"""Printing a PDF through Qt's own print dialog: the pages ReportLab made are rasterised with PDFium
(pypdfium2, a few MB) at the printer's resolution and painted onto the QPrinter, so the paper is exactly the
PDF. (QtPdf would do the same but ships only in PySide6-Addons, ~140 MB more.)"""

from __future__ import annotations

from collections.abc import Iterable

import pypdfium2
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

MAX_DPI = 300  # enough for text on paper; a 1200 dpi printer need not get 16 times the pixels


def page_count(pdf: bytes) -> int:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def pages_wanted(printer: QPrinter, count: int) -> range:
    """The pages chosen in the dialog (1-based in Qt, 0 meaning 'all'), as 0-based indexes."""
    first, last = printer.fromPage(), printer.toPage()
    if first == 0 and last == 0:
        return range(count)
    return range(max(first, 1) - 1, min(last, count))


def paint_pdf(pdf: bytes, printer: QPrinter, pages: Iterable[int] | None = None) -> int:
    """Paint ``pages`` (default: the dialog's choice) of ``pdf`` onto ``printer``; returns pages painted."""
    document = pypdfium2.PdfDocument(pdf)
    painter = QPainter()
    painted = 0
    try:
        wanted = list(pages if pages is not None else pages_wanted(printer, len(document)))
        for _copy in range(max(printer.copyCount(), 1) if not printer.supportsMultipleCopies() else 1):
            for index in wanted:
                if painted == 0 and not painter.begin(printer):
                    raise OSError("the printer could not be started")
                if painted:
                    printer.newPage()
                _paint_page(document[index], printer, painter)
                painted += 1
    finally:
        if painter.isActive():
            painter.end()
        document.close()
    return painted


def _paint_page(page: pypdfium2.PdfPage, printer: QPrinter, painter: QPainter) -> None:
    target = QRectF(printer.pageLayout().paintRectPixels(printer.resolution()))
    target.moveTo(0, 0)
    width_points, height_points = page.get_size()
    dpi = min(printer.resolution(), MAX_DPI)
    bitmap = page.render(scale=dpi / 72, rev_byteorder=True, prefer_bgrx=True, optimize_mode="print")
    image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGBX8888).copy()
    # Keep the page's proportions inside the printable area (printers differ in their margins).
    scale = min(target.width() / width_points, target.height() / height_points)
    painter.drawImage(QRectF(0, 0, width_points * scale, height_points * scale), image)


def print_pdf(pdf: bytes, parent: QWidget | None, title: str) -> bool:
    """Ask for printer, pages and copies with QPrintDialog, then print; False when cancelled or nothing printed."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                      printer.pageLayout().margins()))  # fmt: skip
    # The PDF has its own margins; the page is fitted into the printer's printable area, so a printer's
    # hardware margin never clips the footer.
    printer.setFullPage(False)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    dialog.setMinMax(1, page_count(pdf))
    for option in (QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage,
                   QAbstractPrintDialog.PrintDialogOption.PrintSelection):  # fmt: skip
        dialog.setOption(option, False)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    return paint_pdf(pdf, printer) > 0  # nothing painted (a range past the end) is not "printed"
