"""Clinic outcomes beside the checkpoints: dependence-forming drugs and their doses, tapering, STarT Back
groups, change in pain and function, and how fast a suicide-risk flag gets its action; month by month too.
Every share is of the patients seen in the period (the denominators are said in docs/quality.md)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from statistics import median

from smerteagent.core.careplan.plan import CarePlan
from smerteagent.core.quality.records import (
    SUICIDE_FLAGS,
    PlanDrugsMemo,
    RecordView,
    long_term,
)
from smerteagent.i18n import N_, _, number

MME_LEVELS = (50, 90)  # CDC 2022 (Dowell et al., MMWR 2022;71(RR-3)): reassess from 50, avoid/justify from 90
CHANGE_FORMS = ("peg", "odi", "rmdq")
OUTCOME_FORMS = frozenset({"startback", *CHANGE_FORMS})  # the forms the outcomes read
STARTBACK_GROUPS = ("low", "medium", "high")
TREND_KEYS = ("patients", "share_on_opioids", "share_mme_50_plus", "share_mme_90_plus", "median_mme",
              "share_opioid_with_benzodiazepine_or_z_drug", "median_peg")  # fmt: skip

OUTCOME_LABELS = {
    "patients": N_("Patients seen"),
    "share_on_opioids": N_("On opioids"),
    "share_opioids_over_3_months": N_("On opioids for more than 3 months"),
    "share_mme_50_plus": N_("50 MME/day or more"),
    "share_mme_90_plus": N_("90 MME/day or more"),
    "share_opioid_with_benzodiazepine_or_z_drug": N_("Opioid with a benzodiazepine or z-drug"),
    "share_opioid_with_gabapentinoid": N_("Opioid with a gabapentinoid"),
    "median_mme": N_("Median MME/day (patients on opioids)"),
    "patients_opioid_not_counted": N_("Patients whose opioid dose cannot be counted in MME"),
    "share_addictive_with_tapering_plan": N_("Tapering plan (of patients on dependence-forming drugs)"),
    "share_tapering_reduced_mme": N_("MME reduced since the tapering plan (of those with one)"),
    "share_startback_low": N_("STarT Back low risk"),
    "share_startback_medium": N_("STarT Back medium risk"),
    "share_startback_high": N_("STarT Back high risk"),
    "median_change_peg": N_("Median change in PEG, first to latest visit"),
    "median_change_odi": N_("Median change in ODI, first to latest visit"),
    "median_change_rmdq": N_("Median change in RMDQ, first to latest visit"),
    "median_peg": N_("Median PEG"),
    "median_hours_suicide_flag_to_action": N_("Median hours from a suicide-risk flag to its action"),
    "suicide_flags_without_action": N_("Suicide-risk flags without a recorded action"),
}


def outcome_text(name: str, value: float | None) -> str:
    """An outcome for people: shares as percentages, the rest as numbers (— when there is nothing to count)."""
    if value is None:
        return "—"
    return number(round(value * 100, 1), "%") if name.startswith("share_") else number(value)


def outcome_label(name: str) -> str:
    return _(OUTCOME_LABELS.get(name, name))


@dataclass(frozen=True)
class MonthTrend:
    month: str  # YYYY-MM
    values: dict[str, float | None]


def _share(count: int, total: int) -> float | None:
    return round(count / total, 4) if total else None


def _median(values: Sequence[float]) -> float | None:
    return round(median(values), 2) if values else None


class _Tally:
    """Counts over the patients of one period, read at its last day."""

    def __init__(self, day: date, long_term_days: int, facts: PlanDrugsMemo | None = None) -> None:
        self.day, self.long_term_days = day, long_term_days
        self.facts = PlanDrugsMemo() if facts is None else facts
        self.patients = self.opioid = self.opioid_long = self.not_counted = 0
        self.levels = dict.fromkeys(MME_LEVELS, 0)
        self.with_sedative = self.with_gabapentinoid = self.on_addictive = self.tapering = 0
        self.tapering_opioid = self.reduced = 0
        self.mme: list[float] = []
        self.groups = dict.fromkeys(STARTBACK_GROUPS, 0)
        self.changes: dict[str, list[float]] = {form: [] for form in CHANGE_FORMS}
        self.latest_peg: list[float] = []

    def add(self, record: RecordView) -> None:
        """Count one patient (the trends count theirs month by month, in ``trends``)."""
        self.patients += 1
        plan = record.plan_on(self.day) if record.plans else None  # most patients: no plan, no drugs to count
        if plan is not None and plan.medications:
            self._drugs(record, plan, True)
        startback = record.latest_band("startback", self.day, STARTBACK_GROUPS)
        if startback is not None:
            self.groups[startback] += 1
        for form, (first, latest) in record.first_and_latest_totals(CHANGE_FORMS, self.day).items():
            self.changes[form].append(latest - first)

    def _drugs(self, record: RecordView, plan: CarePlan, whole: bool) -> None:
        (on_opioid, mme), drugs, classes, tapering, opioid_tapering = self.facts(plan)
        self.on_addictive += bool(drugs)
        self.tapering += tapering
        if not on_opioid:
            return
        self.opioid += 1
        self.opioid_long += whole and any(f.drug_class == "opioid" and long_term(m, self.day, self.long_term_days)
                                for m, f in drugs)  # fmt: skip
        self.with_sedative += bool(classes & {"benzodiazepine", "z_drug"})
        self.with_gabapentinoid += "gabapentinoid" in classes
        if mme is None:
            self.not_counted += 1
        else:
            self.mme.append(mme)
            for level in MME_LEVELS:
                self.levels[level] += mme >= level
        if whole and opioid_tapering:
            self._tapering(record, mme)

    def _tapering(self, record: RecordView, mme: float | None) -> None:
        """Of the patients with an opioid tapering plan: has the daily MME come down since the plan was made?"""
        self.tapering_opioid += 1
        first = next(p for p in record.plans if self.facts(p).opioid_tapering)
        before = self.facts(first).opioid_mme[1]
        self.reduced += before is not None and mme is not None and mme < before

    def values(self) -> dict[str, float | None]:
        n = self.patients
        found: dict[str, float | None] = {
            "share_on_opioids": _share(self.opioid, n),
            "share_opioids_over_3_months": _share(self.opioid_long, n),
            "share_mme_50_plus": _share(self.levels[50], n),
            "share_mme_90_plus": _share(self.levels[90], n),
            "share_opioid_with_benzodiazepine_or_z_drug": _share(self.with_sedative, n),
            "share_opioid_with_gabapentinoid": _share(self.with_gabapentinoid, n),
            "median_mme": _median(self.mme),
            "patients_opioid_not_counted": self.not_counted,
            "share_addictive_with_tapering_plan": _share(self.tapering, self.on_addictive),
            "share_tapering_reduced_mme": _share(self.reduced, self.tapering_opioid),
        }
        grouped = sum(self.groups.values())
        found.update({f"share_startback_{g}": _share(c, grouped) for g, c in self.groups.items()})
        found.update({f"median_change_{form}": _median(v) for form, v in self.changes.items()})
        return found


def _flag_delays(records: Iterable[RecordView], start: date, end: date) -> tuple[list[float], int]:
    """Hours from each suicide-risk flag raised in the period to its first action; and flags with none by the end."""
    delays, open_flags = [], 0
    for record in records:
        for screening in record.flagged_until(end):
            for flag in SUICIDE_FLAGS:
                if flag not in screening.flags:
                    continue
                acted = record.actions.get((screening.response_id, flag))
                if acted is None or acted.date() > end:
                    open_flags += 1
                elif screening.at.date() >= start:
                    delays.append(max(0.0, (acted - screening.at).total_seconds() / 3600))
    return delays, open_flags


def outcomes(records: Sequence[RecordView], start: date, end: date, long_term_days: int,
             facts: PlanDrugsMemo | None = None) -> dict[str, float | None]:  # fmt: skip
    """Every outcome over ``records`` (the patients seen in the period), read at ``end``."""
    tally = _Tally(end, long_term_days, facts)
    for record in records:
        tally.add(record)
    found = tally.values()
    delays, open_flags = _flag_delays(records, start, end)
    found["median_hours_suicide_flag_to_action"] = _median(delays)
    found["suicide_flags_without_action"] = open_flags
    return found


@lru_cache(maxsize=16)
def months(start: date, end: date) -> tuple[tuple[date, date], ...]:
    """The calendar months the period touches, each cut to the period (the same tuple for the same period,
    so a summary asked about them knows them at once: ``QualitySummary.months_seen``)."""
    found, first = [], start.replace(day=1)
    while first <= end:
        following = (first + timedelta(days=32)).replace(day=1)
        found.append((max(first, start), min(following - timedelta(days=1), end)))
        first = following
    return tuple(found)


def trends(records: Sequence[RecordView], start: date, end: date, long_term_days: int,
           facts: PlanDrugsMemo | None = None) -> list[MonthTrend]:  # fmt: skip
    """Month by month: the patients seen that month, read at its last day (a few outcomes)."""
    spans = months(start, end)
    facts = PlanDrugsMemo() if facts is None else facts
    tallies = [_Tally(last, long_term_days, facts) for _first, last in spans]
    for record in records:  # each patient once, counted in each month they were seen
        planned = bool(record.plans)
        for index, peg in record.months_seen(spans):
            tally = tallies[index]
            tally.patients += 1
            if peg is not None:
                tally.latest_peg.append(peg)
            plan = record.plan_on(tally.day) if planned else None
            if plan is not None and plan.medications:
                tally._drugs(record, plan, False)
    found: list[MonthTrend] = []
    for (first, _last), tally in zip(spans, tallies, strict=True):
        values = tally.values()
        values["patients"] = tally.patients
        values["median_peg"] = _median(tally.latest_peg)
        found.append(MonthTrend(f"{first:%Y-%m}", {key: values[key] for key in TREND_KEYS}))
    return found
