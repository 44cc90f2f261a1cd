"""The defaults a new tapering plan starts from live in the use-case layer, not in a widget (issue 18)."""

from __future__ import annotations

from datetime import date

from smerteagent.usecases.tapering import default_pace, default_step, first_step_on

TODAY = date(2027, 3, 1)


def test_the_faster_pace_only_for_a_drug_known_to_be_recent() -> None:
    assert default_pace(date(2027, 1, 1), TODAY) == "weekly"  # 59 days
    assert default_pace(date(2026, 12, 1), TODAY) == "weekly"  # exactly 90 days
    assert default_pace(date(2026, 11, 30), TODAY) == "monthly"  # 91 days: long-term use
    assert default_pace(None, TODAY) == "monthly"  # unknown start: never the faster pace on a guess


def test_ten_percent_a_month_or_a_week_and_the_first_step_a_week_ahead() -> None:
    assert default_step("monthly") == (10.0, 30)
    assert default_step("weekly") == (10.0, 7)
    assert first_step_on(TODAY) == date(2027, 3, 8)
