"""The patient's values: each life domain rated for importance and for how well life matches it now, and
the domains chosen to work on (the goals must serve one of them)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QSpinBox, QWidget

from smerteagent.core.careplan.plan import LIFE_DOMAINS, ValueRating
from smerteagent.i18n import _


class ValuesTab(QWidget):
    chosen_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        for column, text in enumerate((_("Life domain"), _("Importance (0-10)"), _("Now (0-10)"), _("Work on this"))):
            grid.addWidget(QLabel(text, self), 0, column)
        self.rows: dict[str, tuple[QSpinBox, QSpinBox, QCheckBox]] = {}
        for row, (domain, label) in enumerate(LIFE_DOMAINS.items(), start=1):
            importance, now, chosen = QSpinBox(self), QSpinBox(self), QCheckBox(self)
            for spin, name in ((importance, _("Importance")), (now, _("Now"))):
                spin.setRange(0, 10)
                spin.setAccessibleName(f"{_(label)}: {name}")
            chosen.setAccessibleName(f"{_(label)}: {_('Work on this')}")
            chosen.toggled.connect(lambda _on: self.chosen_changed.emit())
            self.rows[domain] = (importance, now, chosen)
            for column, widget in enumerate((QLabel(_(label), self), importance, now, chosen)):
                grid.addWidget(widget, row, column)
        grid.setRowStretch(len(LIFE_DOMAINS) + 1, 1)
        self.notes: dict[str, str | None] = {}

    def fill(self, values: tuple[ValueRating, ...]) -> None:
        self.notes = {value.domain: value.note for value in values}  # not edited here, but never dropped
        for value in values:
            importance, now, chosen = self.rows[value.domain]
            importance.setValue(value.importance)
            now.setValue(value.current)
            chosen.setChecked(value.chosen)

    def values(self) -> tuple[ValueRating, ...]:
        notes = self.notes
        return tuple(
            ValueRating(d, i.value(), n.value(), c.isChecked(), notes.get(d)) for d, (i, n, c) in self.rows.items()
        )

    def chosen(self) -> dict[str, str]:
        """The chosen domains with their labels, in the order shown."""
        return {d: _(LIFE_DOMAINS[d]) for d, (_i, _n, box) in self.rows.items() if box.isChecked()}
