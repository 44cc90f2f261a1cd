"""The tapering plan of one drug: from the start dose down in steps at an interval to a floor, computed by the
core and then editable row by row (hold a step longer, slow down near the end); who follows up and when.

An edited schedule is checked by the same rules as a computed one (never rising, never below the floor,
dates in order) before the dialog closes, so a plan that could harm is never saved."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smerteagent.core.careplan.medication import Catalogue, Medication, display_mme
from smerteagent.core.careplan.plan import PlannedMedication, TaperingPlan
from smerteagent.core.careplan.tapering import TaperingError, TaperStep
from smerteagent.i18n import _
from smerteagent.ui.careplan.entries import EntryProblem, RowTable, date_text, number_text, parse_date, parse_number
from smerteagent.ui.discard_guard import may_close, remember_fields
from smerteagent.usecases.tapering import PACES, default_pace, default_step, first_step_on


class TaperingDialog(QDialog):
    """Edits ``medication.tapering``; after ``exec()`` :attr:`tapering` holds the plan (None: removed)."""

    def __init__(
        self,
        medication: PlannedMedication,
        catalogue: Catalogue,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.medication, self.catalogue = medication, catalogue
        self.tapering: TaperingPlan | None = medication.tapering
        self.setWindowTitle(_("Tapering plan — {name}").format(name=medication.name))
        plan = medication.tapering
        today = today or date.today()
        start = first_step_on(today)
        pace = default_pace(medication.started_on, today)
        step_default, default_interval = default_step(pace)
        self.pace = QComboBox(self)
        for key, (label, _step, _days) in PACES.items():
            self.pace.addItem(_(label), key)
        self.pace.setCurrentIndex(self.pace.findData("own" if plan else pace))
        self.pace.currentIndexChanged.connect(self._pace_chosen)
        found = catalogue.classify(medication.name)
        strengths = plan.strengths if plan else found.strengths
        self.strengths = QLineEdit("; ".join(number_text(s) for s in strengths), self)
        self.strengths.setPlaceholderText(_("e.g. 5; 10 (the product's tablet or patch strengths)"))
        self.start_dose = QLineEdit(number_text(plan.start_dose if plan else medication.daily_dose), self)
        self.step = QLineEdit(number_text(plan.step if plan else step_default), self)
        self.step_unit = QComboBox(self)
        self.step_unit.addItem(_("% of the start dose"), True)
        self.step_unit.addItem(_("µg/h per step") if found.unit == "microgram_per_hour" else _("mg per step"), False)
        self.step_unit.setCurrentIndex(0 if plan is None or plan.step_is_percent else 1)
        self.interval = QLineEdit(str(plan.interval_days if plan else default_interval), self)
        self.floor = QLineEdit(number_text(plan.floor if plan else 0), self)
        self.starts_on = QLineEdit(date_text(plan.starts_on if plan else start), self)
        self.round_to = QLineEdit(number_text(plan.round_to) if plan else "", self)
        self.followed_up_by = QLineEdit(plan.followed_up_by or "" if plan else "", self)
        self.follow_up_on = QLineEdit(date_text(plan.follow_up_on) if plan else "", self)
        for field in (self.starts_on, self.follow_up_on):
            field.setPlaceholderText(_("dd.mm.yyyy"))
        self.round_to.setPlaceholderText(_("e.g. 5 (tablet strength)"))
        self.table = RowTable([_("From date"), _("Daily dose"), _("MME per day")], {}, self)
        self.table.itemChanged.connect(self._row_edited)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #a40000")
        self._build_layout()
        # The fields the rows were made from, and whether a row was changed by hand since: rows made from
        # other fields than those shown are never saved (a start dose changed without "Make schedule").
        self.rows_from: tuple[object, ...] | None = None
        self.hand_edited = False
        if plan is not None:
            self._show(plan.schedule())
            self.rows_from, self.hand_edited = _dose_fields(plan), bool(plan.steps)
        remember_fields(self)

    def reject(self) -> None:
        """Esc, Cancel and ✕: a schedule typed or edited by hand is not dropped without asking."""
        if may_close(self):
            super().reject()

    def _build_layout(self) -> None:
        form = QFormLayout()
        step = QHBoxLayout()
        step.addWidget(self.step)
        step.addWidget(self.step_unit)
        form.addRow(_("Start dose (per day)"), self.start_dose)
        form.addRow(_("Pace"), self.pace)
        form.addRow(_("Step"), step)
        form.addRow(_("Days per step"), self.interval)
        form.addRow(_("Lowest dose (floor)"), self.floor)
        form.addRow(_("First step on"), self.starts_on)
        form.addRow(_("Strengths"), self.strengths)
        form.addRow(_("Round to"), self.round_to)
        form.addRow(_("Followed up by"), self.followed_up_by)
        form.addRow(_("Follow-up date"), self.follow_up_on)
        make = QPushButton(_("&Make schedule"), self)  # Alt+letter: a set shortcut would replace it
        make.clicked.connect(self.make_schedule)
        remove = QPushButton(_("&Remove tapering plan"), self)
        remove.clicked.connect(self.remove)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept_if_safe)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(make)
        row.addWidget(remove)
        row.addStretch()
        layout = QVBoxLayout(self)
        drug = self.catalogue.identify(self.medication.name)
        unit = _("µg per hour") if drug is not None and drug.unit == "microgram_per_hour" else _("mg per day")
        heading = QLabel(_("{name}: doses in {unit}").format(name=self.medication.name, unit=unit), self)
        heading.setStyleSheet("font-weight: 600")
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(QLabel(_("Schedule (edit a row to hold a dose longer or slow down)"), self))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def parameters(self) -> TaperingPlan:
        """The plan the fields describe, without edited rows; a field that cannot be read raises."""
        start_dose = parse_number(self.start_dose.text()) or 0.0
        interval = parse_number(self.interval.text()) or 0
        if interval != int(interval):
            raise EntryProblem(_("'{text}' is not a whole number of days").format(text=self.interval.text()))
        starts_on = parse_date(self.starts_on.text())
        if starts_on is None:
            raise EntryProblem(_("The first step needs a date"))
        return TaperingPlan(start_dose, parse_number(self.step.text()) or 0.0, int(interval), starts_on,
                            floor=parse_number(self.floor.text()) or 0.0,
                            step_is_percent=bool(self.step_unit.currentData()),
                            round_to=parse_number(self.round_to.text()), strengths=self.strength_values(),
                            followed_up_by=self.followed_up_by.text().strip() or None,
                            follow_up_on=parse_date(self.follow_up_on.text()))  # fmt: skip

    def _pace_chosen(self) -> None:
        _label, step, days = PACES[str(self.pace.currentData())]
        if step is not None and days is not None:
            self.step.setText(number_text(step))
            self.interval.setText(str(days))
            self.step_unit.setCurrentIndex(0)

    def strength_values(self) -> tuple[float, ...]:
        """The strengths typed, separated by ';' (a decimal comma stays a comma)."""
        parts = [part for part in self.strengths.text().replace("/", ";").split(";") if part.strip()]
        return tuple(value for part in parts if (value := parse_number(part)) is not None)

    def make_schedule(self) -> bool:
        """Compute the schedule from the fields into the table (replacing edited rows)."""
        try:
            plan = self.parameters()
            self._show(plan.schedule())
        except (EntryProblem, TaperingError) as problem:
            self.problem.setText(str(problem))
            return False
        self.rows_from, self.hand_edited = _dose_fields(plan), False
        self.problem.clear()
        return True

    def _show(self, steps: list[TaperStep]) -> None:
        self.table.blockSignals(True)
        self.table.clear_rows()
        for step in steps:
            row = self.table.add_row([date_text(step.starts_on), number_text(step.daily_dose), ""])
            self._show_mme(row)
        self.table.blockSignals(False)

    def _row_edited(self, item: QTableWidgetItem) -> None:
        self.hand_edited = True
        if item.column() == 1:
            self.table.blockSignals(True)
            self._show_mme(item.row())
            self.table.blockSignals(False)

    def _show_mme(self, row: int) -> None:
        dose = parse_number(self.table.text(row, 1), strict=False)
        mme = self.catalogue.mme(Medication(self.medication.name, dose))
        cell = self.table.cell(row, 2)
        if mme.value is not None:
            cell.setText(number_text(display_mme(mme.value)))
        else:
            cell.setText(_("not counted") if mme.reason and dose is not None else "—")
        cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)

    def shown_steps(self) -> tuple[TaperStep, ...]:
        steps = []
        for row in range(self.table.rowCount()):
            starts_on = parse_date(self.table.text(row, 0))
            dose = parse_number(self.table.text(row, 1))
            if starts_on is None or dose is None:
                raise EntryProblem(_("Row {number} needs a date and a dose").format(number=row + 1))
            steps.append(TaperStep(starts_on, dose))
        return tuple(steps)

    def result_plan(self) -> TaperingPlan:
        """The plan as shown: rows edited by hand are kept as the schedule; rows made from other fields than
        those shown are refused (make the schedule again); the first step may not exceed today's dose."""
        plan = self.parameters()
        if self.table.rowCount() and self.rows_from != _dose_fields(plan):
            raise EntryProblem(_("The fields were changed after the schedule was made: press Make schedule."))
        if self.table.rowCount() and self.hand_edited:
            plan = replace(plan, steps=self.shown_steps())
        problem = replace(self.medication, tapering=plan).tapering_problem()
        if problem:
            raise EntryProblem(problem)
        return plan

    def accept_if_safe(self) -> None:
        try:
            self.tapering = self.result_plan()
        except (EntryProblem, TaperingError) as problem:
            self.problem.setText(str(problem))
            return
        self.accept()

    def remove(self) -> None:
        self.tapering = None
        self.accept()


def _dose_fields(plan: TaperingPlan) -> tuple[object, ...]:
    """What a schedule is computed from (who follows up, and when, do not change the rows)."""
    return (plan.start_dose, plan.step, plan.step_is_percent, plan.interval_days, plan.starts_on, plan.floor,
            plan.round_to, plan.strengths)  # fmt: skip
