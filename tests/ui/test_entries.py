"""Numbers and dates as a Danish clinician types them; nothing that float() would take but a clinician did not
mean (nan, inf, 1_000, a thousands point) gets through."""

from __future__ import annotations

import pytest

from smerteagent.ui.careplan.entries import EntryProblem, parse_number


@pytest.mark.parametrize(("text", "value"), [("20", 20), ("7,5", 7.5), ("7.5", 7.5), (" 0 ", 0), ("", None)])
def test_numbers_a_clinician_types(text: str, value: float | None) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["nan", "inf", "-inf", "1_000", "1e3", "20 mg", "1.800", "12.000.000"])
def test_numbers_that_are_refused(text: str) -> None:
    with pytest.raises(EntryProblem):
        parse_number(text)
    assert parse_number(text, strict=False) is None
