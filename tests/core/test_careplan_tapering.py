"""Tapering schedules: arithmetic, never below the floor, never increasing, dates at the interval."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smerteagent.core.careplan.tapering import TaperingError, taper_schedule

START = date(2026, 12, 1)


def test_ten_percent_of_the_start_dose_each_fortnight() -> None:
    schedule = taper_schedule(100, 10, 14, START)
    assert [s.daily_dose for s in schedule] == [100, 90, 80, 70, 60, 50, 40, 30, 20, 10, 0]
    assert [s.starts_on for s in schedule][:3] == [START, START + timedelta(days=14), START + timedelta(days=28)]


def test_absolute_steps_stop_at_the_floor() -> None:
    schedule = taper_schedule(60, 15, 7, START, floor=20, step_is_percent=False)
    assert [s.daily_dose for s in schedule] == [60, 45, 30, 20]


def test_rounding_to_tablet_strength_never_stalls() -> None:
    schedule = taper_schedule(75, 10, 7, START, round_to=5)
    doses = [s.daily_dose for s in schedule]
    assert doses[:3] == [75, 70, 60] and doses[-1] == 0
    assert all(later < earlier for earlier, later in itertools.pairwise(doses))


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"start_dose": 0, "step": 10, "interval_days": 7}, "start_dose"),
        ({"start_dose": 50, "step": 0, "interval_days": 7}, "step"),
        ({"start_dose": 50, "step": 120, "interval_days": 7}, "step"),
        ({"start_dose": 50, "step": 10, "interval_days": 0}, "interval_days"),
        ({"start_dose": 50, "step": 10, "interval_days": 7, "floor": 60}, "floor"),
    ],
)
def test_impossible_plans_are_refused(arguments: dict[str, float], field: str) -> None:
    with pytest.raises(TaperingError) as caught:
        taper_schedule(starts_on=START, **arguments)  # type: ignore[arg-type]
    assert caught.value.field == field


@given(
    start=st.floats(1, 1000),
    step=st.floats(1, 100),
    interval=st.integers(1, 60),
    floor_share=st.floats(0, 0.9),
    percent=st.booleans(),
    round_to=st.sampled_from([None, 0.5, 5, 10]),
)
def test_schedules_only_go_down_to_the_floor(
    start: float, step: float, interval: int, floor_share: float, percent: bool, round_to: float | None
) -> None:
    floor = round(start * floor_share, 2)
    schedule = taper_schedule(start, step, interval, START, floor=floor, step_is_percent=percent, round_to=round_to)
    doses = [s.daily_dose for s in schedule]
    assert doses[0] == start and doses[-1] == floor
    assert all(later < earlier for earlier, later in itertools.pairwise(doses))
    assert all(dose >= floor for dose in doses)
    assert all(b.starts_on - a.starts_on == timedelta(days=interval) for a, b in itertools.pairwise(schedule))
