"""Tapering schedules: from a start dose down in equal steps at fixed intervals, never below the floor,
never increasing. A step is a share of the *start* dose (linear) or an absolute amount, as tapering
guidance usually states it. A clinician may then edit the rows (hold a step longer, slow down near the end);
an edited schedule obeys the same rules, checked by :func:`check_schedule`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from smerteagent.core.errors import SmerteAgentError
from smerteagent.i18n import N_, _

MAX_STEPS = 260  # five years of weekly steps: anything longer is a typing error, not a plan
FIELD_LABELS = {
    "start_dose": N_("start dose"),
    "floor": N_("floor"),
    "interval_days": N_("interval"),
    "step": N_("step"),
    "round_to": N_("rounding"),
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


def taper_schedule(
    start_dose: float,
    step: float,
    interval_days: int,
    starts_on: date,
    *,
    floor: float = 0.0,
    step_is_percent: bool = True,
    round_to: float | None = None,
) -> list[TaperStep]:
    """The schedule from ``start_dose`` to ``floor``; the first row is the start dose on ``starts_on``."""
    if start_dose <= 0:
        raise TaperingError("start_dose", _("must be above 0"))
    if not 0 <= floor < start_dose:
        raise TaperingError("floor", _("must be at least 0 and below the start dose"))
    if interval_days < 1:
        raise TaperingError("interval_days", _("must be at least 1 day"))
    amount = start_dose * step / 100 if step_is_percent else step
    if amount <= 0 or (step_is_percent and step > 100):
        raise TaperingError("step", _("must be above 0 (and at most 100 %)"))
    if round_to is not None and round_to <= 0:
        raise TaperingError("round_to", _("must be above 0"))
    if (start_dose - floor) / max(amount, round_to or 0) > MAX_STEPS:
        raise TaperingError("step", _("gives more than {count} steps; choose a larger step").format(count=MAX_STEPS))
    steps = [TaperStep(starts_on, start_dose)]
    dose = start_dose
    while dose > floor:
        target = max(floor, dose - amount)
        if round_to is not None:
            target = max(floor, round(target / round_to) * round_to)
            if target >= dose:  # rounding must never stall or raise the dose
                target = max(floor, dose - round_to)
        dose = round(target, 4)
        steps.append(TaperStep(starts_on + timedelta(days=interval_days * len(steps)), dose))
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
