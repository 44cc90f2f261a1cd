"""Tapering schedules: arithmetic, never below the floor, never increasing, dates at the interval."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smerteagent.core.careplan.plan import CarePlan, PlannedMedication, TaperingPlan, problems
from smerteagent.core.careplan.tapering import MAX_STEPS, TaperingError, TaperStep, check_schedule, taper_schedule

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
    amount = start * step / 100 if percent else step
    if (start - floor) / max(amount, round_to or 0) > MAX_STEPS:
        with pytest.raises(TaperingError):
            taper_schedule(start, step, interval, START, floor=floor, step_is_percent=percent, round_to=round_to)
        return
    schedule = taper_schedule(start, step, interval, START, floor=floor, step_is_percent=percent, round_to=round_to)
    assert len(schedule) <= MAX_STEPS + 2
    doses = [s.daily_dose for s in schedule]
    assert doses[0] == start and doses[-1] == floor
    assert all(later < earlier for earlier, later in itertools.pairwise(doses))
    assert all(dose >= floor for dose in doses)
    assert all(b.starts_on - a.starts_on == timedelta(days=interval) for a, b in itertools.pairwise(schedule))


def test_a_step_too_small_to_finish_is_refused() -> None:
    with pytest.raises(TaperingError) as caught:
        taper_schedule(100, 0.01, 7, date(2027, 1, 1), step_is_percent=False)
    assert caught.value.field == "step"


def test_edited_schedule_may_hold_a_dose_but_never_raise_it() -> None:
    day = date(2027, 1, 1)
    held = [TaperStep(day, 40), TaperStep(day + timedelta(days=14), 30), TaperStep(day + timedelta(days=28), 30)]
    check_schedule(held)
    rising = [*held, TaperStep(day + timedelta(days=42), 35)]
    with pytest.raises(TaperingError) as caught:
        check_schedule(rising)
    assert caught.value.field == "row 4"


@pytest.mark.parametrize(
    ("steps", "field"),
    [
        ([], "steps"),
        ([TaperStep(date(2027, 1, 8), 40), TaperStep(date(2027, 1, 8), 30)], "row 2"),
        ([TaperStep(date(2027, 1, 8), 40), TaperStep(date(2027, 1, 1), 30)], "row 2"),
        ([TaperStep(date(2027, 1, 1), 40), TaperStep(date(2027, 1, 8), 5)], "row 2"),
    ],
)
def test_edited_schedule_problems_name_the_row(steps: list[TaperStep], field: str) -> None:
    with pytest.raises(TaperingError) as caught:
        check_schedule(steps, floor=10)
    assert caught.value.field == field


def test_a_plan_with_an_edited_schedule_prints_the_edited_rows() -> None:
    day = date(2027, 1, 1)
    edited = (TaperStep(day, 20), TaperStep(day + timedelta(days=21), 10), TaperStep(day + timedelta(days=35), 0))
    plan = TaperingPlan(20, 50, 14, day, steps=edited)
    assert plan.schedule() == list(edited)
    assert TaperingPlan(20, 50, 14, day).schedule()[1].starts_on == day + timedelta(days=14)


def test_a_rising_edited_schedule_stops_the_plan_from_saving() -> None:
    day = date(2027, 1, 1)
    rising = (TaperStep(day, 20), TaperStep(day + timedelta(days=14), 25))
    plan = CarePlan(
        1, medications=(PlannedMedication("Oxycodon", tapering=TaperingPlan(20, 50, 14, day, steps=rising)),)
    )
    assert any("Oxycodon" in problem for problem in problems(plan))
