"""A patient's record as the quality rules read it: visits, completed screenings, actions on suicide-risk
flags and the care-plan versions, each dated, so any day's state can be read back."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import NamedTuple, Protocol

from smerteagent.core.careplan.medication import ADDICTIVE, Medication, bundled_catalogue
from smerteagent.core.careplan.plan import CarePlan, PlannedMedication

SUICIDE_FLAGS = ("suicide_risk", "suicide_risk_imminent")


class DrugFacts(NamedTuple):
    drug_class: str
    daily_mme: float | None  # None: not an opioid, no dose, or no sourced conversion factor


def drug_facts(medication: PlannedMedication) -> DrugFacts:
    """A drug's class and daily MME, remembered per name and dose (a register repeats the same few drugs)."""
    return _drug_facts(medication.name, medication.daily_dose)


@lru_cache(maxsize=4096)
def _drug_facts(name: str, daily_dose: float | None) -> DrugFacts:
    """THE one place the report reads a drug's class and daily MME: the ATC drug catalogue (an unknown drug is
    'unclassified', an opioid without a published factor has no MME and counts as not counted)."""
    catalogue = bundled_catalogue()
    return DrugFacts(catalogue.drug_class(name), catalogue.daily_mme(Medication(name, daily_dose)))


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
    _days: list[date] = field(init=False, repr=False, compare=False)
    by_form: dict[str, tuple[list[date], list[Screening]]] = field(init=False, repr=False, compare=False)

    def plan_on(self, day: date) -> CarePlan | None:
        """The care-plan version that stood at the end of ``day`` (made on or before it)."""
        if not self.plans:
            return None
        index = bisect_right([p.created_at.date() for p in self.plans], day)
        return self.plans[index - 1] if index else None

    def __post_init__(self) -> None:
        """Index the screenings by day and by form once (the rules read them many times per report)."""
        days = [s.at.date() for s in self.screenings]
        by_form: dict[str, tuple[list[date], list[Screening]]] = {}
        for day, screening in zip(days, self.screenings, strict=True):
            form_days, rows = by_form.setdefault(screening.form_id, ([], []))
            form_days.append(day)
            rows.append(screening)
        object.__setattr__(self, "_days", days)
        object.__setattr__(self, "by_form", by_form)

    def screenings_until(self, day: date) -> tuple[Screening, ...]:
        return self.screenings[: bisect_right(self._days, day)]

    def of_form(self, form_id: str, start: date, end: date) -> list[Screening]:
        """The form's screenings completed between ``start`` and ``end`` (both included)."""
        days, rows = self.by_form.get(form_id, ([], []))
        return rows[bisect_left(days, start) : bisect_right(days, end)]

    def recent(self, forms: tuple[str, ...], start: date, end: date) -> bool:
        """Any of ``forms`` completed between ``start`` and ``end``."""
        for form_id in forms:
            days = self.by_form.get(form_id, ((), ()))[0]
            index = bisect_left(days, start)
            if index < len(days) and days[index] <= end:
                return True
        return False

    def seen_between(self, start: date, end: date) -> bool:
        """A visit or a care-plan version in the period: the patient was in the clinic's care then."""
        return any(start <= v <= end for v in self.visits) or any(
            start <= p.created_at.date() <= end for p in self.plans
        )

    def suicide_item_answered(self, start: date, end: date) -> bool:
        """A PHQ-9 completed between ``start`` and ``end`` with its item 9 (suicidal thoughts) answered."""
        return any("suicide_item_missing" not in s.flags for s in self.of_form("phq9", start, end))

    def flagged_until(self, day: date) -> Sequence[Screening]:
        """The screenings completed by ``day`` that raised a flag (in time order)."""
        return [s for s in self.screenings_until(day) if s.flags]

    def latest_total(self, form_id: str, start: date, end: date) -> float | None:
        totals = [s.total for s in self.of_form(form_id, start, end) if s.total is not None]
        return totals[-1] if totals else None

    def latest_band(self, form_id: str, end: date, bands: Collection[str]) -> str | None:
        found = [s.band for s in self.of_form(form_id, date.min, end) if s.band in bands]
        return found[-1] if found else None

    def first_and_latest_totals(self, forms: Sequence[str], end: date) -> Mapping[str, tuple[float, float]]:
        """The first and the latest total by ``end`` of each of ``forms`` with two or more."""
        found = {}
        for form_id in forms:
            totals = [s.total for s in self.of_form(form_id, date.min, end) if s.total is not None]
            if len(totals) >= 2:
                found[form_id] = (totals[0], totals[-1])
        return found

    def visit_months(self) -> Iterable[str]:
        """The calendar months (YYYY-MM) with a visit, each once."""
        return dict.fromkeys(f"{v:%Y-%m}" for v in self.visits)

    def months_seen(self, months: Sequence[tuple[date, date]]) -> Iterable[tuple[int, float | None]]:
        """Each of ``months`` (their index) with a visit on any day of its calendar month, and the latest PEG
        total in it (within its days)."""
        index = month_keys(tuple(months))
        for month in self.visit_months():
            i = index.get(month)
            if i is not None:
                yield i, self.latest_total("peg", *months[i])

    def memo_key(self, day: date) -> object | None:
        """A key under which records with alike plans (``checkpoints.plan_key``) or none evaluate alike at
        ``day`` (None: evaluate this one on its own)."""
        return None


@lru_cache(maxsize=16)
def month_keys(months: tuple[tuple[date, date], ...]) -> dict[str, int]:
    """Each month's YYYY-MM and its index in ``months`` (made once per report, not once per record)."""
    return {f"{first:%Y-%m}": i for i, (first, _last) in enumerate(months)}


class RecordView(Protocol):
    """What the rules and the outcomes read of a patient's record: the full record (``PatientRecord``) or the
    summary SQL made of it for one report (``QualitySummary``) answer alike."""

    @property
    def patient_id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def cpr(self) -> str | None: ...
    @property
    def actions(self) -> Mapping[tuple[int, str], datetime]: ...
    @property
    def plans(self) -> tuple[CarePlan, ...]: ...
    def plan_on(self, day: date) -> CarePlan | None: ...
    def recent(self, forms: tuple[str, ...], start: date, end: date) -> bool: ...
    def seen_between(self, start: date, end: date) -> bool: ...
    def suicide_item_answered(self, start: date, end: date) -> bool: ...
    def flagged_until(self, day: date) -> Sequence[Screening]: ...
    def latest_band(self, form_id: str, end: date, bands: Collection[str]) -> str | None: ...
    def first_and_latest_totals(self, forms: Sequence[str], end: date) -> Mapping[str, tuple[float, float]]: ...
    def months_seen(self, months: Sequence[tuple[date, date]]) -> Iterable[tuple[int, float | None]]: ...
    def memo_key(self, day: date) -> object | None: ...


def addictive(plan: CarePlan | None) -> list[tuple[PlannedMedication, DrugFacts]]:
    """The dependence-forming drugs on a plan, with their facts."""
    if plan is None:
        return []
    found = [(m, drug_facts(m)) for m in plan.medications]
    return [(m, facts) for m, facts in found if facts.drug_class in ADDICTIVE]


def opioid_mme(plan: CarePlan | None) -> tuple[bool, float | None]:
    """On an opioid, and the total daily MME (None when any opioid cannot be counted)."""
    opioids = [drug_facts(m) for m in plan.medications] if plan else []
    opioids = [f for f in opioids if f.drug_class == "opioid"]
    if not opioids:
        return False, None
    if any(f.daily_mme is None for f in opioids):
        return True, None
    return True, sum(f.daily_mme or 0.0 for f in opioids)


class PlanDrugs(NamedTuple):
    """What the rules and the outcomes read of a plan's drugs."""

    opioid_mme: tuple[bool, float | None]
    drugs: list[tuple[PlannedMedication, DrugFacts]]  # the dependence-forming ones
    classes: set[str]  # of the dependence-forming ones
    tapering: bool  # a tapering plan for one of them
    opioid_tapering: bool  # a tapering plan for an opioid


def plan_drugs(plan: CarePlan) -> PlanDrugs:
    """``addictive`` and ``opioid_mme`` of the plan, in one pass over its drugs."""
    drugs: list[tuple[PlannedMedication, DrugFacts]] = []
    classes: set[str] = set()
    on_opioid, counted, total, tapering, opioid_tapering = False, True, 0.0, False, False
    for medication in plan.medications:
        facts = _drug_facts(medication.name, medication.daily_dose)
        if facts.drug_class == "opioid":
            on_opioid = True
            opioid_tapering = opioid_tapering or medication.tapering is not None
            if facts.daily_mme is None:
                counted = False
            else:
                total += facts.daily_mme
        if facts.drug_class in ADDICTIVE:
            drugs.append((medication, facts))
            classes.add(facts.drug_class)
            tapering = tapering or medication.tapering is not None
    return PlanDrugs((on_opioid, total if on_opioid and counted else None), drugs, classes, tapering,
                     opioid_tapering)  # fmt: skip


class PlanDrugsMemo:
    """Each plan's drug facts worked out once per report, though the rules, the outcomes and every month of
    the trends read them (a plan is known by its identity, and kept, so an id is never taken for another's)."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[CarePlan, PlanDrugs]] = {}

    def __call__(self, plan: CarePlan) -> PlanDrugs:
        known = self._known.get(id(plan))
        if known is None or known[0] is not plan:
            known = self._known[id(plan)] = (plan, plan_drugs(plan))
        return known[1]


def long_term(medication: PlannedMedication, day: date, days: int) -> bool:
    """Used more than ``days`` at ``day``; a drug without a start date cannot be shown to be short."""
    return medication.started_on is None or (day - medication.started_on).days > days
