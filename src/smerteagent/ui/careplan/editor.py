"""The shared care plan for one patient: values, goals, actions, treatment, medication with tapering, and
follow-up, with a live completeness checklist; saved in versions. Printing (to a printer or as a PDF opened
in the system's viewer) freezes the version, so the paper and the record always match; the clinician
summary and the journal note are the clinic's own and freeze nothing. PDFs open in the app's own viewer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from smerteagent.core.careplan import completeness
from smerteagent.core.careplan.plan import ACTORS, GOAL_ATTAINMENT, LIFE_DOMAINS, Action, CarePlan, Goal, problems
from smerteagent.core.careplan.suggestions import bundled_recommendations
from smerteagent.i18n import _, language, moment
from smerteagent.reports import chartable
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
from smerteagent.usecases import careplan as documents

if TYPE_CHECKING:
    from pathlib import Path

    from smerteagent.core.careplan.snapshot import KeptPlan
    from smerteagent.core.patients import Patient
    from smerteagent.ui.context import AppContext
    from smerteagent.usecases.services import Services

GOAL_COLUMNS = ("value", "goal", "measure", "today", "target", "by_date", "attained")


class CarePlanEditor(QDialog):
    """Edits a :class:`CarePlan`; the services do all saving, scoring and checking."""

    def __init__(self, services: Services, patient: Patient, parent: QWidget | None = None,
                 clipboard: ClipboardGuard | None = None, context: AppContext | None = None,
                 kept: KeptPlan | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.services, self.patient, self.context = services, patient, context
        self.kept = kept  # this clinician's unsaved work, kept when another clinician switched user
        self.clipboard = clipboard or ClipboardGuard(self)
        self.setWindowTitle(_("Care plan — {name}").format(name=patient.name))
        self.inputs = documents.report_inputs(services, patient)
        self.current = services.careplans.current(patient.id)
        self.banner = PatientBanner(self)
        self.banner.set_patient(patient)
        self.values_tab = ValuesTab(self)
        self.values_tab.chosen_changed.connect(self._domains_changed)
        courses = chartable(self.inputs.histories(language(), "patient"))  # what the patient may follow on paper
        self.values_tab.offer_charts({h.form_id: h.title for h in courses})
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
        self.shown_at_save: CarePlan | None = None  # the plan as on screen when last saved (set after filling)
        self.notice = ""  # what the last command did ("journal note copied"), after the save state
        self.fill(self.current)
        self.shown_at_save = self.plan(strict=False)
        watch_edits(self.values_tab, self.show_status)  # the values and treatment tabs say nothing when edited
        watch_edits(self.treatment_tab, self.show_status)
        if kept is not None:
            self._restore(kept)
        self.update_live()
        if context is not None:  # a screening completed or an action recorded elsewhere: read them again
            context.data_did_change.connect(self._data_changed)
            self.finished.connect(self._stop_listening)

    def _stop_listening(self) -> None:
        """Closed: a hidden editor does not read the record again on every change."""
        if self.context is not None:
            self.context.data_did_change.disconnect(self._data_changed)
            self.context = None  # it also announces nothing more

    def _data_changed(self, patient_id: int, what: str) -> None:
        if patient_id == self.patient.id and what != "care_plan":
            self.reload_inputs()

    def reload_inputs(self) -> None:
        """Scores, alerts and actions as stored now: the note and the summary are composed from them."""
        inputs = operations.run(self, lambda: documents.report_inputs(self.services, self.patient))
        if inputs is not None:
            self.inputs = inputs
            self.update_live()

    def _announce(self) -> None:
        """Tell the other screens that the plan changed (the patient page, the visit overview)."""
        if self.context is not None:
            self.context.changed(self.patient.id, "care_plan")

    def _restore(self, kept: KeptPlan) -> None:
        """The kept work shown as it was left, still unsaved (closing asks, as for any change)."""
        for table in (self.goal_table, self.action_table, self.medication_tab.table, self.letters_table):
            table.clear_rows()
        self.fill(kept.plan)
        self._tell(_("Your unsaved changes from {time} are back: save them, or close to discard.")
                   .format(time=moment(kept.kept_at)))  # fmt: skip

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
        self.values_tab.fill(shown.values, shown.own_words, shown.charts)
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
        if self.kept is not None:  # saved by someone else since the work was kept: a conflict, never an overwrite
            base = replace(base, revision=self.kept.plan.revision)
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
        plan = replace(base, values=self.values_tab.values(), own_words=self.values_tab.words(),
                       charts=self.values_tab.charts(), goals=goals, actions=actions,
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
        self.show_status(plan)

    def status_text(self, shown: CarePlan | None = None) -> str:
        """The plan's state as stored, and whether the screen differs from it (never an old version's word)."""
        current = self.current
        assert self.shown_at_save is not None
        if not same_content(shown or self.plan(strict=False), self.shown_at_save):
            if current is None:
                return _("Unsaved changes (not saved yet)")
            return _("Unsaved changes (last saved: version {number})").format(number=current.number)
        if current is None:
            return _("Not saved yet")
        if current.frozen:
            return _("Version {number} printed and frozen").format(number=current.number)
        return _("Saved as version {number} (draft)").format(number=current.number)

    def show_status(self, shown: object = None) -> None:
        if self.shown_at_save is None:  # still filling the tabs
            return
        text = self.status_text(shown if isinstance(shown, CarePlan) else None)
        self.status.setText(f"{text} · {self.notice}" if self.notice else text)

    def _tell(self, notice: str) -> None:
        self.notice = notice
        self.show_status()

    def save(self) -> CarePlan | None:
        outcome = operations.attempt(self, lambda: self.services.careplans.save(self.plan()))
        saved = outcome.value_or(None)
        if saved is not None:
            self.current, self.kept = saved, None
            self.shown_at_save = self.plan(strict=False)
            self._tell("")
            self._announce()
        return saved

    def has_unsaved_changes(self) -> bool:
        assert self.shown_at_save is not None
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
        self.reload_inputs()  # always from the record as it stands, never from when the editor opened
        return plan, documents.patient_plan(plan, self.patient, self.inputs, language())

    def _freeze(self, action: documents.Act, printed: CarePlan) -> None:
        frozen = operations.run(
            self, lambda: documents.record_patient_plan(self.services, self.patient.id, printed, action)
        )
        if frozen is not None:
            self.current = frozen
            self._tell("")
            self._announce()

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

    def show_pdf(self, pdf: bytes, title: str, file_name: str, document: documents.Document) -> PdfViewer:
        """The app's own viewer, with a neutral title; saving a copy is audited as an export first."""

        def save_copy(path: Path, shown: bytes) -> bool:
            return operations.attempt(
                self, lambda: documents.save_copy(self.services, self.patient.id, document, shown, path)
            ).succeeded

        viewer = PdfViewer(pdf, title, f"{file_name}.pdf", save_copy, self)
        viewer.show()
        return viewer

    def open_summary(self) -> PdfViewer | None:
        """The one-page clinician summary of the plan as it stands (saved first), opened for reading."""
        plan = self.saved()
        if plan is None:
            return None
        self.reload_inputs()  # always from the record as it stands, never from when the editor opened
        pdf = operations.run(
            self,
            lambda: documents.clinician_summary(self.services, self.patient, plan, self.inputs, language(), "view"),
        )
        if pdf is None:
            return None  # a document that could not be audited is not shown
        name = _("Clinician summary {name} version {number}").format(name=self.patient.name, number=plan.number)
        return self.show_pdf(pdf, _("Clinician summary"), name, "clinician_summary")

    def copy_journal_note(self) -> str | None:
        """Scores of the latest visit, suicide-risk actions taken and the plan in short, on the clipboard."""
        plan = self.saved()  # the note names a version: it must be the one stored
        if plan is None:
            return None
        self.reload_inputs()  # always from the record as it stands, never from when the editor opened
        note = operations.run(
            self,
            lambda: documents.journal_note(self.services, self.patient, plan, self.inputs, language(), date.today()),
        )
        if note is None:
            return None
        self.clipboard.put(note)  # cleared after a while, on the next patient, on lock and on hand-over
        self._tell(_("Journal note copied"))
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


def watch_edits(tab: QWidget, slot: Callable[[], None]) -> None:
    """Call ``slot`` whenever a field of ``tab`` is edited (for tabs that have no "changed" signal)."""
    for spin in tab.findChildren(QSpinBox):
        spin.valueChanged.connect(lambda _value: slot())
    for line in tab.findChildren(QLineEdit):
        line.textChanged.connect(lambda _text: slot())
    for box in tab.findChildren(QAbstractButton):
        box.toggled.connect(lambda _on: slot())
    for text in tab.findChildren(QPlainTextEdit):
        text.textChanged.connect(slot)
    for listed in tab.findChildren(QListWidget):
        listed.itemChanged.connect(lambda _item: slot())


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
