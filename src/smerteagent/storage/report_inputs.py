"""Everything a printed plan or a journal note needs besides the plan itself, gathered once from storage and
resources (it satisfies reports.PlanSources)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from smerteagent.core.careplan.journal import ScoreLine, journal_note
from smerteagent.core.careplan.medication import Acknowledgement, Catalogue, bundled_catalogue
from smerteagent.core.careplan.plan import CarePlan
from smerteagent.core.flag_status import FlagStatus, flag_statuses, flag_words
from smerteagent.core.forms.titles import form_title
from smerteagent.core.history import InstrumentHistory, Reader, build_history
from smerteagent.core.patients import Patient
from smerteagent.core.rules.library import rules_library
from smerteagent.core.safety import SafetyAction
from smerteagent.core.scoring.engine import CompiledForm
from smerteagent.core.scoring.result import ScoreResult
from smerteagent.core.settings import Settings
from smerteagent.i18n import day
from smerteagent.storage.screenings import ResponseRecord
from smerteagent.storage.services import Services


@dataclass(frozen=True)
class ReportInputs:
    settings: Settings
    catalogue: Catalogue
    safety_contacts: list[dict[str, Any]]
    completed: list[ResponseRecord]
    latest: dict[str, ScoreResult]
    open_alerts: int
    safety_actions: list[SafetyAction]
    services: Services
    patient_id: int | None = None

    @property
    def forms(self) -> Mapping[str, CompiledForm]:
        return self.services.forms.forms

    @property
    def medication_acknowledgements(self) -> Mapping[str, Acknowledgement]:
        """Read when printed, so a warning acknowledged a moment ago prints with its reason."""
        if self.patient_id is None:
            return {}
        return self.services.medication_acks.for_patient(self.patient_id)

    def latest_visit_scores(self, language: str) -> list[ScoreLine]:
        """The scored questionnaires of the most recent visit, labelled in ``language``."""
        if not self.completed:
            return []
        visit = self.completed[-1].encounter_id
        found = []
        for record in self.completed:
            if record.encounter_id != visit or record.score is None:
                continue
            form = self.forms.get(record.form_id)
            if form is None:  # a form removed since: its id, band and flag ids still tell what was found
                found.append(ScoreLine(record.form_id, record.score, record.score.band))
                continue
            bands = {b.id: b.label.get(language) for b in form.definition.scoring.bands}
            title = form.definition.display_title(language)
            # Follow-up hints ("complete GAD-7") are the screening's business, not the record's; a flag whose
            # advice is answered since (GAD-7 completed, the action recorded) says so instead of asking again.
            severity = record.score.flag_severity
            statuses = flag_statuses(record, self.completed, self.forms, self.safety_actions, language)
            flags = tuple(flag_words(form, s, language, who=False) for s in statuses if severity.get(s.flag) != "info")
            labels = {r.id: r.label.get(language) for r in form.definition.scoring.results if r.label and not r.hidden}
            found.append(ScoreLine(title, record.score, bands.get(record.score.band or ""), flags, labels))
        return found

    def latest_flag_statuses(self, language: str) -> dict[str, list[FlagStatus]]:
        """For the latest complete response per form (the one ``latest`` holds): what became of each flag."""
        newest = {r.form_id: r for r in self.completed if r.score is not None}
        return {form_id: flag_statuses(record, self.completed, self.forms, self.safety_actions, language)
                for form_id, record in newest.items()}  # fmt: skip

    def journal(self, patient: Patient, plan: CarePlan | None, language: str, today: date) -> str:
        """The plain-text note for the practice's own record system (in the current UI language)."""
        # One action recorded for several flags at once (PHQ-9 and C-SSRS) is one line naming both instruments.
        grouped: dict[tuple[datetime, str, str], list[str]] = {}
        for action in self.safety_actions:
            form = self.forms.get(action.form_id)
            title = form_title(form, action.form_id, language)
            titles = grouped.setdefault((action.at, action.actor, action.describe()), [])
            if title not in titles:
                titles.append(title)
        actions = [f"{day(at)} {', '.join(titles)}: {text}" for (at, _actor, text), titles in grouped.items()]
        scores = self.latest_visit_scores(language)
        return journal_note(patient, scores, actions, plan, self.catalogue, today, self.open_alerts,
                            self.medication_acknowledgements)  # fmt: skip

    def histories(self, language: str, reader: Reader = "clinician") -> list[InstrumentHistory]:
        """One history per instrument the patient has completed, in the order first seen (for the patient:
        only the results the patient may read)."""
        found = []
        for form_id in dict.fromkeys(r.form_id for r in self.completed):
            form = self.services.forms.forms.get(form_id)
            if form is None:
                continue
            done = [r for r in self.completed if r.form_id == form_id and r.score is not None]
            entries = [(r.completed_at or r.created_at, r.score.results) for r in done if r.score is not None]
            answers = [(r.completed_at or r.created_at, r.answers) for r in done]
            found.append(build_history(form, entries, language, answers, reader))
        return found


def report_inputs(services: Services, patient: Patient) -> ReportInputs:
    contacts = rules_library().documents["safety_contacts.yaml"]  # the clinic's copy when it has one
    completed = services.screenings.responses(patient.id, status="complete")
    latest = {r.form_id: r.score for r in completed if r.score is not None}
    return ReportInputs(
        settings=services.settings.load(),
        catalogue=bundled_catalogue(),
        safety_contacts=list(contacts["contacts"]),
        completed=completed,
        latest=latest,
        open_alerts=len(services.screenings.open_alerts(patient.id)),
        safety_actions=services.screenings.safety_actions(patient.id),
        services=services,
        patient_id=patient.id,
    )
