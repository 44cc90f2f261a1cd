"""The shared care plan for one patient: values, goals, actions, treatment, medication and follow-up, with a
live completeness checklist; saved in versions, printed (which freezes the version) or copied as a journal note."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from smerteagent.core.careplan import completeness
from smerteagent.core.careplan.journal import journal_note
from smerteagent.core.careplan.plan import (
    ACTORS,
    LIFE_DOMAINS,
    Action,
    CarePlan,
    Goal,
    PlannedMedication,
    SafetyPlan,
    ValueRating,
)
from smerteagent.core.careplan.suggestions import Recommendations
from smerteagent.core.errors import SmerteAgentError
from smerteagent.i18n import N_, _, language
from smerteagent.paths import bundled_resources_dir
from smerteagent.storage.report_inputs import report_inputs
from smerteagent.ui import operations
from smerteagent.ui.banner import PatientBanner

if TYPE_CHECKING:
    from smerteagent.core.patients import Patient
    from smerteagent.storage.services import Services

SAFETY_FIELDS = {
    "warning_signs": N_("Warning signs"),
    "coping": N_("What I can do myself"),
    "people": N_("People I can contact"),
    "professionals": N_("Professionals I can contact"),
}


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


def parse_number(text: str, strict: bool = True) -> float | None:
    if text.strip() and strict:
        try:
            float(text.strip().replace(",", "."))
        except ValueError:
            raise EntryProblem(_("'{text}' is not a number").format(text=text.strip())) from None
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return None


def date_text(value: date | None) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


def number_text(value: float | None) -> str:
    return f"{value:g}" if value is not None else ""


class RowTable(QTableWidget):
    """A table of text cells, some of them combo boxes; Ctrl+Insert adds a row."""

    def __init__(self, headers: list[str], combos: dict[int, dict[str, str]], parent: QWidget) -> None:
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(headers)
        self.combos = combos
        self.horizontalHeader().setStretchLastSection(True)

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

    def cell(self, row: int, column: int) -> QTableWidgetItem:
        """The text item at a cell, made when missing."""
        item = self.item(row, column)
        if item is None:
            item = QTableWidgetItem()
            self.setItem(row, column, item)
        return item

    def text(self, row: int, column: int) -> str:
        widget = self.cellWidget(row, column)
        if isinstance(widget, QComboBox):
            return str(widget.currentData() or "")
        item = self.item(row, column)
        return item.text().strip() if item is not None else ""


class CarePlanEditor(QDialog):
    """Edits a :class:`CarePlan`; the services do all saving, scoring and checking."""

    def __init__(self, services: Services, patient: Patient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.patient = services, patient
        self.setWindowTitle(_("Care plan — {name}").format(name=patient.name))
        self.inputs = report_inputs(services, patient)
        self.recommendations = Recommendations.load(bundled_resources_dir() / "careplan" / "recommendations.yaml")
        self.current = services.careplans.current(patient.id)
        self.banner = PatientBanner(self)
        self.banner.set_patient(patient)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._values_tab(), _("&Values"))
        self.goal_table = RowTable([_("Value"), _("Goal"), _("Measure"), _("Today"), _("Target"), _("By date")],
                              {0: {}}, self)  # fmt: skip
        self.tabs.addTab(self._table_tab(self.goal_table), _("&Goals"))
        who = {key: _(label) for key, label in ACTORS.items()}
        self.action_table = RowTable([_("What"), _("Who"), _("When")], {1: who}, self)
        self.tabs.addTab(self._table_tab(self.action_table), _("&Actions"))
        self.tabs.addTab(self._treatment_tab(), _("&Treatment"))
        self.medication_table = RowTable([_("Drug"), _("Dose"), _("Daily dose"), _("Started (dd.mm.yyyy)")], {}, self)
        self.medication_info = QLabel(self)
        self.medication_info.setWordWrap(True)
        self.tabs.addTab(self._table_tab(self.medication_table, self.medication_info), _("&Medication"))
        self.tabs.addTab(self._follow_up_tab(), _("&Follow-up"))
        self.checklist = QListWidget(self)
        self.checklist.setAccessibleName(_("Completeness"))
        self.status = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(QLabel(_("Completeness"), self))
        layout.addWidget(self.checklist)
        layout.addLayout(self._buttons())
        self.fill(self.current)
        self.update_live()

    def _values_tab(self) -> QWidget:
        page = QWidget(self)
        grid = QGridLayout(page)
        for column, text in enumerate((_("Life domain"), _("Importance (0-10)"), _("Now (0-10)"), _("Work on this"))):
            grid.addWidget(QLabel(text, page), 0, column)
        self.value_rows: dict[str, tuple[QSpinBox, QSpinBox, QCheckBox]] = {}
        for row, (domain, label) in enumerate(LIFE_DOMAINS.items(), start=1):
            importance, now, chosen = QSpinBox(page), QSpinBox(page), QCheckBox(page)
            for spin, name in ((importance, _("Importance")), (now, _("Now"))):
                spin.setRange(0, 10)
                spin.setAccessibleName(f"{_(label)}: {name}")
            chosen.setAccessibleName(f"{_(label)}: {_('Work on this')}")
            chosen.toggled.connect(self._domains_changed)
            self.value_rows[domain] = (importance, now, chosen)
            for column, widget in enumerate((QLabel(_(label), page), importance, now, chosen)):
                grid.addWidget(widget, row, column)
        return page

    def _table_tab(self, table: RowTable, below: QWidget | None = None) -> QWidget:
        page = QWidget(self)
        add, remove = QPushButton(_("Add row"), page), QPushButton(_("Remove row"), page)
        add.setShortcut(QKeySequence("Ctrl+Insert"))
        add.clicked.connect(lambda: table.setCurrentCell(table.add_row(), 0))
        remove.clicked.connect(lambda: table.removeRow(table.currentRow()) if table.currentRow() >= 0 else None)
        table.itemChanged.connect(lambda _item: self.update_live())
        layout = QVBoxLayout(page)
        layout.addWidget(table, 1)
        if below is not None:
            layout.addWidget(below)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch()
        layout.addLayout(buttons)
        return page

    def _treatment_tab(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        types = QHBoxLayout()
        self.pain_types: dict[str, QCheckBox] = {}
        for key in self.recommendations.pain_types:
            box = QCheckBox(self.recommendations.document["pain_types"][key][language()], page)
            box.toggled.connect(lambda _on: self._fill_suggestions(self.treatments()))
            self.pain_types[key] = box
            types.addWidget(box)
        self.suggestions = QListWidget(page)
        self.suggestions.setAccessibleName(_("Treatment"))
        layout.addLayout(types)
        layout.addWidget(self.suggestions, 1)
        source = QLabel(self.recommendations.source, page)
        source.setWordWrap(True)
        layout.addWidget(source)
        return page

    def _follow_up_tab(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.follow_up_on, self.follow_up_by = QLineEdit(page), QLineEdit(page)
        self.follow_up_on.setPlaceholderText(_("dd.mm.yyyy"))
        self.consent = QCheckBox(_("Informed consent given"), page)
        self.reviewed = QCheckBox(_("Medication reviewed"), page)
        self.abuse_stance = QLineEdit(page)
        form.addRow(_("Follow-up date"), self.follow_up_on)
        form.addRow(_("Follow-up by"), self.follow_up_by)
        form.addRow(self.consent)
        form.addRow(self.reviewed)
        form.addRow(_("Stance on abuse"), self.abuse_stance)
        self.safety_box = QGroupBox(_("Safety plan (separate entries with ;)"), page)
        safety_form = QFormLayout(self.safety_box)
        self.safety = {key: QLineEdit(self.safety_box) for key in SAFETY_FIELDS}
        for key, field in self.safety.items():
            safety_form.addRow(_(SAFETY_FIELDS[key]), field)
        form.addRow(self.safety_box)
        for widget in (self.follow_up_on, self.abuse_stance):
            widget.textChanged.connect(lambda _text: self.update_live())
        for box in (self.consent, self.reviewed):
            box.toggled.connect(lambda _on: self.update_live())
        return page

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        for text, shortcut, slot in ((_("&Save"), "Ctrl+S", self.save), (_("&Print…"), "Ctrl+P", self.print_plan),
                                     (_("Clinician &summary…"), None, self.open_summary),
                                     (_("Copy &journal note"), None, self.copy_journal_note),
                                     (_("&Close"), None, self.reject)):  # fmt: skip
            button = QPushButton(text, self)
            button.setAutoDefault(False)
            if shortcut:
                button.setShortcut(QKeySequence(shortcut))
            button.clicked.connect(slot)
            row.addWidget(button)
        return row

    def startback_band(self) -> str | None:
        result = self.inputs.latest.get("startback")
        return result.band if result is not None else None

    def fill(self, plan: CarePlan | None) -> None:
        """Show ``plan``, or an empty plan with the STarT Back matched treatment checked."""
        plan = plan or CarePlan(self.patient.id)
        for value in plan.values:
            importance, now, chosen = self.value_rows[value.domain]
            importance.setValue(value.importance)
            now.setValue(value.current)
            chosen.setChecked(value.chosen)
        for goal in plan.goals:
            rating = [number_text(goal.baseline), number_text(goal.target), date_text(goal.target_date)]
            self.goal_table.add_row([goal.value_domain, goal.description, goal.measure or "", *rating])
        for action in plan.actions:
            self.action_table.add_row([action.what, action.who, action.due or ""])
        for medication in plan.medications:
            cells = [medication.name, medication.dose_text or "", number_text(medication.daily_dose)]
            row = self.medication_table.add_row([*cells, date_text(medication.started_on)])
            self.medication_table.cell(row, 0).setData(Qt.ItemDataRole.UserRole, medication)
        suggested = self.recommendations.suggest([], self.startback_band(), language())
        matched = [s.text for s in suggested if s.kind == "matched"]
        self._fill_suggestions(list(plan.treatments) if self.current else matched)
        self.follow_up_on.setText(date_text(plan.follow_up_on))
        self.follow_up_by.setText(plan.follow_up_by or "")
        self.consent.setChecked(plan.consent_given)
        self.reviewed.setChecked(plan.medication_reviewed)
        self.abuse_stance.setText(plan.abuse_stance or "")
        for key, field in self.safety.items():
            field.setText("; ".join(getattr(plan.safety_plan, key)) if plan.safety_plan else "")
        show = completeness.needs_safety_plan(self.inputs.latest) or plan.safety_plan is not None
        self.safety_box.setVisible(show)

    def _fill_suggestions(self, checked: list[str]) -> None:
        wanted = [key for key, box in self.pain_types.items() if box.isChecked()]
        texts = [s.text for s in self.recommendations.suggest(wanted, self.startback_band(), language())]
        self.suggestions.clear()
        for text in dict.fromkeys(texts + checked):
            item = QListWidgetItem(text, self.suggestions)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if text in checked else Qt.CheckState.Unchecked)

    def _domains_changed(self) -> None:
        chosen = {d: _(LIFE_DOMAINS[d]) for d, (_i, _n, box) in self.value_rows.items() if box.isChecked()}
        self.goal_table.combos[0] = chosen
        for row in range(self.goal_table.rowCount()):
            combo = self.goal_table.cellWidget(row, 0)
            assert isinstance(combo, QComboBox)
            keep = combo.currentData()
            combo.clear()
            for key, label in chosen.items():
                combo.addItem(label, key)
            combo.setCurrentIndex(max(combo.findData(keep), 0))

    def treatments(self) -> list[str]:
        items = [self.suggestions.item(i) for i in range(self.suggestions.count())]
        return [i.text() for i in items if i.checkState() == Qt.CheckState.Checked]

    def plan(self, strict: bool = True) -> CarePlan:
        """The plan as shown, on top of the version it was read from (number and revision)."""
        base = self.current or CarePlan(self.patient.id)
        values = tuple(ValueRating(d, i.value(), n.value(), c.isChecked()) for d, (i, n, c) in self.value_rows.items())
        g, a, m = self.goal_table, self.action_table, self.medication_table
        goals = tuple(Goal(g.text(r, 0), g.text(r, 1), g.text(r, 2) or None, parse_number(g.text(r, 3), strict),
                           parse_number(g.text(r, 4), strict), parse_date(g.text(r, 5), strict))
                      for r in range(g.rowCount()) if g.text(r, 1))  # fmt: skip
        actions = tuple(Action(a.text(r, 0), a.text(r, 1), a.text(r, 2) or None)
                        for r in range(a.rowCount()) if a.text(r, 0))  # fmt: skip
        medications = tuple(
            replace(m.cell(r, 0).data(Qt.ItemDataRole.UserRole) or PlannedMedication(""), name=m.text(r, 0),
                    dose_text=m.text(r, 1) or None, daily_dose=parse_number(m.text(r, 2), strict),
                    started_on=parse_date(m.text(r, 3), strict))
            for r in range(m.rowCount()) if m.text(r, 0))  # fmt: skip
        safety = {
            key: tuple(p.strip() for p in field.text().split(";") if p.strip()) for key, field in self.safety.items()
        }
        follow_up_on = parse_date(self.follow_up_on.text(), strict)
        return replace(base, values=values, goals=goals, actions=actions, treatments=tuple(self.treatments()),
                       medications=medications, safety_plan=SafetyPlan(**safety) if any(safety.values()) else None,
                       follow_up_on=follow_up_on, follow_up_by=self.follow_up_by.text() or None,
                       consent_given=self.consent.isChecked(), medication_reviewed=self.reviewed.isChecked(),
                       abuse_stance=self.abuse_stance.text().strip() or None)  # fmt: skip

    def checkpoints(self) -> list[completeness.Checkpoint]:
        plan = self.plan(strict=False)
        facts = completeness.PlanFacts(self.inputs.latest, tuple(m.as_medication() for m in plan.medications),
                                       plan.medication_reviewed, plan.abuse_stance, plan.consent_given,
                                       plan.follow_up_on, self.inputs.open_alerts)  # fmt: skip
        return completeness.check(facts, self.inputs.catalogue)

    def update_live(self) -> None:
        """The completeness checklist and the medication's MME and warnings, as the plan stands now."""
        self.checklist.clear()
        for checkpoint in self.checkpoints():
            if checkpoint.applies:
                self.checklist.addItem(("✓ " if checkpoint.done else "✗ ") + checkpoint.label)
        medications = self.plan(strict=False).medications
        catalogue = self.inputs.catalogue
        current = [m.as_medication() for m in medications]
        lines = [_("Daily morphine equivalent: {value} mg").format(value=f"{catalogue.total_mme(current):g}")]
        warnings = catalogue.warnings(current, date.today())
        self.medication_info.setText("\n".join(lines + [catalogue.warning_text(w) for w in warnings]))

    def save(self) -> CarePlan | None:
        saved = operations.run(self, lambda: self.services.careplans.save(self.plan()))
        if saved is not None:
            self.current = saved
            self.status.setText(_("Saved as version {number}").format(number=saved.number))
        return saved

    def print_plan(self) -> Path | None:
        """Save, render the patient's plan to a PDF and open it; the printed version is frozen."""
        from smerteagent.reports import render_patient_plan

        plan = self.save()
        if plan is None:
            return None
        inputs, lang = self.inputs, language()
        pdf = render_patient_plan(plan, self.patient, settings=inputs.settings, catalogue=inputs.catalogue,
                                  histories=inputs.histories(lang), safety_contacts=inputs.safety_contacts,
                                  language=lang)  # fmt: skip
        path = Path(tempfile.mkdtemp(prefix="smerteagent-")) / f"plan-{self.patient.id}-{plan.number}.pdf"
        path.write_bytes(pdf)
        frozen = operations.run(self, lambda: self.services.careplans.freeze(self.patient.id, "print"))
        if frozen is not None:
            self.current = frozen
            self.status.setText(_("Version {number} printed and frozen").format(number=frozen.number))
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return path

    def open_summary(self) -> Path | None:
        """The one-page clinician summary of the plan as it stands (saved first), opened for reading."""
        from smerteagent.reports import render_clinician_summary

        plan = self.save()
        if plan is None:
            return None
        inputs = self.inputs
        pdf = render_clinician_summary(plan, self.patient, settings=inputs.settings, catalogue=inputs.catalogue,
                                       results=inputs.latest, forms=self.services.forms.forms, language=language(),
                                       open_safety_alerts=inputs.open_alerts)  # fmt: skip
        audited = operations.run(self, lambda: self.services.careplans.record_output(
            self.patient.id, "print", "clinician_summary"))  # fmt: skip
        if audited is None:
            return None  # a document that could not be audited is not shown
        path = Path(tempfile.mkdtemp(prefix="smerteagent-")) / f"summary-{self.patient.id}-{plan.number}.pdf"
        path.write_bytes(pdf)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return path

    def copy_journal_note(self) -> str:
        completed = self.inputs.completed
        latest = [r for r in completed if completed and r.encounter_id == completed[-1].encounter_id and r.score]
        scores = []
        for record in latest:
            form = self.services.forms.forms.get(record.form_id)
            assert record.score is not None
            if form is None:
                scores.append((record.form_id, record.score, record.score.band))
                continue
            bands = {b.id: b.label.get(language()) for b in form.definition.scoring.bands}
            title = (form.definition.short_title or form.definition.title).get(language())
            scores.append((title, record.score, bands.get(record.score.band or "")))
        note = journal_note(self.patient, scores, [], self.plan(), self.inputs.catalogue, date.today())
        audited = operations.run(self, lambda: self.services.audit.record(
            "export", "patient", self.patient.id, {"document": "journal_note"}))  # fmt: skip
        if audited is None:
            return ""
        QApplication.clipboard().setText(note)
        self.status.setText(_("Journal note copied"))
        return note
