"""Tapering schedules: from a start dose down to the floor, never faster than asked. A step is a share of the
*start* dose (10 % of today's dose a month is CDC 2022's pace for use beyond 3 months) or an absolute amount,
at a fixed interval. With the product's strengths every dose must be makeable from them: a step is rounded to
a dose the tablets or patches make that lies within the step (a smaller step), and where none does the next
makeable dose is held back until the asked pace allows it — a step is never enlarged to fit a tablet.
A clinician may then edit the rows (hold a step longer, slow down near the end); an edited schedule obeys the
same rules, checked by :func:`check_schedule`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from smerteagent.core.errors import SmerteAgentError
from smerteagent.i18n import N_, _

MAX_STEPS = 260  # five years of weekly steps: anything longer is a typing error, not a plan
MAX_DAYS = 5 * 366  # a schedule longer than five years is a typing error too
MAX_UNITS = 2_000_000  # doses in the strengths' smallest unit: beyond this the strengths make no sense
FIELD_LABELS = {
    "start_dose": N_("start dose"),
    "floor": N_("floor"),
    "interval_days": N_("interval"),
    "step": N_("step"),
    "round_to": N_("rounding"),
    "strengths": N_("strengths"),
    "steps": N_("schedule"),
}


class TaperingError(SmerteAgentError):
    """A tapering plan that cannot be followed; ``field`` names the parameter (or ``row N``)."""

    def __init__(self, field: str, problem: str, label: str | None = None) -> None:
        super().__init__(f"{label or _(FIELD_LABELS.get(field, field))}: {problem}")
        self.field = field


@dataclass(frozen=True)
class TaperStep:
    starts_on: date
    daily_dose: float


def _number(field: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise TaperingError(field, _("must be a number"))
    return float(value)


class Makeable:
    """The daily doses a set of strengths can make (any number of each), as integers of their common unit."""

    def __init__(self, strengths: Sequence[float], largest: float) -> None:
        scale = next((k for k in (1, 10, 100, 1000, 10000) if all(abs(s * k - round(s * k)) < 1e-6 for s in strengths)),
                     None)  # fmt: skip
        if scale is None or any(s <= 0 for s in strengths):
            raise TaperingError("strengths", _("must be above 0, with at most 4 decimals"))
        scaled = [round(s * scale) for s in strengths]
        self.unit = math.gcd(*scaled) / scale  # the dose one integer step stands for
        self.units = [s // math.gcd(*scaled) for s in scaled]
        self.top = self.to_units(largest)
        if self.top is None or self.top > MAX_UNITS:
            raise TaperingError("start_dose", _("cannot be made from the strengths {strengths}").format(
                strengths=", ".join(f"{s:g}" for s in strengths)))  # fmt: skip
        mask = (1 << (self.top + 1)) - 1
        reach = 1
        for size in self.units:  # any count of each strength: add shifts of size, 2·size, 4·size …
            shift = size
            while shift <= self.top:
                reach |= (reach << shift) & mask
                shift *= 2
        self.reach = reach

    def to_units(self, dose: float) -> int | None:
        """The dose in integer units; None when it is not a whole number of them."""
        units = dose / self.unit
        return round(units) if abs(units - round(units)) < 1e-6 else None

    def can_make(self, units: int) -> bool:
        return units >= 0 and bool(self.reach >> units & 1)

    def dose(self, units: int) -> float:
        return round(units * self.unit, 6)


def taper_schedule(
    start_dose: float,
    step: float,
    interval_days: int,
    starts_on: date,
    *,
    floor: float = 0.0,
    step_is_percent: bool = True,
    round_to: float | None = None,
    strengths: Sequence[float] = (),
) -> list[TaperStep]:
    """The schedule from ``start_dose`` to ``floor``; the first row is the start dose on ``starts_on``. No step
    takes away more than ``step`` per ``interval_days`` (a held dose counts its extra days); with ``strengths``
    (or ``round_to``, one strength) every dose is makeable from them."""
    start_dose, step, floor = _number("start_dose", start_dose), _number("step", step), _number("floor", floor)
    if start_dose <= 0:
        raise TaperingError("start_dose", _("must be above 0"))
    if not 0 <= floor < start_dose:
        raise TaperingError("floor", _("must be at least 0 and below the start dose"))
    if isinstance(interval_days, bool) or not isinstance(interval_days, int) or interval_days < 1:
        raise TaperingError("interval_days", _("must be at least 1 day"))
    amount = start_dose * step / 100 if step_is_percent else step
    if amount <= 0 or (step_is_percent and step > 100):
        raise TaperingError("step", _("must be above 0 (and at most 100 %)"))
    if round_to is not None and _number("round_to", round_to) <= 0:
        raise TaperingError("round_to", _("must be above 0"))
    sizes = [_number("strengths", s) for s in strengths] + ([round_to] if round_to is not None else [])
    if (start_dose - floor) / amount > MAX_STEPS:
        raise TaperingError("step", _("gives more than {count} steps; choose a larger step").format(count=MAX_STEPS))
    if not sizes:
        count = math.ceil((start_dose - floor) / amount - 1e-9)
        doses = [max(floor, round(start_dose - k * amount, 6)) for k in range(1, count + 1)]
        return [TaperStep(starts_on, start_dose)] + [
            TaperStep(starts_on + timedelta(days=interval_days * k), dose) for k, dose in enumerate(doses, start=1)
        ]
    return _makeable_schedule(Makeable(sizes, start_dose), start_dose, amount, interval_days, starts_on, floor)


def _makeable_schedule(
    makeable: Makeable, start_dose: float, amount: float, interval_days: int, starts_on: date, floor: float
) -> list[TaperStep]:
    current, lowest = makeable.to_units(start_dose), makeable.to_units(floor)
    strengths = ", ".join(f"{makeable.unit * u:g}" for u in makeable.units)
    if current is None or not makeable.can_make(current):
        raise TaperingError(
            "start_dose", _("cannot be made from the strengths {strengths}").format(strengths=strengths)
        )
    if lowest is None or not makeable.can_make(lowest):
        raise TaperingError("floor", _("cannot be made from the strengths {strengths}").format(strengths=strengths))
    per_step = amount / makeable.unit  # the asked step, in units
    steps, day = [TaperStep(starts_on, start_dose)], 0
    while current > lowest:
        target = max(lowest, math.ceil(current - per_step - 1e-9))
        within = next((u for u in range(target, current) if makeable.can_make(u)), None)
        if within is not None:  # the biggest makeable step that is not larger than asked
            nxt, days = within, interval_days
        else:  # no makeable dose within one step: take the next one down, later (held at today's dose)
            nxt = next(u for u in range(current - 1, lowest - 1, -1) if makeable.can_make(u))
            days = math.ceil(interval_days * (current - nxt) / per_step - 1e-9)
        day += days
        if len(steps) > MAX_STEPS or day > MAX_DAYS:
            raise TaperingError("step", _("gives a schedule longer than five years; choose a larger step"))
        current = nxt
        steps.append(TaperStep(starts_on + timedelta(days=day), makeable.dose(current)))
    return steps


def check_schedule(steps: Sequence[TaperStep], floor: float = 0.0) -> None:
    """Refuse an edited schedule that could harm: a dose that rises, dates out of order, a dose below the
    floor or below zero. Holding a dose for two rows is allowed (a slower taper)."""
    if not steps:
        raise TaperingError("steps", _("a schedule needs at least one row"))
    for number, (before, after) in enumerate(pairwise(steps), start=2):
        if after.starts_on <= before.starts_on:
            raise TaperingError(f"row {number}", _("its date must come after the row above"), _row(number))
        if after.daily_dose > before.daily_dose:
            raise TaperingError(f"row {number}", _("the dose must not rise while tapering"), _row(number))
    for number, step in enumerate(steps, start=1):
        if not math.isfinite(step.daily_dose):
            raise TaperingError(f"row {number}", _("the dose is not a number"), _row(number))
        if step.daily_dose < 0 or step.daily_dose < floor:
            raise TaperingError(f"row {number}", _("the dose must not go below the floor"), _row(number))


def _row(number: int) -> str:
    return _("row {number}").format(number=number)
