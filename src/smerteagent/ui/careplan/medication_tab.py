"""The patient's current drugs: picked from the catalogue as you type (trade name or substance, æøå folded),
dose as '1 tablet x 2' or a daily amount, start and re-evaluation dates, a tapering plan per drug; the unit
(mg a day, µg/h for a patch) and the daily morphine equivalent follow from the drug's form. At the top the
warnings in colour by severity, each acknowledged with a reason (audited; the warning stays).
Per drug also the indication and the last effect evaluation (date and result), for the supervision
checkpoints."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from smerteagent.core.careplan.medication import Acknowledgement, Catalogue, daily_dose_from, display_mme
from smerteagent.core.careplan.plan import PlannedMedication, TaperingPlan
from smerteagent.core.errors import SmerteAgentError
from smerteagent.core.text import fold
from smerteagent.i18n import _
from smerteagent.ui.careplan.entries import EntryProblem, RowTable, date_text, number_text, parse_date, parse_number
from smerteagent.ui.careplan.medication_warnings import MedicationWarningsPanel
from smerteagent.ui.careplan.tapering_dialog import TaperingDialog
from smerteagent.usecases import medication as medication_check

if TYPE_CHECKING:
    from smerteagent.usecases.services import Services

DRUG, DOSE, DAILY, STARTED, RE_EVALUATE, TAPERING, UNIT, MME, INDICATION, EVALUATED, RESULT = range(11)
TEXT_COLUMNS = (DOSE, DAILY, STARTED, RE_EVALUATE, INDICATION, EVALUATED, RESULT)  # typed by the clinician
MAX_SUGGESTIONS = 30


def drug_suggestions(catalogue: Catalogue) -> list[tuple[str, str]]:
    """What the drug column offers: each trade name with each strength ('Contalgin 30 mg'), and the substance
    names, as (shown text, folded search key)."""
    shown: list[str] = []
    for name, found in catalogue.completions():
        unit = "µg/h" if found.unit == "microgram_per_hour" else "mg"
        if found.product is not None and found.product.strengths:
            shown += [f"{name} {number_text(s)} {unit}" for s in found.product.strengths]
        else:
            shown.append(name)
    return [(text, fold(text)) for text in dict.fromkeys(shown)]


class FoldingCompleter(QCompleter):
    """Suggestions containing what was typed, with Danish letters folded ('aer' finds 'Ær', 'oxyc' OxyContin)."""

    def __init__(self, suggestions: list[tuple[str, str]], parent: QWidget) -> None:
        super().__init__(parent)
        self.suggestions = suggestions
        self.setModel(QStringListModel([], self))
        self.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def matches(self, typed: str) -> list[str]:
        key = fold(typed.strip())
        if len(key) < 2:
            return []
        starts = [text for text, folded in self.suggestions if folded.startswith(key)]
        inside = [text for text, folded in self.suggestions if key in folded and not folded.startswith(key)]
        return (starts + inside)[:MAX_SUGGESTIONS]

    def update_for(self, typed: str) -> None:
        model = self.model()
        assert isinstance(model, QStringListModel)
        model.setStringList(self.matches(typed))
        if model.rowCount():
            self.complete()
        elif (popup := self.popup()) is not None:
            popup.hide()


class DrugDelegate(QStyledItemDelegate):
    """The drug column's editor: a line edit with the catalogue's folding completer."""

    def __init__(self, suggestions: list[tuple[str, str]], parent: QWidget) -> None:
        super().__init__(parent)
        self.suggestions = suggestions

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        editor = QLineEdit(parent)
        completer = FoldingCompleter(self.suggestions, editor)
        completer.setWidget(editor)
        completer.activated.connect(editor.setText)
        editor.textEdited.connect(completer.update_for)
        editor.setProperty("completer", completer)
        return editor


class MedicationTab(QWidget):
    changed = Signal()

    def __init__(
        self,
        catalogue: Catalogue,
        parent: QWidget | None = None,
        *,
        services: Services | None = None,
        patient_id: int | None = None,
        suicide_risk_open: bool = False,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.catalogue, self.services, self.patient_id = catalogue, services, patient_id
        self.suicide_risk_open, self.today = suicide_risk_open, today
        self.acknowledgements: dict[str, Acknowledgement] = {}
        self.table = RowTable([_("Drug"), _("Dose"), _("Daily dose"), _("Started (dd.mm.yyyy)"),
                               _("Re-evaluate (dd.mm.yyyy)"), _("Tapering plan"), _("Unit"), _("MME per day"),
                               _("Indication"), _("Effect evaluated (dd.mm.yyyy)"), _("Effect")], {}, self)  # fmt: skip
        self.suggestions = drug_suggestions(catalogue)
        self.table.setItemDelegateForColumn(DRUG, DrugDelegate(self.suggestions, self.table))
        self.table.itemChanged.connect(self._item_changed)
        self.table.cellDoubleClicked.connect(
            lambda row, column: self.edit_tapering(row) if column == TAPERING else None
        )
        self.warnings = MedicationWarningsPanel(self)
        self.warnings.acknowledge.connect(self.acknowledge)
        self.info = QLabel(self)
        self.info.setWordWrap(True)
        add, remove = QPushButton(_("Add row"), self), QPushButton(_("Remove row"), self)
        taper = QPushButton(_("Tapering p&lan…"), self)
        add.setShortcut(QKeySequence("Ctrl+Insert"))
        QShortcut(QKeySequence("Ctrl+T"), self, taper.click)  # its own, so the button keeps its Alt letter
        taper.setToolTip("Ctrl+T")
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
        layout.addWidget(self.warnings)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.info)
        layout.addLayout(buttons)
        self._load_acknowledgements()

    def _load_acknowledgements(self) -> None:
        if self.services is not None and self.patient_id is not None:
            self.acknowledgements = self.services.medication_acks.for_patient(self.patient_id)

    def fill(self, medications: tuple[PlannedMedication, ...]) -> None:
        self.table.blockSignals(True)
        for medication in medications:
            dates = [date_text(medication.started_on), date_text(medication.re_evaluate_on)]
            row = self.table.add_row([medication.name, medication.dose_text or "", number_text(medication.daily_dose),
                                      *dates, "", "", "", medication.indication or "",
                                      date_text(medication.evaluated_on),
                                      medication.evaluation_result or ""])  # fmt: skip
            self._set_tapering(row, medication.tapering)
            self._show_computed(row)
        self.table.blockSignals(False)

    def _item_changed(self, item: object) -> None:
        """A dose typed as '1 tablet x 2' fills an empty daily dose; unit and MME follow the drug."""
        row = self.table.row(item)  # type: ignore[arg-type]
        column = self.table.column(item)  # type: ignore[arg-type]
        self.table.blockSignals(True)
        try:
            if column in (DRUG, DOSE) and self.table.text(row, DOSE) and not self.table.text(row, DAILY):
                found = self.catalogue.classify(self.table.text(row, DRUG))
                amount = daily_dose_from(self.table.text(row, DOSE), found) if found.known else None
                if amount is not None:
                    self.table.cell(row, DAILY).setText(number_text(amount))
            self._show_computed(row)
        finally:
            self.table.blockSignals(False)
        self.changed.emit()

    def _show_computed(self, row: int) -> None:
        """The unit fixed by the form and the row's MME (or why it is not counted), not editable."""
        medication = self.medication(row, strict=False).as_medication()
        found = self.catalogue.classify(medication.name)
        unit = _("µg/h") if found.unit == "microgram_per_hour" else _("mg per day")
        mme = self.catalogue.mme(medication)
        if mme.value is not None:
            shown = number_text(display_mme(mme.value))
        elif mme.reason is not None:
            shown = _("not counted")
        else:
            shown = "—" if found.known or not medication.name else _("unknown drug")
        for column, text in ((UNIT, unit if medication.name else ""), (MME, shown if medication.name else "")):
            cell = self.table.cell(row, column)
            cell.setText(text)
            cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)

    def _set_tapering(self, row: int, tapering: TaperingPlan | None) -> None:
        """The tapering plan lives with the row (not typed into a cell); the cell tells it in words."""
        cell = self.table.cell(row, TAPERING)
        cell.setData(Qt.ItemDataRole.UserRole, tapering)
        cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
        if tapering is None:
            cell.setText(_("none (Ctrl+T)"))
        else:
            try:
                steps = tapering.schedule()
            except SmerteAgentError as problem:  # a plan stored under older rounding rules: said, not a crash
                cell.setText(f"⚠ {problem}")
                return
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
        dialog = TaperingDialog(self.medication(row, strict=False), self.catalogue, self, today=self.today())
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
        """The total MME below the table and every warning, in colour, above it (the use case decides them)."""
        current = [m.as_medication() for m in medications]
        result = medication_check.check(current, self.today(), suicide_risk_open=self.suicide_risk_open,
                                        catalogue=self.catalogue)  # fmt: skip
        lines = [_("Daily morphine equivalent: {value} mg").format(value=number_text(display_mme(result.total_mme)))]
        if any(d.mme.reason for d in result.drugs):
            lines.append(_("Opioids not counted in this total: {drugs}").format(
                drugs=", ".join(d.medication.name for d in result.drugs if d.mme.reason)))  # fmt: skip
        self.info.setText("\n".join(lines))
        can_acknowledge = self.services is not None and self.patient_id is not None
        self.warnings.show_warnings(medication_check.shown_warnings(result, self.acknowledgements), can_acknowledge)

    def warning_texts(self) -> list[str]:
        return self.warnings.texts()

    def acknowledge(self, warning: object, reason: str) -> None:
        """Store the acknowledgement (audited) and show the warnings again; a missing reason is said in place."""
        if self.services is None or self.patient_id is None:
            return
        from smerteagent.core.careplan.medication import MedicationWarning

        assert isinstance(warning, MedicationWarning)
        try:
            medication_check.acknowledge(self.services, self.patient_id, warning, reason)
        except SmerteAgentError as problem:
            self.warnings.show_problem(str(problem))
            return
        self.warnings.show_problem(None)
        self._load_acknowledgements()
        self.show_warnings(self.medications(strict=False))
