"""The patient's values: each life domain rated for importance and for how well life matches it now, the
domains chosen to work on (the goals must serve one of them), what matters in the patient's own words, and
which measures the patient wants to follow as charts on the handout."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from smerteagent.core.careplan.plan import LIFE_DOMAINS, ValueRating
from smerteagent.i18n import _


class ValuesTab(QWidget):
    chosen_changed = Signal()
    changed = Signal()

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
        below = len(LIFE_DOMAINS) + 1
        self.own_words = QPlainTextEdit(self)
        self.own_words.setTabChangesFocus(True)  # Tab moves on, as in every other field
        self.own_words.setPlaceholderText(_("e.g. play with the grandchildren"))
        self.own_words.setAccessibleName(_("In your own words"))
        self.own_words.setFixedHeight(self.own_words.fontMetrics().lineSpacing() * 3 + 12)
        self.own_words.textChanged.connect(self.changed.emit)
        grid.addWidget(QLabel(_("In your own words"), self), below, 0)
        grid.addWidget(self.own_words, below, 1, 1, 3)
        self.charts_box = QGroupBox(_("Charts on the patient's care plan (measures answered twice or more)"), self)
        self.chart_boxes: dict[str, QCheckBox] = {}
        self.stored_charts: tuple[str, ...] = ()
        self.no_charts = QLabel(_("No measure the patient may read has been answered twice yet."), self.charts_box)
        QVBoxLayout(self.charts_box).addWidget(self.no_charts)
        grid.addWidget(self.charts_box, below + 1, 0, 1, 4)
        grid.setRowStretch(below + 2, 1)
        self.notes: dict[str, str | None] = {}

    def offer_charts(self, measures: dict[str, str]) -> None:
        """One tick per measure the patient may choose to follow (form id -> title); none ticked by default."""
        row = QHBoxLayout()
        for form_id, title in measures.items():
            box = QCheckBox(title, self.charts_box)
            box.setAccessibleName(_("Chart on the care plan: {measure}").format(measure=title))
            box.toggled.connect(lambda _on: self.changed.emit())
            self.chart_boxes[form_id] = box
            row.addWidget(box)
        row.addStretch()
        layout = self.charts_box.layout()
        if isinstance(layout, QVBoxLayout):
            layout.addLayout(row)
        self.no_charts.setVisible(not measures)

    def fill(self, values: tuple[ValueRating, ...], own_words: str | None = None, charts: tuple[str, ...] = ()) -> None:
        self.notes = {value.domain: value.note for value in values}  # not edited here, but never dropped
        self.own_words.setPlainText(own_words or "")
        for form_id, box in self.chart_boxes.items():
            box.setChecked(form_id in charts)
        self.stored_charts = charts  # in the stored order; one not offered now (no course yet) is never dropped
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

    def words(self) -> str | None:
        """The patient's own words as typed (None when empty)."""
        return self.own_words.toPlainText().strip() or None

    def charts(self) -> tuple[str, ...]:
        """The charts chosen, in the order first chosen (a reopened plan is unchanged until a tick changes)."""
        ticked = [form_id for form_id, box in self.chart_boxes.items() if box.isChecked()]
        kept = [c for c in self.stored_charts if c not in self.chart_boxes or c in ticked]
        return tuple(kept + [c for c in ticked if c not in kept])

    def chosen(self) -> dict[str, str]:
        """The chosen domains with their labels, in the order shown."""
        return {d: _(LIFE_DOMAINS[d]) for d, (_i, _n, box) in self.rows.items() if box.isChecked()}
