"""Column widths that keep every word whole: a column short of room takes it from the others' spare room."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from smerteagent.reports.layout import fit_widths


def test_a_narrow_column_takes_room_from_the_others_in_proportion() -> None:
    assert fit_widths([10, 10, 10], [50, 50, 50]) == [50, 50, 50]  # nothing to change
    assert fit_widths([80, 10, 10], [50, 50, 50]) == [80, 35, 35]
    assert fit_widths([100, 60, 60], [50, 50, 50]) is None  # the page is too narrow: the caller sets smaller text


@given(st.lists(st.tuples(st.floats(1, 200), st.floats(1, 200)), min_size=1, max_size=6))
def test_fitted_widths_keep_the_total_and_meet_every_need(columns: list[tuple[float, float]]) -> None:
    needed, widths = [n for n, _ in columns], [w for _, w in columns]
    fitted = fit_widths(needed, widths)
    if fitted is None:
        assert sum(needed) > sum(widths)  # spare room - shortfall = total width - total need
        return
    assert abs(sum(fitted) - sum(widths)) < 1e-6
    assert all(f >= n - 1e-6 for f, n in zip(fitted, needed, strict=True))
