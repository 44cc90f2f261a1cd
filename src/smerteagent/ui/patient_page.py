"""One patient: start or resume a screening, see results, alerts and history."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from smerteagent.core.forms.titles import form_title
from smerteagent.core.history import InstrumentHistory, build_history
from smerteagent.core.patients import Patient
from smerteagent.core.safety import SafetyAction
from smerteagent.core.vocabulary import DRUG_CONTEXTS, SETTING_LABELS
from smerteagent.i18n import N_, _, day, language, moment, number, split_unit
from smerteagent.ui import operations
from smerteagent.ui.banner import PatientBanner
from smerteagent.ui.careplan.medication_warnings import MedicationWarningsPanel
from smerteagent.ui.history_chart import HistoryChart
from smerteagent.ui.result_view import ResultView, flag_text
from smerteagent.ui.safety_banner import SafetyActionDialog, SafetyBanner

if TYPE_CHECKING:
    from smerteagent.core.scoring.engine import CompiledForm
    from smerteagent.ui.context import AppContext
    from smerteagent.usecases.import_fhir_responses import ResponsesImport
    from smerteagent.usecases.services import OpenAlert, ResponseRecord

# Alt+letter ticks a box (in the order of DRUG_CONTEXTS): the letters are unique on the page and beside the
# menu bar's.
BOX_TEXTS = dict(
    zip(
        DRUG_CONTEXTS,
        (N_("&Opioids"), N_("Ben&zodiazepines"), N_("Z-drugs (s&leeping pills)"), N_("&Gabapentinoids")),
        strict=True,
    )
)
OVERVIEW_ROLE = Qt.ItemDataRole.UserRole + 1  # on the visit-overview row: the encounter it sums up


def change_text(history: InstrumentHistory) -> str:
    """'Change since last time: PHQ-9 sum −9' for every series with two or more values."""
    changes = history.change_since_last()
    parts = [f"{split_unit(s.label)[0]} {number(change, split_unit(s.label)[1], sign=True)}"
             for s in history.series if (change := changes.get(s.result_id)) is not None]  # fmt: skip
    return _("Change since last time: {changes}").format(changes=", ".join(parts)) if parts else ""


def import_summary(report: ResponsesImport) -> str:
    """What an import took and refused, in words a clinician reads once."""
    lines = [_("{taken} taken, {refused} refused, {stored} already stored.").format(
        taken=len(report.taken), refused=len(report.refused), stored=len(report.already_stored))]  # fmt: skip
    lines += [_("Refused {where}: {reason}").format(where=r.where, reason=r.reason) for r in report.refused]
    if any(t.score is not None and t.score.flags for t in report.taken):
        lines.append(_("Imported responses raised flags; see the alerts."))
    return "\n".join(lines)


class PatientPage(QWidget):
    """Emits what the user wants to start; the main window runs the screening."""

    battery_requested = Signal(str, str, dict)
    form_requested = Signal(str, str)
    resume_requested = Signal(int)
    edit_requested = Signal()
    care_plan_requested = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.patient: Patient | None = None
        self.alerts: list[OpenAlert] = []
        self._actions_by_response: dict[int, SafetyAction] = {}
        self._handled_flags: set[tuple[int, str]] = set()
        self._actions: list[SafetyAction] = []
        self.banner = PatientBanner(self)
        self.safety = SafetyBanner(self)
        self.safety.record_requested.connect(self.record_safety_action)
        self.safety_done = QLabel(self, wordWrap=True)
        self.safety_done.setAccessibleName(_("Suicide-risk action recorded"))
        self.safety_done.hide()
        self.results = QListWidget(self)
        self.results.setAccessibleName(_("Screenings"))
        self.results.setWordWrap(True)
        self.results.setMinimumWidth(300)
        self.results.currentItemChanged.connect(lambda current, _previous: self._show_selected(current))
        self.results.itemActivated.connect(self._resume_if_draft)
        self.result_view = ResultView(self)
        self.chart = HistoryChart(self)
        self.change = QLabel(self)
        self.change.setAccessibleName(_("Change since last time"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.safety)
        layout.addWidget(self.safety_done)
        self.medication_warnings = MedicationWarningsPanel(self)
        self.medication_warnings.acknowledge.connect(self.acknowledge_medication_warning)
        layout.addWidget(self.medication_warnings)
        layout.addWidget(self._start_box())
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.results)
        right = QWidget(splitter)
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.result_view)
        right_layout.addWidget(self.change)
        right_layout.addWidget(self.chart, 1)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        context.data_did_change.connect(self._data_changed)

    def _data_changed(self, patient_id: int, _what: str) -> None:
        """Something this page shows was written (a screening completed, an action recorded, the plan saved):
        shown again from the record, on the row that was selected."""
        if self.patient is None or patient_id != self.patient.id:
            return
        item = self.results.currentItem()
        kept = None if item is None else (item.data(OVERVIEW_ROLE) is not None, item.data(Qt.ItemDataRole.UserRole))
        self.refresh()
        for row in range(self.results.count()):
            again = self.results.item(row)
            if kept is not None and not kept[0] and again.data(Qt.ItemDataRole.UserRole) == kept[1]:
                self.results.setCurrentRow(row)
                break

    def _start_box(self) -> QGroupBox:
        box = QGroupBox(_("Start a screening"), self)
        self.setting = QComboBox(box)
        for key, label in SETTING_LABELS.items():
            self.setting.addItem(_(label), key)
        self.setting.setAccessibleName(_("Setting"))
        self.battery = QComboBox(box)
        self.battery.setAccessibleName(_("Battery"))
        self.instrument = QComboBox(box)
        self.instrument.setAccessibleName(_("Single questionnaire"))
        self.context_boxes = {key: QCheckBox(_(label), box) for key, label in BOX_TEXTS.items()}
        start_battery = QPushButton(_("Start battery"), box)
        start_battery.setShortcut("Ctrl+B")
        start_battery.clicked.connect(self.start_selected_battery)
        start_form = QPushButton(_("Start questionnaire"), box)
        start_form.clicked.connect(lambda: self.form_requested.emit(self.instrument.currentData(), self._setting()))
        edit = QPushButton(_("Edit patient…"), box)
        edit.clicked.connect(self.edit_requested)
        care_plan = QPushButton(_("Care plan…"), box)
        care_plan.setShortcut("Ctrl+Shift+B")
        care_plan.clicked.connect(self.care_plan_requested)
        imported = QPushButton(_("Import FHIR responses…"), box)
        imported.setToolTip(_("Questionnaires answered in another system (a FHIR QuestionnaireResponse or Bundle)"))
        imported.clicked.connect(lambda: self.import_fhir_responses())
        grid = QGridLayout(box)
        for column, text in enumerate((_("Setting"), _("Battery"))):
            grid.addWidget(QLabel(text, box), 0, column)
        grid.addWidget(self.setting, 1, 0)
        grid.addWidget(self.battery, 1, 1)
        grid.addWidget(start_battery, 1, 2)
        grid.addWidget(edit, 1, 3)
        grid.addWidget(care_plan, 1, 4)
        medication = QHBoxLayout()
        medication.addWidget(QLabel(_("Takes:"), box))
        for checkbox in self.context_boxes.values():
            medication.addWidget(checkbox)
        medication.addStretch()
        grid.addLayout(medication, 2, 0, 1, 5)
        grid.addWidget(QLabel(_("Single questionnaire"), box), 3, 1)
        grid.addWidget(self.instrument, 4, 1)
        grid.addWidget(start_form, 4, 2)
        grid.addWidget(imported, 4, 4)
        return box

    def import_fhir_responses(self, path: Path | None = None) -> ResponsesImport | None:
        """Take this patient's responses in from a FHIR file (asks for it), then show what was taken and refused."""
        from smerteagent.usecases.import_fhir_responses import import_responses

        patient = self.patient
        if patient is None:
            return None
        if path is None:
            name, _chosen = QFileDialog.getOpenFileName(self, _("Import FHIR responses"), "", _("FHIR JSON (*.json)"))
            if not name:
                return None
            path = Path(name)
        chosen = path
        outcome = operations.attempt(self, lambda: import_responses(self.context.services, patient.id, chosen))
        if outcome.failed:
            return None
        report = outcome.value
        self.context.changed(patient.id, "import")
        QMessageBox.information(self, _("FHIR responses"), import_summary(report))
        return report

    def _setting(self) -> str:
        return str(self.setting.currentData())

    def start_selected_battery(self) -> None:
        context = {key: box.isChecked() for key, box in self.context_boxes.items()}
        self.battery_requested.emit(self.battery.currentData(), self._setting(), context)

    def fill_choices(self) -> None:
        """Batteries and questionnaires in the current language; the default battery first."""
        services, lang = self.context.services, language()
        default = services.settings.load().default_battery
        self.battery.clear()
        for battery in sorted(services.forms.batteries.values(), key=lambda b: (b.id != default, b.id)):
            self.battery.addItem(battery.title.get(lang), battery.id)
        self.instrument.clear()
        for form in sorted(services.forms.forms.values(), key=lambda f: f.definition.title.get(lang)):
            self.instrument.addItem(form.definition.title.get(lang), form.id)

    def show_patient(self, patient: Patient) -> None:
        changed = self.patient is None or self.patient.id != patient.id
        self.patient = patient
        self.banner.set_patient(patient)
        self.fill_choices()
        if changed:
            self.tick_drugs_on_the_plan(patient)
        self.refresh()

    def show_medication_warnings(self) -> None:
        """The care plan's medication warnings in colour, each acknowledged with a reason (the use case)."""
        from smerteagent.usecases import medication

        patient = self.patient
        if patient is None:
            return
        services = self.context.services
        shown = operations.attempt(self, lambda: medication.patient_warnings(services, patient.id, date.today()))
        self.medication_warnings.show_warnings(shown.value_or([]), can_acknowledge=True)

    def acknowledge_medication_warning(self, warning: object, reason: str) -> None:
        from smerteagent.core.careplan.medication import MedicationWarning
        from smerteagent.core.errors import SmerteAgentError
        from smerteagent.usecases import medication

        assert isinstance(warning, MedicationWarning) and self.patient is not None
        try:
            medication.acknowledge(self.context.services, self.patient.id, warning, reason)
        except SmerteAgentError as problem:
            self.medication_warnings.show_problem(str(problem))
            return
        self.medication_warnings.show_problem(None)
        self.context.changed(self.patient.id, "medication")

    def tick_drugs_on_the_plan(self, patient: Patient, *, keep_ticked: bool = False) -> None:
        """'Takes opioids' and the like, ticked from the care plan's medication; the clinician may change them.
        With ``keep_ticked`` (back from the plan) a box the clinician ticked stays ticked: a drug the plan
        does not know as an opioid must not silently drop the battery's opioid questions."""
        from smerteagent.core.careplan.medication import battery_context, bundled_catalogue

        plan = operations.attempt(self, lambda: self.context.services.careplans.current(patient.id)).value_or(None)
        taken = battery_context((m.name for m in plan.medications), bundled_catalogue()) if plan else set()
        for key, box in self.context_boxes.items():
            box.setChecked(key in taken or (keep_ticked and box.isChecked()))

    def refresh(self) -> None:
        if self.patient is None:
            return
        screenings = self.context.services.screenings
        records = operations.attempt(self, lambda: screenings.responses(self.patient.id)).value_or([])  # type: ignore[union-attr]
        self.alerts = operations.attempt(self, lambda: screenings.open_alerts(self.patient.id)).value_or([])  # type: ignore[union-attr]
        self._records = records
        actions = operations.run(self, lambda: screenings.safety_actions(self.patient.id)) or []  # type: ignore[union-attr]
        self._actions = actions
        self._actions_by_response = {action.response_id: action for action in actions}
        self._handled_flags = {(action.response_id, action.flag) for action in actions}
        self.results.clear()
        if records:
            # The latest visit's overview heads the list and is what shows first after a battery.
            overview = QListWidgetItem(_("Overview of the visit {date}").format(date=day(records[-1].created_at)))
            overview.setData(OVERVIEW_ROLE, records[-1].encounter_id)
            self.results.addItem(overview)
        for record in reversed(records):
            self.results.addItem(self._item(record))
        self._show_alerts()
        self._show_last_safety_action(actions)
        self.show_medication_warnings()
        if self.results.count():
            self.results.setCurrentRow(0)
        else:
            self.result_view.setText(_("No screenings yet."))
            self.chart.set_history(None)

    def _item(self, record: ResponseRecord) -> QListWidgetItem:
        form = self.context.services.forms.forms.get(record.form_id)
        title = form_title(form, record.form_id, language())
        when = day(record.created_at)
        status = _("draft — Enter resumes") if record.score is None else self._band_label(form, record.score.band)
        text = f"{when}  {title}  {status}"
        acted = self._actions_by_response.get(record.id)
        if acted is not None:  # the history shows the risk was handled, and when
            text += "  " + _("✓ suicide-risk action {date}").format(date=day(acted.at))
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, record.id)
        return item

    @staticmethod
    def _band_label(form: CompiledForm | None, band: str | None) -> str:
        if form is None or band is None:
            return band or ""
        found = next((b for b in form.definition.scoring.bands if b.id == band), None)
        return found.label.get(language()) if found else band

    def _record(self, item: QListWidgetItem | None) -> ResponseRecord | None:
        if item is None:
            return None
        response_id = item.data(Qt.ItemDataRole.UserRole)
        return next((r for r in self._records if r.id == response_id), None)

    def _show_selected(self, item: QListWidgetItem | None) -> None:
        if item is not None and item.data(OVERVIEW_ROLE) is not None:
            self._show_overview(int(item.data(OVERVIEW_ROLE)))
            return
        record = self._record(item)
        if record is None:
            return
        self.chart.show()
        form = self.context.services.forms.forms.get(record.form_id)
        if form is None:
            return
        if record.score is None:
            self.result_view.setText(
                _("Draft with {count} answers — press Enter to resume.").format(count=len(record.answers))
            )
        else:  # what was done since (GAD-7 completed, the action recorded) instead of asking again
            from smerteagent.core.flag_status import band_followed_up, flag_statuses

            forms, lang = self.context.services.forms.forms, language()
            completed = [r for r in self._records if r.score is not None]
            statuses = flag_statuses(record, completed, forms, self._actions, lang)
            self.result_view.show_result(
                form, record.score, statuses, band_followed_up(record, completed, forms, lang), record.answers
            )
        done = [r for r in self._records if r.form_id == record.form_id and r.score is not None]
        entries = [(r.completed_at or r.created_at, r.score.results) for r in done if r.score is not None]
        answers = [(r.completed_at or r.created_at, r.answers) for r in done]
        history = build_history(form, entries, language(), answers)
        self.chart.set_history(history)
        self.change.setText(change_text(history))

    def _show_overview(self, encounter_id: int) -> None:
        """Every result of the visit, STarT Back's matched treatment and every flag, worst first."""
        from smerteagent.core.careplan.suggestions import bundled_recommendations
        from smerteagent.core.encounter_overview import encounter_overview

        visit = [r for r in self._records if r.encounter_id == encounter_id]
        completed = [r for r in self._records if r.score is not None]
        overview = encounter_overview(visit, self.context.services.forms.forms, bundled_recommendations(),
                                      language(), self._handled_flags, completed)  # fmt: skip
        self.result_view.show_overview(overview, day(visit[0].created_at) if visit else "")
        self.chart.hide()  # an instrument's history belongs to its own row
        self.change.setText("")

    def _resume_if_draft(self, item: QListWidgetItem) -> None:
        record = self._record(item)
        if record is not None and record.score is None:
            self.resume_requested.emit(record.encounter_id)

    def _show_alerts(self) -> None:
        forms = self.context.services.forms.forms
        messages = [flag_text(forms[a.form_id], a.flag) if a.form_id in forms else a.flag for a in self.alerts]
        counted = [m if messages.count(m) == 1 else f"{m} (×{messages.count(m)})" for m in dict.fromkeys(messages)]
        self.safety.show_alerts(counted)

    def record_safety_action(self) -> None:
        """One question for all open critical flags (one assessment of suicide risk, however many
        instruments raised it); the banner stays until it is recorded."""
        screenings = self.context.services.screenings
        forms = self.context.services.forms.forms
        alerts = list(self.alerts)
        if not alerts:
            return
        texts = [flag_text(forms[a.form_id], a.flag) if a.form_id in forms else a.flag for a in alerts]
        dialog = SafetyActionDialog(list(dict.fromkeys(texts)), self.patient, self)
        if dialog.exec() == SafetyActionDialog.DialogCode.Accepted:
            action, note = dialog.choice()
            flags = [(a.response_id, a.flag) for a in alerts]
            recorded = operations.attempt(self, lambda: screenings.record_safety_actions(flags, action, note))
            if recorded.succeeded and self.patient is not None:
                self.context.changed(self.patient.id, "safety_action")  # this page and every other screen
                return
        self.refresh()

    def _show_last_safety_action(self, actions: list[SafetyAction]) -> None:
        """The latest recorded suicide-risk action stays in sight on the page: what was done, when, by whom."""
        if not actions:
            self.safety_done.hide()
            return
        last = actions[-1]
        self.safety_done.setText(
            _("Suicide risk: action recorded {date} by {actor}: {action}").format(
                date=moment(last.at), actor=last.actor, action=last.describe()
            )
        )
        self.safety_done.show()
