"""The clinical defaults a new tapering plan starts from, whichever face makes it (they sat in a widget).

CDC 2022: 10 % of the dose a month (or slower) after more than 3 months of use; 10 % a week may suit use
for weeks to months. The slow pace is the default whenever the start date is older than 90 days or unknown
(never the faster pace on a guess). The first step comes a week after the plan is made, so the patient
can be told before the dose changes.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from smerteagent.i18n import N_

# key: (label, step in % of the start dose, days per step); "own" leaves both to the clinician.
PACES: dict[str, tuple[str, float | None, int | None]] = {
    "monthly": (N_("10 % a month (use for more than 3 months, CDC 2022)"), 10.0, 30),
    "weekly": (N_("10 % a week (use for weeks to months, CDC 2022)"), 10.0, 7),
    "own": (N_("own choice"), None, None),
}
LONG_TERM_DAYS = 90
FIRST_STEP_AFTER = timedelta(days=7)


def default_pace(started_on: date | None, today: date) -> Literal["monthly", "weekly"]:
    """Weekly only for a drug known to be started at most 90 days ago; monthly otherwise (also unknown)."""
    return "weekly" if started_on is not None and (today - started_on).days <= LONG_TERM_DAYS else "monthly"


def default_step(pace: Literal["monthly", "weekly"]) -> tuple[float, int]:
    """The step (% of the start dose) and the days per step of a pace."""
    _label, step, days = PACES[pace]
    assert step is not None and days is not None, pace
    return step, days


def first_step_on(today: date) -> date:
    return today + FIRST_STEP_AFTER
