"""A patient's record summarised for one report: what SQL aggregated per patient (which screening windows
hold a completed form, PHQ-9 item 9 answered, the latest STarT Back group, first and latest totals, the
latest PEG per month), the few flagged screenings row by row, and the care-plan versions. It answers the
rules and the outcomes exactly as the full ``PatientRecord`` would, for that report's period only: any
other question is a programming error and raises instead of answering wrongly."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from smerteagent.core.careplan.plan import CarePlan
from smerteagent.core.quality.checkpoints import screening_windows, suicide_item_windows
from smerteagent.core.quality.outcomes import CHANGE_FORMS, STARTBACK_GROUPS, months
from smerteagent.core.quality.records import Screening, month_keys
from smerteagent.core.quality.rules import RuleSet


@dataclass(frozen=True)
class SummaryRequest:
    """What the storage summarises per patient for a report over ``start``..``day`` (both included)."""

    start: date
    day: date
    windows: tuple[tuple[tuple[str, ...], date], ...]  # (forms, first day): any of them completed since?
    suicide_item: tuple[date, ...]  # first days: a PHQ-9 with item 9 answered since?
    months: tuple[tuple[date, date], ...]  # the trend months (cut to the period): the latest PEG in each
    startback_bands: tuple[str, ...] = STARTBACK_GROUPS
    change_forms: tuple[str, ...] = CHANGE_FORMS
    known_windows: frozenset[tuple[tuple[str, ...], date]] = field(init=False, repr=False, compare=False)
    month_keys: dict[str, int] = field(init=False, repr=False, compare=False)  # YYYY-MM -> index in months

    def __post_init__(self) -> None:
        object.__setattr__(self, "known_windows", frozenset(self.windows))
        object.__setattr__(self, "month_keys", month_keys(self.months))

    def forms(self) -> frozenset[str]:
        """The forms the windows read (PHQ-9 for its item 9)."""
        return frozenset(f for forms, _start in self.windows for f in forms) | {"phq9"}

    def month_starts(self) -> tuple[date, ...]:
        """The first calendar day of each trend month (a visit on any day of it counts for that month)."""
        return tuple(first.replace(day=1) for first, _last in self.months)


def summary_request(rules: RuleSet, start: date, end: date) -> SummaryRequest:
    return SummaryRequest(start, end, screening_windows(rules, end), suicide_item_windows(rules, end),
                          months(start, end))  # fmt: skip


@dataclass(slots=True)
class QualitySummary:
    """One patient seen in the request's period, as the storage summarised them."""

    request: SummaryRequest
    patient_id: int
    name: str
    cpr: str | None = None
    windows: frozenset[tuple[tuple[str, ...], date]] = frozenset()  # the request's windows with a form completed
    suicide_item: frozenset[date] = frozenset()  # the request's first days since which item 9 was answered
    flagged: tuple[Screening, ...] = ()  # completed screenings with a suicide-risk flag, in time order
    actions: Mapping[tuple[int, str], datetime] = field(default_factory=dict)
    plans: tuple[CarePlan, ...] = ()  # versions, sorted by created_at
    months: tuple[str, ...] = ()  # the request's months (YYYY-MM) with a visit
    startback: str | None = None  # the latest STarT Back group
    changes: Mapping[str, tuple[float, float]] = field(default_factory=dict)  # first and latest total (2 or more)
    peg: Mapping[int, float] = field(default_factory=dict)  # the latest PEG total per request month (index)
    plan_days: list[date] | None = None  # the versions' days, listed when first asked (most have one or none)

    def _at_day(self, end: date) -> None:
        if end != self.request.day:
            raise ValueError(f"summarised for {self.request.day}, asked about {end}")

    def plan_on(self, day: date) -> CarePlan | None:
        plans = self.plans
        if len(plans) < 2:
            return plans[0] if plans and plans[0].created_at.date() <= day else None
        if self.plan_days is None:
            self.plan_days = [p.created_at.date() for p in plans]
        index = bisect_right(self.plan_days, day)
        return plans[index - 1] if index else None

    def recent(self, forms: tuple[str, ...], start: date, end: date) -> bool:
        self._at_day(end)
        key = (forms, start)
        if key not in self.request.known_windows:
            raise KeyError(f"not summarised: {forms} since {start}")
        return key in self.windows

    def seen_between(self, start: date, end: date) -> bool:
        if (start, end) != (self.request.start, self.request.day):
            raise ValueError(f"summarised for {self.request.start}..{self.request.day}, asked about {start}..{end}")
        return True  # the storage summarises only the patients seen in the period

    def suicide_item_answered(self, start: date, end: date) -> bool:
        self._at_day(end)
        if start not in self.request.suicide_item:
            raise KeyError(f"not summarised: PHQ-9 item 9 since {start}")
        return start in self.suicide_item

    def flagged_until(self, day: date) -> Sequence[Screening]:
        if day >= self.request.day:
            return self.flagged
        return [s for s in self.flagged if s.at.date() <= day]

    def months_seen(self, months: Sequence[tuple[date, date]]) -> Iterable[tuple[int, float | None]]:
        request = self.request
        if months is not request.months and tuple(months) != request.months:  # the same tuple: see ``months``
            raise KeyError(f"not summarised: the months {months}")
        index_of, peg = request.month_keys, self.peg
        return [(index, peg.get(index)) for index in map(index_of.__getitem__, self.months)]

    def latest_band(self, form_id: str, end: date, bands: Collection[str]) -> str | None:
        self._at_day(end)
        if form_id != "startback" or tuple(bands) != self.request.startback_bands:
            raise KeyError(f"not summarised: the latest band of {form_id}")
        return self.startback

    def first_and_latest_totals(self, forms: Sequence[str], end: date) -> Mapping[str, tuple[float, float]]:
        request = self.request
        if end != request.day or (forms is not request.change_forms and tuple(forms) != request.change_forms):
            self._at_day(end)
            raise KeyError(f"not summarised: the totals of {forms}")
        return self.changes

    def memo_key(self, day: date) -> object | None:
        """The rules read which windows hold a form, the flags and the plan: alike patients alike."""
        if day != self.request.day:
            return None
        return self.windows, self.suicide_item
