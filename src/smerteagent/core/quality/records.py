"""A patient's record as the quality rules read it: visits, completed screenings, actions on suicide-risk
flags and the care-plan versions, each dated, so any day's state can be read back."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from smerteagent.core.careplan.medication import ADDICTIVE, Medication, bundled_catalogue
from smerteagent.core.careplan.plan import CarePlan, PlannedMedication

SUICIDE_FLAGS = ("suicide_risk", "suicide_risk_imminent")


class DrugFacts(NamedTuple):
    drug_class: str
    daily_mme: float | None  # None: not an opioid, no dose, or no sourced conversion factor


def drug_facts(medication: PlannedMedication) -> DrugFacts:
    """THE one place the report reads a drug's class and daily MME (today: the care-plan catalogue; the ATC
    drug catalogue of issue 12 replaces this function's body)."""
    catalogue = bundled_catalogue()
    plain = Medication(medication.name, medication.daily_dose)
    return DrugFacts(catalogue.drug_class(medication.name), catalogue.daily_mme(plain))


class Screening(NamedTuple):
    """A completed questionnaire: the fields the rules need (total only where a rule reads it)."""

    response_id: int
    form_id: str
    at: datetime
    band: str | None
    total: float | None
    flags: frozenset[str]


@dataclass(frozen=True)
class PatientRecord:
    patient_id: int
    name: str
    cpr: str | None = None
    visits: tuple[date, ...] = ()  # sorted
    screenings: tuple[Screening, ...] = ()  # sorted by time
    actions: Mapping[tuple[int, str], datetime] = field(default_factory=dict)  # first action per (response, flag)
    plans: tuple[CarePlan, ...] = ()  # versions, sorted by created_at

    def plan_on(self, day: date) -> CarePlan | None:
        """The care-plan version that stood at the end of ``day`` (made on or before it)."""
        index = bisect_right([p.created_at.date() for p in self.plans], day)
        return self.plans[index - 1] if index else None

    def screenings_until(self, day: date) -> list[Screening]:
        return [s for s in self.screenings if s.at.date() <= day]

    def seen_between(self, start: date, end: date) -> bool:
        """A visit or a care-plan version in the period: the patient was in the clinic's care then."""
        return any(start <= v <= end for v in self.visits) or any(
            start <= p.created_at.date() <= end for p in self.plans
        )


def addictive(plan: CarePlan | None) -> list[tuple[PlannedMedication, DrugFacts]]:
    """The dependence-forming drugs on a plan, with their facts."""
    if plan is None:
        return []
    found = [(m, drug_facts(m)) for m in plan.medications]
    return [(m, facts) for m, facts in found if facts.drug_class in ADDICTIVE]


def long_term(medication: PlannedMedication, day: date, days: int) -> bool:
    """Used more than ``days`` at ``day``; a drug without a start date cannot be shown to be short."""
    return medication.started_on is None or (day - medication.started_on).days > days
