"""Received discharge summaries and letters (supervision checkpoint 17): when each came, from whom, who
assessed it and when, and what was done."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from smerteagent.core.careplan.plan import LETTER_KINDS, ReceivedLetter
from smerteagent.i18n import _
from smerteagent.ui.careplan.entries import EntryProblem, RowTable, date_text, parse_date

RECEIVED, SENDER, KIND, ASSESSED_BY, ASSESSED_ON, ACTION = range(6)


def letters_table(parent: QWidget) -> RowTable:
    kinds = {key: _(label) for key, label in LETTER_KINDS.items()}
    return RowTable([_("Received (dd.mm.yyyy)"), _("From"), _("Kind"), _("Assessed by"),
                     _("Assessed (dd.mm.yyyy)"), _("Action")], {KIND: kinds}, parent)  # fmt: skip


def fill_letters(table: RowTable, letters: tuple[ReceivedLetter, ...]) -> None:
    table.clear_rows()
    for letter in letters:
        table.add_row([date_text(letter.received_on), letter.sender, letter.kind, letter.assessed_by or "",
                       date_text(letter.assessed_on), letter.action or ""])  # fmt: skip


def read_letters(table: RowTable, strict: bool = True) -> tuple[ReceivedLetter, ...]:
    """The letters listed; a row with anything typed but no date received stops a save."""
    found = []
    for row in range(table.rowCount()):
        received = parse_date(table.text(row, RECEIVED), strict)
        if received is None:
            if strict and any(table.text(row, c) for c in (SENDER, ASSESSED_BY, ASSESSED_ON, ACTION)):
                raise EntryProblem(_("Letter row {number} has no date received").format(number=row + 1))
            continue
        found.append(ReceivedLetter(received, table.text(row, SENDER), table.text(row, KIND) or "discharge_summary",
                                    table.text(row, ASSESSED_BY) or None,
                                    parse_date(table.text(row, ASSESSED_ON), strict),
                                    table.text(row, ACTION) or None))  # fmt: skip
    return tuple(found)
