"""Danish CPR numbers: format, real birth date, century from the 7th digit, sex, modulus-11 warning.

The century rule is the CPR Office's published table. Modulus 11 is only a warning: numbers issued
since 2007 need not satisfy it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from smerteagent.core.errors import SmerteAgentError
from smerteagent.i18n import _

_CPR = re.compile(r"^([0-9]{2})([0-9]{2})([0-9]{2})-?([0-9]{4})$")
_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
CprProblem = Literal["format", "date"]  # the digits are not a CPR number / they name no real date


class CprError(SmerteAgentError):
    """A CPR number that cannot be right: wrong format or a date that does not exist."""

    def __init__(self, text: str, problem: str, kind: CprProblem) -> None:
        super().__init__(f"CPR {text!r}: {problem}")
        self.text = text
        self.problem = problem
        self.kind: CprProblem = kind


@dataclass(frozen=True, slots=True)
class Cpr:
    """A valid CPR number (stored as 10 digits) with what it tells."""

    digits: str
    birth_date: date
    sex: str
    modulus11_ok: bool

    @property
    def formatted(self) -> str:
        return f"{self.digits[:6]}-{self.digits[6:]}"

    @property
    def masked(self) -> str:
        return f"{self.digits[:6]}-xxxx"

    @property
    def warning(self) -> str | None:
        """A note for the user when the number fails modulus 11 (allowed since 2007)."""
        if self.modulus11_ok:
            return None
        return _("the CPR number fails the modulus-11 check; numbers issued since 2007 may do so — check it")


def century(seventh_digit: int, year: int) -> int:
    """The century of a birth year by the CPR Office's table of the 7th digit."""
    if seventh_digit <= 3:
        return 1900
    if seventh_digit in (4, 9):
        return 2000 if year <= 36 else 1900
    return 2000 if year <= 57 else 1800


def modulus11_ok(digits: str) -> bool:
    return sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 11 == 0


def parse_cpr(text: str) -> Cpr:
    """Parse ``ddmmyy-ssss`` or ``ddmmyyssss``; raises CprError naming what is wrong."""
    cleaned = text.strip()
    match = _CPR.match(cleaned)
    if match is None:
        raise CprError(text, _("expected ddmmyy-ssss or ddmmyyssss (10 digits)"), "format")
    day, month, year, serial = (match.group(i) for i in range(1, 5))
    full_year = century(int(serial[0]), int(year)) + int(year)
    try:
        born = date(full_year, int(month), int(day))
    except ValueError:
        raise CprError(text, _("{date} is not a date").format(date=f"{day}.{month}.{full_year}"), "date") from None
    digits = f"{day}{month}{year}{serial}"
    return Cpr(digits, born, "male" if int(serial[-1]) % 2 else "female", modulus11_ok(digits))


def format_cpr(digits: str | None, *, masked: bool = False) -> str | None:
    """``ddmmyy-ssss`` (or ``ddmmyy-xxxx`` when masked) from stored digits."""
    if digits is None:
        return None
    return f"{digits[:6]}-xxxx" if masked else f"{digits[:6]}-{digits[6:]}"
