"""Closing a dialog never loses typing without asking: Esc, Cancel and the window's ✕ on a dialog whose fields
changed since it opened ask first (issue 15: "closing never loses typing"). Nothing changed: it just closes."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QWidget,
)

from smerteagent.i18n import _

_SHOWN = "_fields_when_opened"


def fields(dialog: QWidget) -> list[object]:
    """What the user can have typed or chosen in ``dialog``, in widget order."""
    found: list[object] = []
    for widget in dialog.findChildren(QWidget):
        if isinstance(widget, QLineEdit) and not isinstance(widget.parent(), QAbstractSpinBox | QComboBox):
            found.append(widget.text())
        elif isinstance(widget, QPlainTextEdit):
            found.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            found.append(widget.currentIndex())
        elif isinstance(widget, QCheckBox):
            found.append(widget.isChecked())
        elif isinstance(widget, QAbstractSpinBox):
            found.append(widget.text())
        elif isinstance(widget, QTableWidget):
            found.append(_cells(widget))
    return found


def _cells(table: QTableWidget) -> list[str]:
    """Every cell's text, row by row (a schedule edited by hand is typing too)."""
    return [
        (item.text() if (item := table.item(row, column)) is not None else "")
        for row in range(table.rowCount())
        for column in range(table.columnCount())
    ]


def remember_fields(dialog: QDialog) -> None:
    """Call at the end of the dialog's set-up: what it shows then is what closing may drop without asking."""
    setattr(dialog, _SHOWN, fields(dialog))


def may_close(dialog: QDialog) -> bool:
    """True when nothing changed, or the user agrees to discard what was typed."""
    if fields(dialog) == getattr(dialog, _SHOWN, None):
        return True
    answer = QMessageBox.question(
        dialog,
        _("Discard what you typed?"),
        _("What you typed in this window is not saved. Close it and discard it?"),
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Discard
