"""Tapering schedules: from a start dose down in equal steps at fixed intervals, never below the floor,
never increasing. A step is a share of the *start* dose (linear) or an absolute amount, as tapering
guidance usually states it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from smerteagent.core.errors import SmerteAgentError


class TaperingError(SmerteAgentError):
    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
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
        raise TaperingError("start_dose", "must be above 0")
    if not 0 <= floor < start_dose:
        raise TaperingError("floor", "must be at least 0 and below the start dose")
    if interval_days < 1:
        raise TaperingError("interval_days", "must be at least 1 day")
    amount = start_dose * step / 100 if step_is_percent else step
    if amount <= 0 or (step_is_percent and step > 100):
        raise TaperingError("step", "must be above 0 (and at most 100 %)")
    if round_to is not None and round_to <= 0:
        raise TaperingError("round_to", "must be above 0")
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
