"""The patient's current drugs: dose, start and re-evaluation dates, a tapering plan, the indication and the
last effect evaluation (date and result) per drug, and live the
daily morphine equivalent and the supervision warnings (opioid + benzodiazepine, several opioids, a high
MME, an addictive drug for more than three months with neither a tapering plan nor a re-evaluation date)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from smerteagent.core.careplan.medication import Catalogue
from smerteagent.core.careplan.plan import PlannedMedication, TaperingPlan
from smerteagent.i18n import _
from smerteagent.ui.careplan.entries import EntryProblem, RowTable, date_text, number_text, parse_date, parse_number
from smerteagent.ui.careplan.tapering_dialog import TaperingDialog

DRUG, DOSE, DAILY, STARTED, RE_EVALUATE, TAPERING, INDICATION, EVALUATED, RESULT = range(9)
TEXT_COLUMNS = (DOSE, DAILY, STARTED, RE_EVALUATE, INDICATION, EVALUATED, RESULT)


class MedicationTab(QWidget):
    changed = Signal()

    def __init__(self, catalogue: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalogue = catalogue
        self.table = RowTable([_("Drug"), _("Dose"), _("Daily dose"), _("Started (dd.mm.yyyy)"),
                               _("Re-evaluate (dd.mm.yyyy)"), _("Tapering plan"), _("Indication"),
                               _("Effect evaluated (dd.mm.yyyy)"), _("Effect")], {}, self)  # fmt: skip
        self.table.itemChanged.connect(lambda _item: self.changed.emit())
        self.table.cellDoubleClicked.connect(
            lambda row, column: self.edit_tapering(row) if column == TAPERING else None
        )
        self.info = QLabel(self)
        self.info.setWordWrap(True)
        add, remove = QPushButton(_("Add row"), self), QPushButton(_("Remove row"), self)
        taper = QPushButton(_("&Tapering plan…"), self)
        add.setShortcut(QKeySequence("Ctrl+Insert"))
        taper.setShortcut(QKeySequence("Ctrl+T"))
        add.clicked.connect(self.table.add_and_edit)
        remove.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # never Tab + space: a click or Ctrl+Delete
        remove.setShortcut(QKeySequence("Ctrl+Delete"))
        remove.setToolTip("Ctrl+Delete")
        remove.clicked.connect(self._remove_current)
        taper.clicked.connect(lambda: self.edit_tapering(self.table.currentRow()))
        buttons = QHBoxLayout()
        for button in (add, remove, taper):
            buttons.addWidget(button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.info)
        layout.addLayout(buttons)

    def fill(self, medications: tuple[PlannedMedication, ...]) -> None:
        for medication in medications:
            dates = [date_text(medication.started_on), date_text(medication.re_evaluate_on)]
            row = self.table.add_row([medication.name, medication.dose_text or "", number_text(medication.daily_dose),
                                      *dates, "", medication.indication or "", date_text(medication.evaluated_on),
                                      medication.evaluation_result or ""])  # fmt: skip
            self._set_tapering(row, medication.tapering)

    def _set_tapering(self, row: int, tapering: TaperingPlan | None) -> None:
        """The tapering plan lives with the row (not typed into a cell); the cell tells it in words."""
        cell = self.table.cell(row, TAPERING)
        cell.setData(Qt.ItemDataRole.UserRole, tapering)
        cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
        if tapering is None:
            cell.setText(_("none (Ctrl+T)"))
        else:
            steps = tapering.schedule()
            last = steps[-1]
            cell.setText(_("{first} → {last} by {date}").format(first=number_text(steps[0].daily_dose),
                                                                last=number_text(last.daily_dose),
                                                                date=date_text(last.starts_on)))  # fmt: skip

    def tapering(self, row: int) -> TaperingPlan | None:
        plan = self.table.cell(row, TAPERING).data(Qt.ItemDataRole.UserRole)
        assert plan is None or isinstance(plan, TaperingPlan)
        return plan

    def medication(self, row: int, strict: bool = True) -> PlannedMedication:
        t = self.table
        return PlannedMedication(t.text(row, DRUG), t.text(row, DOSE) or None, parse_number(t.text(row, DAILY), strict),
                                 parse_date(t.text(row, STARTED), strict), parse_date(t.text(row, RE_EVALUATE), strict),
                                 self.tapering(row), t.text(row, INDICATION) or None,
                                 parse_date(t.text(row, EVALUATED), strict), t.text(row, RESULT) or None)  # fmt: skip

    def medications(self, strict: bool = True) -> tuple[PlannedMedication, ...]:
        """The drugs listed; a row with a dose, dates or a tapering plan but no drug name stops a save."""
        found = []
        for row in range(self.table.rowCount()):
            if self.table.text(row, DRUG):
                found.append(self.medication(row, strict))
            elif strict and (self.tapering(row) or any(self.table.text(row, c) for c in TEXT_COLUMNS)):
                raise EntryProblem(_("Medication row {number} has no drug name").format(number=row + 1))
        return tuple(found)

    def edit_tapering(self, row: int) -> bool:
        """Open the tapering plan of the drug in ``row``; True when it was changed."""
        if row < 0 or not self.table.text(row, DRUG):
            self.info.setText(_("Choose a drug first (type its name in the first column)."))
            return False
        dialog = TaperingDialog(self.medication(row, strict=False), self.catalogue, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.set_tapering(row, dialog.tapering)
        return True

    def set_tapering(self, row: int, tapering: TaperingPlan | None) -> None:
        """For the dialog's result (and tests): put a tapering plan on a row."""
        self._set_tapering(row, tapering)
        self.changed.emit()

    def _remove_current(self) -> None:
        if self.table.remove_current():
            self.changed.emit()

    def show_warnings(self, medications: tuple[PlannedMedication, ...]) -> None:
        current = [m.as_medication() for m in medications]
        total = self.catalogue.total_mme(current)
        lines = [_("Daily morphine equivalent: {value} mg").format(value=number_text(total))]
        warnings = self.catalogue.warnings(current, date.today())
        self.info.setText("\n".join(lines + [self.catalogue.warning_text(w) for w in warnings]))
