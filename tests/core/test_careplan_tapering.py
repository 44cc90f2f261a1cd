"""Tapering schedules: arithmetic, never below the floor, never increasing, dates at the interval."""

from __future__ import annotations

import itertools
import math
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


def test_rounding_holds_a_dose_longer_instead_of_enlarging_a_step() -> None:
    """Issue 12: 40 mg, 10 % of the start dose every 4 weeks, 10 mg tablets: 4 mg a month at most, so each 10 mg
    step waits 10 weeks and the taper takes the asked 40 weeks (it used to take 16, in 25 % steps)."""
    schedule = taper_schedule(40, 10, 28, START, round_to=10)
    assert [s.daily_dose for s in schedule] == [40, 30, 20, 10, 0]
    assert [(b.starts_on - a.starts_on).days for a, b in itertools.pairwise(schedule)] == [70, 70, 70, 70]
    assert schedule[-1].starts_on - START == timedelta(weeks=40)


def test_a_step_is_rounded_to_a_smaller_makeable_step() -> None:
    schedule = taper_schedule(75, 10, 7, START, round_to=5)  # asked 7.5 mg a week; 5 mg tablets
    doses = [s.daily_dose for s in schedule]
    assert doses == [75 - 5 * k for k in range(16)]
    assert all(b.starts_on - a.starts_on == timedelta(days=7) for a, b in itertools.pairwise(schedule))


def test_doses_are_made_from_the_products_strengths() -> None:
    schedule = taper_schedule(75, 10, 14, START, strengths=(25, 12.5))  # Norspan-like patches in µg/h
    assert [s.daily_dose for s in schedule] == [75, 62.5, 50, 37.5, 25, 12.5, 0]
    assert (schedule[1].starts_on - START).days == 24  # 12.5 µg/h at 7.5 per 14 days: held 24 days


def test_cdc_default_ten_percent_a_month() -> None:
    """CDC 2022: for use beyond 3 months, 10 % of the dose a month or slower."""
    schedule = taper_schedule(60, 10, 30, START)
    assert [s.daily_dose for s in schedule][:3] == [60, 54, 48] and (schedule[-1].starts_on - START).days == 300


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"start_dose": 100, "step": 10, "interval_days": 7, "floor": 12.34567, "round_to": 5}, "floor"),
        ({"start_dose": 45, "step": 10, "interval_days": 7, "strengths": (10,)}, "start_dose"),
        ({"start_dose": 40, "step": 10, "interval_days": 7, "strengths": (0,)}, "strengths"),
        ({"start_dose": 40, "step": 10, "interval_days": 7, "strengths": (0.12345,)}, "strengths"),
        ({"start_dose": float("nan"), "step": 10, "interval_days": 7}, "start_dose"),
        ({"start_dose": 40, "step": float("inf"), "interval_days": 7}, "step"),
        ({"start_dose": 1e300, "step": 10, "interval_days": 7, "round_to": 1e-4}, "start_dose"),
        ({"start_dose": 100, "step": 0.5, "interval_days": 60, "floor": 0, "round_to": 50}, "step"),
    ],
)
def test_inputs_that_cannot_be_met_are_refused_at_once(arguments: dict[str, object], field: str) -> None:
    with pytest.raises(TaperingError) as caught:
        taper_schedule(starts_on=START, **arguments)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_a_floor_with_many_decimals_ends_there() -> None:
    schedule = taper_schedule(100, 10, 7, START, floor=12.34567)
    assert schedule[-1].daily_dose == 12.34567 and schedule[-2].daily_dose == 20


STRENGTH_SETS = [(5,), (10,), (5, 10), (12.5, 25), (0.5,), (2, 5), (7.5, 15), (10, 15)]


@st.composite
def makeable_plans(draw: st.DrawFn) -> tuple[float, float, tuple[float, ...]]:
    strengths = draw(st.sampled_from(STRENGTH_SETS))
    counts = [draw(st.integers(0, 12)) for _ in strengths]
    counts[0] = max(counts[0], 1)  # a start dose above 0
    start = sum(c * s for c, s in zip(counts, strengths, strict=True))
    floor_counts = [draw(st.integers(0, c)) for c in counts]
    floor = sum(c * s for c, s in zip(floor_counts, strengths, strict=True))
    return float(start), float(floor), strengths


@given(plan=makeable_plans(), step=st.floats(1, 100), interval=st.integers(1, 60), percent=st.booleans())
def test_a_taper_never_goes_faster_than_asked(
    plan: tuple[float, float, tuple[float, ...]], step: float, interval: int, percent: bool
) -> None:
    """No step larger than requested (per interval of time it holds), never rising, only makeable doses, and it
    ends at the floor — or it is refused with a clear error, never a loop or an overflow."""
    start, floor, strengths = plan
    try:
        schedule = taper_schedule(start, step, interval, START, floor=floor, step_is_percent=percent,
                                  strengths=strengths)  # fmt: skip
    except TaperingError as error:  # refused only for a reason it names: no room to taper, or far too long
        assert (error.field == "floor" and floor >= start) or (error.field == "step" and floor < start)
        return
    amount = start * step / 100 if percent else step
    doses = [s.daily_dose for s in schedule]
    assert doses[0] == start and doses[-1] == pytest.approx(floor)
    for before, after in itertools.pairwise(schedule):
        days = (after.starts_on - before.starts_on).days
        assert after.daily_dose < before.daily_dose and days >= interval
        assert before.daily_dose - after.daily_dose <= amount * days / interval + 1e-6
    smallest = math.gcd(*(round(s * 10) for s in strengths)) / 10
    assert all(abs(d / smallest - round(d / smallest)) < 1e-6 for d in doses)
    assert all(_makeable(d, strengths) for d in doses)


def _makeable(dose: float, strengths: tuple[float, ...]) -> bool:
    tenths = round(dose * 10)
    reachable = {0}
    for strength in strengths:
        size = round(strength * 10)
        reachable = {r + k * size for r in reachable for k in range(tenths // size + 1) if r + k * size <= tenths}
    return tenths in reachable


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
    round_to=st.sampled_from([None]),  # strengths: test_a_taper_never_goes_faster_than_asked
)
def test_schedules_only_go_down_to_the_floor(
    start: float, step: float, interval: int, floor_share: float, percent: bool, round_to: float | None
) -> None:
    floor = round(start * floor_share, 2)
    amount = start * step / 100 if percent else step
    if (start - floor) / amount > MAX_STEPS:
        with pytest.raises(TaperingError):
            taper_schedule(start, step, interval, START, floor=floor, step_is_percent=percent, round_to=round_to)
        return
    schedule = taper_schedule(start, step, interval, START, floor=floor, step_is_percent=percent, round_to=round_to)
    assert len(schedule) <= MAX_STEPS + 2
    doses = [s.daily_dose for s in schedule]
    assert doses[0] == start and doses[-1] == floor
    assert all(later < earlier for earlier, later in itertools.pairwise(doses))
    assert all(dose >= floor for dose in doses)
    amount = start * step / 100 if percent else step
    for a, b in itertools.pairwise(schedule):
        days = (b.starts_on - a.starts_on).days
        assert days >= interval and a.daily_dose - b.daily_dose <= amount * days / interval + 1e-6


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
