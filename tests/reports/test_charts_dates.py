"""The chart's date ticks name the day a screening was on — an afternoon visit is not moved to tomorrow."""

from __future__ import annotations

from datetime import datetime

from smerteagent import i18n
from smerteagent.reports.charts import _tick_label, _x


def test_an_afternoon_screening_keeps_its_date() -> None:
    i18n.set_language("da")
    for when in (datetime(2026, 4, 23, 9, 0), datetime(2026, 4, 23, 15, 45), datetime(2026, 4, 23, 23, 59)):
        assert _tick_label(_x(when)) == "23.04.2026", when  # four-digit years everywhere
