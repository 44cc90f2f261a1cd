"""Everything a printed plan needs besides the plan itself, gathered once from storage and resources."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from smerteagent.core.careplan.medication import Catalogue
from smerteagent.core.history import InstrumentHistory, build_history
from smerteagent.core.patients import Patient
from smerteagent.core.scoring.result import ScoreResult
from smerteagent.core.settings import Settings
from smerteagent.paths import bundled_resources_dir
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
    services: Services

    def histories(self, language: str) -> list[InstrumentHistory]:
        """One history per instrument the patient has completed, in the order first seen."""
        found = []
        for form_id in dict.fromkeys(r.form_id for r in self.completed):
            form = self.services.forms.forms.get(form_id)
            if form is None:
                continue
            entries = [(r.completed_at or r.created_at, r.score.results) for r in self.completed
                       if r.form_id == form_id and r.score is not None]  # fmt: skip
            found.append(build_history(form, entries, language))
        return found


def report_inputs(services: Services, patient: Patient) -> ReportInputs:
    resources = bundled_resources_dir()
    contacts = yaml.safe_load((resources / "careplan" / "safety_contacts.yaml").read_text(encoding="utf-8"))
    completed = services.screenings.responses(patient.id, status="complete")
    latest = {r.form_id: r.score for r in completed if r.score is not None}
    return ReportInputs(
        settings=services.settings.load(),
        catalogue=Catalogue.load(resources / "medication" / "medication.yaml"),
        safety_contacts=list(contacts["contacts"]),
        completed=completed,
        latest=latest,
        open_alerts=len(services.screenings.open_alerts(patient.id)),
        services=services,
    )
