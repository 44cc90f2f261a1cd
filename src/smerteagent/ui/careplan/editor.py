"""The shared care plan for one patient: values, goals, actions, treatment, medication with tapering, and
follow-up, with a live completeness checklist; saved in versions. Printing (to a printer or as a PDF opened
in the system's viewer) freezes the version, so the paper and the record always match; the clinician
summary and the journal note are the clinic's own and freeze nothing. PDFs open in the app's own viewer."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from smerteagent.core.careplan import completeness
from smerteagent.core.careplan.plan import ACTORS, GOAL_ATTAINMENT, LIFE_DOMAINS, Action, CarePlan, Goal, problems
from smerteagent.core.careplan.suggestions import bundled_recommendations
from smerteagent.i18n import _, language
from smerteagent.reports import clinician_summary_pdf, patient_plan_pdf
from smerteagent.storage.report_inputs import report_inputs
from smerteagent.ui import operations
from smerteagent.ui.banner import PatientBanner
from smerteagent.ui.careplan.entries import (
    EntryProblem,
    RowTable,
    date_text,
    number_text,
    parse_date,
    parse_number,
)
from smerteagent.ui.careplan.follow_up_tab import FollowUpTab
from smerteagent.ui.careplan.letters_tab import fill_letters, letters_table, read_letters
from smerteagent.ui.careplan.medication_tab import MedicationTab
from smerteagent.ui.careplan.printing import print_pdf
from smerteagent.ui.careplan.treatment_tab import TreatmentTab
from smerteagent.ui.careplan.values_tab import ValuesTab
from smerteagent.ui.clipboard import ClipboardGuard
from smerteagent.ui.pdf_viewer import PdfViewer

if TYPE_CHECKING:
    from smerteagent.core.patients import Patient
    from smerteagent.storage.services import Services

GOAL_COLUMNS = ("value", "goal", "measure", "today", "target", "by_date", "attained")


class CarePlanEditor(QDialog):
    """Edits a :class:`CarePlan`; the services do all saving, scoring and checking."""

    def __init__(self, services: Services, patient: Patient, parent: QWidget | None = None,
                 clipboard: ClipboardGuard | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.services, self.patient = services, patient
        self.clipboard = clipboard or ClipboardGuard(self)
        self.setWindowTitle(_("Care plan — {name}").format(name=patient.name))
        self.inputs = report_inputs(services, patient)
        self.current = services.careplans.current(patient.id)
        self.banner = PatientBanner(self)
        self.banner.set_patient(patient)
        self.values_tab = ValuesTab(self)
        self.values_tab.chosen_changed.connect(self._domains_changed)
        attained = {"": _("not rated yet")} | {str(k): f"{k:+d} {_(v)}" for k, v in GOAL_ATTAINMENT.items()}
        self.goal_table = RowTable([_("Value"), _("Goal"), _("Measure"), _("At the start"), _("Target"), _("By date"),
                                    _("Attained at follow-up")], {0: {}, 6: attained}, self)  # fmt: skip
        who = {key: _(label) for key, label in ACTORS.items()}
        self.action_table = RowTable([_("What"), _("Who"), _("When")], {1: who}, self)
        recommendations = bundled_recommendations()
        self.treatment_tab = TreatmentTab(recommendations, self.startback_band(), self)
        self.medication_tab = MedicationTab(self.inputs.catalogue, self, services=services, patient_id=patient.id,
                                            suicide_risk_open=self.inputs.open_alerts > 0)  # fmt: skip
        self.follow_up_tab = FollowUpTab(self)
        self.letters_table = letters_table(self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.values_tab, _("&Values"))
        self.tabs.addTab(table_page(self.goal_table, self), _("&Goals"))
        self.tabs.addTab(table_page(self.action_table, self), _("&Actions"))
        self.tabs.addTab(self.treatment_tab, _("&Treatment"))
        self.tabs.addTab(self.medication_tab, _("&Medication"))
        self.tabs.addTab(self.follow_up_tab, _("&Follow-up"))
        self.tabs.addTab(table_page(self.letters_table, self), _("Discharge summaries and letters"))
        for table in (self.goal_table, self.action_table, self.letters_table):
            table.itemChanged.connect(lambda _item: self.update_live())
        self.medication_tab.changed.connect(self.update_live)
        self.follow_up_tab.changed.connect(self.update_live)
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
        self.shown_at_save = self.plan(strict=False)
        self.update_live()

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        for text, shortcut, slot in ((_("&Save"), "Ctrl+S", self.save), (_("&Print…"), "Ctrl+P", self.print_plan),
                                     (_("&Open PDF"), "Ctrl+Shift+O", self.open_pdf),
                                     (_("Cli&nician summary…"), None, self.open_summary),
                                     (_("Copy &journal note"), "Ctrl+Shift+J", self.copy_journal_note),
                                     (_("&Close"), None, self.reject)):  # fmt: skip
            button = QPushButton(text, self)
            button.setAutoDefault(False)
            if shortcut:
                # A shortcut of its own, not button.setShortcut(): that would replace the underlined Alt letter,
                # and Alt+letter would then type the letter into the focused field.
                QShortcut(QKeySequence(shortcut), self, button.click)
                button.setToolTip(QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText))
            button.clicked.connect(slot)
            row.addWidget(button)
        return row

    def startback_band(self) -> str | None:
        result = self.inputs.latest.get("startback")
        return result.band if result is not None else None

    def fill(self, plan: CarePlan | None) -> None:
        """Show ``plan``, or an empty plan with the STarT Back matched treatment checked."""
        shown = plan or CarePlan(self.patient.id)
        self.values_tab.fill(shown.values)
        self._domains_changed()
        for goal in shown.goals:
            attained = str(goal.attainment) if goal.attainment is not None else ""
            numbers = [number_text(goal.baseline), number_text(goal.target), date_text(goal.target_date)]
            self.goal_table.add_row([goal.value_domain, goal.description, goal.measure or "", *numbers, attained])
        for action in shown.actions:
            self.action_table.add_row([action.what, action.who, action.due or ""])
        self.medication_tab.fill(shown.medications)
        self.treatment_tab.fill(list(shown.treatments) if plan else self.treatment_tab.matched())
        self.follow_up_tab.fill(shown, completeness.needs_safety_plan(self.inputs.latest))
        fill_letters(self.letters_table, shown.letters)

    def _domains_changed(self) -> None:
        """Goals serve chosen values: the goal table's value column offers the chosen domains. A goal whose
        value is no longer chosen keeps it, marked, so saving says so instead of moving the goal elsewhere."""
        chosen = self.values_tab.chosen()
        self.goal_table.combos[0] = chosen
        for row in range(self.goal_table.rowCount()):
            combo = self.goal_table.combo(row, 0)
            keep = combo.currentData() or combo.property("domain")
            combo.clear()
            for key, label in chosen.items():
                combo.addItem(label, key)
            if keep and keep not in chosen:
                label = _(LIFE_DOMAINS.get(keep, keep))
                combo.addItem(_("{value} (not chosen)").format(value=label), keep)
            combo.setCurrentIndex(max(combo.findData(keep), 0))

    def plan(self, strict: bool = True) -> CarePlan:
        """The plan as shown, on top of the version it was read from (number, revision, notes)."""
        base = self.current or CarePlan(self.patient.id)
        g, a = self.goal_table, self.action_table
        if strict:
            refuse_rows_without(g, 1, _("Goal row {number} has no goal text; write one or remove the row"), {0, 6})
            refuse_rows_without(a, 0, _("Action row {number} says nothing to do; write it or remove the row"), {1})
        goals = tuple(Goal(g.text(r, 0), g.text(r, 1), g.text(r, 2) or None, parse_number(g.text(r, 3), strict),
                           parse_number(g.text(r, 4), strict), parse_date(g.text(r, 5), strict),
                           int(g.text(r, 6)) if g.text(r, 6) else None)
                      for r in range(g.rowCount()) if g.text(r, 1))  # fmt: skip
        actions = tuple(Action(a.text(r, 0), a.text(r, 1), a.text(r, 2) or None)
                        for r in range(a.rowCount()) if a.text(r, 0))  # fmt: skip
        plan = replace(base, values=self.values_tab.values(), goals=goals, actions=actions,
                       treatments=tuple(self.treatment_tab.treatments()),
                       medications=self.medication_tab.medications(strict),
                       letters=read_letters(self.letters_table, strict))  # fmt: skip
        return self.follow_up_tab.apply(plan, strict)

    def checkpoints(self, plan: CarePlan | None = None) -> list[completeness.Checkpoint]:
        plan = plan or self.plan(strict=False)
        facts = completeness.PlanFacts(self.inputs.latest, tuple(m.as_medication() for m in plan.medications),
                                       plan.medication_reviewed, plan.abuse_stance, plan.consent_given,
                                       plan.follow_up_on, self.inputs.open_alerts)  # fmt: skip
        return completeness.check(facts, self.inputs.catalogue)

    def update_live(self) -> None:
        """The completeness checklist and the medication's MME and warnings, as the plan stands now."""
        plan = self.plan(strict=False)  # read from the widgets once per keystroke
        self.checklist.clear()
        for checkpoint in self.checkpoints(plan):
            if checkpoint.applies:
                self.checklist.addItem(("✓ " if checkpoint.done else "✗ ") + checkpoint.label)
        self.medication_tab.show_warnings(plan.medications)

    def save(self) -> CarePlan | None:
        outcome = operations.attempt(self, lambda: self.services.careplans.save(self.plan()))
        saved = outcome.value_or(None)
        if saved is not None:
            self.current = saved
            self.shown_at_save = self.plan(strict=False)
            self.status.setText(_("Saved as version {number}").format(number=saved.number))
        return saved

    def has_unsaved_changes(self) -> bool:
        return not same_content(self.plan(strict=False), self.shown_at_save)

    def reject(self) -> None:
        """Esc, Close and the window's ✕ all end here: typing is never thrown away without asking (save,
        discard, or go back to the plan)."""
        if self.has_unsaved_changes():
            answer = QMessageBox.question(
                self,
                _("Unsaved changes"),
                _("The care plan has changes that are not saved. Save them before closing?"),
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
            if answer == QMessageBox.StandardButton.Cancel or (
                answer == QMessageBox.StandardButton.Save and self.save() is None
            ):
                return
        super().reject()

    def saved(self) -> CarePlan | None:
        """The plan as shown, stored: saved when it differs from the stored version, else that version (so
        reading a summary after printing does not start a new, identical version)."""
        outcome = operations.attempt(self, self.plan)
        if outcome.failed:
            return None
        shown = outcome.value
        if self.current is not None and same_content(shown, self.current) and not problems(shown):
            return self.current
        return self.save()  # a stored plan with a problem (a taper older rules allowed) is named, not printed

    def _patient_plan(self) -> tuple[CarePlan, bytes] | None:
        """Save (when changed), then render the patient's plan in the language on screen."""
        plan = self.saved()
        if plan is None:
            return None
        return plan, patient_plan_pdf(plan, self.patient, self.inputs, language())

    def _freeze(self, action: str, printed: CarePlan) -> None:
        careplans = self.services.careplans
        outcome = operations.attempt(self, lambda: careplans.freeze(self.patient.id, action, printed=printed))
        if outcome.succeeded:
            frozen = outcome.value
            self.current = frozen
            self.status.setText(_("Version {number} printed and frozen").format(number=frozen.number))

    def print_plan(self) -> bool:
        """Save, choose a printer in the print dialog and print the patient's plan; the version is frozen."""
        made = self._patient_plan()
        if made is None:
            return False
        plan, pdf = made
        title = _("Care plan — {name}").format(name=self.patient.name)
        printed = operations.attempt(self, lambda: print_pdf(pdf, self, title)).value_or(False)
        if printed:
            self._freeze("print", plan)
        return printed

    def open_pdf(self) -> PdfViewer | None:
        """Save, then show the patient's plan in the app's own viewer; the version shown is frozen (what the
        patient saw is what the record holds). A file is written only by the viewer's "Save as…"."""
        made = self._patient_plan()
        if made is None:
            return None
        plan, pdf = made
        name = _("Care plan {name} version {number}").format(name=self.patient.name, number=plan.number)
        viewer = self.show_pdf(pdf, _("Care plan, version {number}").format(number=plan.number), name, "patient_plan")
        self._freeze("view", plan)
        return viewer

    def show_pdf(self, pdf: bytes, title: str, file_name: str, document: str) -> PdfViewer:
        """The app's own viewer, with a neutral title; saving a copy is audited as an export first."""

        def audit_export() -> bool:
            recorded = operations.attempt(
                self, lambda: self.services.careplans.record_output(self.patient.id, "export", document)
            )
            return recorded.succeeded

        viewer = PdfViewer(pdf, title, f"{file_name}.pdf", audit_export, self)
        viewer.show()
        return viewer

    def open_summary(self) -> PdfViewer | None:
        """The one-page clinician summary of the plan as it stands (saved first), opened for reading."""
        plan = self.saved()
        if plan is None:
            return None
        pdf = clinician_summary_pdf(plan, self.patient, self.inputs, language())
        audited = operations.attempt(
            self, lambda: self.services.careplans.record_output(self.patient.id, "print", "clinician_summary")
        )
        if audited.failed:
            return None  # a document that could not be audited is not shown
        name = _("Clinician summary {name} version {number}").format(name=self.patient.name, number=plan.number)
        return self.show_pdf(pdf, _("Clinician summary"), name, "clinician_summary")

    def copy_journal_note(self) -> str | None:
        """Scores of the latest visit, suicide-risk actions taken and the plan in short, on the clipboard."""
        plan = self.saved()  # the note names a version: it must be the one stored
        if plan is None:
            return None
        note = self.inputs.journal(self.patient, plan, language(), date.today())
        audited = operations.attempt(
            self, lambda: self.services.audit.record("export", "patient", self.patient.id, {"document": "journal_note"})
        )
        if audited.failed:
            return None  # a note whose copying could not be audited is not copied
        self.clipboard.put(note)  # cleared after a while, on the next patient, on lock and on hand-over
        self.status.setText(_("Journal note copied"))
        return note


def table_page(table: RowTable, parent: QWidget, below: QWidget | None = None) -> QWidget:
    """A row table with Add (Ctrl+Insert) and Remove buttons under it."""
    page = QWidget(parent)
    add, remove = QPushButton(_("Add row"), page), QPushButton(_("Remove row"), page)
    add.setShortcut(QKeySequence("Ctrl+Insert"))
    add.clicked.connect(table.add_and_edit)
    # Remove is never reached by Tab and a space (a row typed in would be gone): a click or Ctrl+Delete.
    remove.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    remove.setShortcut(QKeySequence("Ctrl+Delete"))
    remove.setToolTip("Ctrl+Delete")
    remove.clicked.connect(table.remove_current)
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


def same_content(shown: CarePlan, stored: CarePlan) -> bool:
    """Equal in everything the clinician edits (not in version number, status or times)."""
    keep: dict[str, Any] = {"number": stored.number, "status": stored.status, "created_at": stored.created_at,
            "frozen_at": stored.frozen_at, "revision": stored.revision}  # fmt: skip
    return replace(shown, **keep) == stored


def refuse_rows_without(table: RowTable, key_column: int, message: str, skip: set[int]) -> None:
    """A row with something typed but without its key (a goal's text, an action's what) is not dropped
    silently: saving stops and names the row."""
    for row in range(table.rowCount()):
        if table.text(row, key_column):
            continue
        typed = [c for c in range(table.columnCount()) if c not in skip | {key_column} and table.text(row, c)]
        if typed:
            raise EntryProblem(message.format(number=row + 1))
