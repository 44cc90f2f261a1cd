"""The two documents of a care plan, rendered from everything a report needs about the patient, so the
app and the command line print exactly the same pages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from smerteagent.core.careplan.medication import Acknowledgement, Catalogue
from smerteagent.core.careplan.plan import CarePlan
from smerteagent.core.flag_status import FlagStatus
from smerteagent.core.history import InstrumentHistory, Reader
from smerteagent.core.patients import Patient, PatientSummary
from smerteagent.core.scoring.engine import CompiledForm
from smerteagent.core.scoring.result import ScoreResult
from smerteagent.core.settings import Settings
from smerteagent.reports.careplan_pdf import render_patient_plan
from smerteagent.reports.clinician_summary import render_clinician_summary


class PlanSources(Protocol):
    """What storage gathers once per patient (storage.report_inputs.ReportInputs is one)."""

    # Read-only members: a frozen dataclass (ReportInputs) provides them as plain fields.
    @property
    def settings(self) -> Settings: ...

    @property
    def catalogue(self) -> Catalogue: ...

    @property
    def safety_contacts(self) -> list[dict[str, Any]]: ...

    @property
    def latest(self) -> dict[str, ScoreResult]: ...

    @property
    def open_alerts(self) -> int: ...

    @property
    def forms(self) -> Mapping[str, CompiledForm]: ...

    @property
    def medication_acknowledgements(self) -> Mapping[str, Acknowledgement]: ...

    def histories(self, language: str, reader: Reader = "clinician") -> list[InstrumentHistory]: ...

    def latest_flag_statuses(self, language: str) -> Mapping[str, Sequence[FlagStatus]]: ...


def patient_plan_pdf(plan: CarePlan, patient: Patient | PatientSummary, sources: PlanSources, language: str) -> bytes:
    """The plan the patient takes home."""
    return render_patient_plan(plan, patient, settings=sources.settings, catalogue=sources.catalogue,
                               histories=sources.histories(language, "patient"),
                               safety_contacts=sources.safety_contacts, language=language)  # fmt: skip


def clinician_summary_pdf(
    plan: CarePlan, patient: Patient | PatientSummary, sources: PlanSources, language: str
) -> bytes:
    """The one-page summary the clinic keeps."""
    return render_clinician_summary(plan, patient, settings=sources.settings, catalogue=sources.catalogue,
                                    results=sources.latest, forms=sources.forms, language=language,
                                    open_safety_alerts=sources.open_alerts,
                                    acknowledgements=sources.medication_acknowledgements,
                                    flag_statuses=sources.latest_flag_statuses(language))  # fmt: skip
