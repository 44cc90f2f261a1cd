"""CPR numbers: format, real dates, the CPR Office's century table, sex, modulus 11 as a warning."""

from __future__ import annotations

from datetime import date

import pytest

from smerteagent.core.cpr import CprError, century, modulus11_ok, parse_cpr


@pytest.mark.parametrize(
    ("seventh", "year", "expected"),
    [
        (0, 99, 1900), (3, 0, 1900), (4, 36, 2000), (4, 37, 1900), (9, 36, 2000), (9, 37, 1900),
        (5, 57, 2000), (5, 58, 1800), (8, 0, 2000), (8, 99, 1800), (6, 57, 2000), (7, 58, 1800),
    ],
)  # fmt: skip
def test_century_table(seventh: int, year: int, expected: int) -> None:
    """CPR Office: 0-3 -> 1900s; 4 and 9 -> 2000s for 00-36, else 1900s; 5-8 -> 2000s for 00-57, else 1800s."""
    assert century(seventh, year) == expected


@pytest.mark.parametrize("text", ["070761-4285", "0707614285", " 070761-4285 "])
def test_accepts_both_forms(text: str) -> None:
    cpr = parse_cpr(text)
    assert (cpr.digits, cpr.birth_date, cpr.formatted) == ("0707614285", date(1961, 7, 7), "070761-4285")
    assert cpr.modulus11_ok and cpr.warning is None


def test_sex_from_last_digit() -> None:
    assert parse_cpr("070761-4285").sex == "male"
    assert parse_cpr("070761-4284").sex == "female"


def test_century_applied_to_birth_date() -> None:
    assert parse_cpr("010110-4000").birth_date == date(2010, 1, 1)
    assert parse_cpr("010160-4000").birth_date == date(1960, 1, 1)
    assert parse_cpr("010160-5000").birth_date == date(1860, 1, 1)


def test_leap_days() -> None:
    assert parse_cpr("290200-4001").birth_date == date(2000, 2, 29)
    with pytest.raises(CprError) as caught:
        parse_cpr("290201-4001")
    assert caught.value.kind == "date"
    with pytest.raises(CprError) as caught:
        parse_cpr("290200-1001")  # 1900 was no leap year
    assert caught.value.kind == "date"


def test_modulus11_is_a_warning() -> None:
    assert modulus11_ok("0707614285")
    cpr = parse_cpr("070761-4286")
    assert not cpr.modulus11_ok and cpr.warning is not None and "2007" in cpr.warning


@pytest.mark.parametrize("text", ["", "0707614", "07076l-4285", "070761--4285", "0707614285x", "32.07.61-4285"])
def test_bad_format(text: str) -> None:
    with pytest.raises(CprError) as caught:
        parse_cpr(text)
    assert caught.value.kind == "format"


@pytest.mark.parametrize("text", ["320761-4285", "001261-4285", "071361-4285", "000100-4000"])
def test_impossible_dates(text: str) -> None:
    with pytest.raises(CprError):
        parse_cpr(text)


def test_only_ascii_digits() -> None:
    with pytest.raises(CprError):
        parse_cpr("０７０７６１-４２８５")
