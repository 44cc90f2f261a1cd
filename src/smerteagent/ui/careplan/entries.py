"""Typed entries of the care-plan editor: dates and numbers as a Danish clinician types them, and the row
tables (goals, actions, medication, tapering) whose cells may be combo boxes."""

from __future__ import annotations

import re
from datetime import date, datetime

from PySide6.QtWidgets import QComboBox, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from smerteagent.core.errors import SmerteAgentError
from smerteagent.i18n import _, day, language, number


class EntryProblem(SmerteAgentError):
    """A typed date or number that cannot be read: saving stops and says which, nothing is dropped."""


def parse_date(text: str, strict: bool = True) -> date | None:
    """dd.mm.yyyy (or ISO); empty is no date; anything else is refused when saving (``strict``)."""
    if not text.strip():
        return None
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    if strict:
        raise EntryProblem(_("'{text}' is not a date (dd.mm.yyyy)").format(text=text.strip()))
    return None


NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")


def parse_number(text: str, strict: bool = True) -> float | None:
    """A decimal comma or point; empty is no number; anything else is refused when saving (``strict``).

    Plain digits only: no 'nan', 'inf' or '1_000' (float() takes them, and a NaN dose would pass every
    comparison), and in Danish '1.800' is refused rather than read as 1.8 — it usually means 1800."""
    cleaned = text.strip()
    if not cleaned:
        return None
    problem = None
    if not NUMBER.match(cleaned):
        problem = _("'{text}' is not a number").format(text=cleaned)
    elif language() == "da" and THOUSANDS.match(cleaned):
        problem = _("'{text}': write the number without a thousands point, e.g. {plain}").format(
            text=cleaned, plain=cleaned.replace(".", "")
        )
    if problem is None:
        return float(cleaned.replace(",", "."))
    if strict:
        raise EntryProblem(problem)
    return None


def date_text(value: date | None) -> str:
    """As the clinician reads and types it (``parse_date`` reads both forms ``day`` writes)."""
    return day(value)


def number_text(value: float | None) -> str:
    """A decimal comma in Danish, as the clinician would type it."""
    return "" if value is None else number(value)


class RowTable(QTableWidget):
    """A table of text cells, some of them combo boxes (column -> {key: label}); Ctrl+Insert adds a row."""

    def __init__(self, headers: list[str], combos: dict[int, dict[str, str]], parent: QWidget) -> None:
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(headers)
        self.combos = combos
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # headers like 'Startet (dd.mm.åååå)'
        header.setStretchLastSection(True)

    def add_row(self, values: list[str] | None = None) -> int:
        row = self.rowCount()
        self.insertRow(row)
        for column, value in enumerate(values or [""] * self.columnCount()):
            if column in self.combos:
                combo = QComboBox(self)
                for key, label in self.combos[column].items():
                    combo.addItem(label, key)
                combo.setCurrentIndex(max(combo.findData(value), 0))
                self.setCellWidget(row, column, combo)
            else:
                self.setItem(row, column, QTableWidgetItem(value))
        return row

    def add_and_edit(self) -> int:
        """Add a row and start typing in its first text cell (focus must not stay on the button)."""
        row = self.add_row()
        column = next((c for c in range(self.columnCount()) if c not in self.combos), 0)
        self.setFocus()
        self.setCurrentCell(row, column)
        self.editItem(self.cell(row, column))
        return row

    def remove_current(self) -> bool:
        if self.currentRow() < 0:
            return False
        self.removeRow(self.currentRow())
        return True

    def clear_rows(self) -> None:
        self.setRowCount(0)

    def cell(self, row: int, column: int) -> QTableWidgetItem:
        """The text item at a cell, made when missing."""
        item = self.item(row, column)
        if item is None:
            item = QTableWidgetItem()
            self.setItem(row, column, item)
        return item

    def combo(self, row: int, column: int) -> QComboBox:
        widget = self.cellWidget(row, column)
        assert isinstance(widget, QComboBox), f"column {column} holds no choices"
        return widget

    def text(self, row: int, column: int) -> str:
        widget = self.cellWidget(row, column)
        if isinstance(widget, QComboBox):
            return str(widget.currentData() if widget.currentData() is not None else "")
        item = self.item(row, column)
        return item.text().strip() if item is not None else ""
