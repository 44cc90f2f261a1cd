"""Every value an expression can still take while items are unanswered: the range half of :mod:`expr`.

A :class:`Span` holds the possible values of one (sub)expression over every completion of the missing
items: their exact set when it is small, else numeric bounds, and whether "unknown" (``None``) is possible.
Sums and comparisons work on bounds, small sets are enumerated; the result may be wider than the truth
(then a rule stays undecided) but never narrower, so a decided rule holds for every completion.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

Concrete = int | float | str | bool | None
SET_LIMIT = 64  # largest product of two exact sets enumerated; beyond it, bounds

TRUE, FALSE, UNKNOWN = 1, 2, 4  # truth masks: which of true, false, unknown a condition can come out


@dataclass(frozen=True, slots=True)
class Span:
    """Possible non-None values (``values``, None when only bounds are known), bounds, and whether None is."""

    values: frozenset[Concrete] | None
    low: float | None
    high: float | None
    unknown: bool

    @property
    def decided(self) -> bool:
        """One value for every completion."""
        if self.unknown:
            return False
        if self.values is not None:
            return len(self.values) == 1
        return self.low is not None and self.low == self.high

    @property
    def only(self) -> Concrete:
        """The single value of a decided span."""
        if self.values is not None:
            return next(iter(self.values))
        return self.low


def _is_number(value: Concrete) -> bool:
    return isinstance(value, int | float)


def of_values(values: Iterable[Concrete], unknown: bool = False) -> Span:
    """The span of a finite set of possible values (``None`` among them means unknown is possible)."""
    values = list(values)
    present = frozenset(v for v in values if v is not None)
    unknown = unknown or len(present) < len(set(values))
    numbers = [float(v) for v in present if isinstance(v, int | float)]
    if numbers and len(numbers) == len(present):
        return Span(present, min(numbers), max(numbers), unknown)
    return Span(present, None, None, unknown)


def point(value: Concrete) -> Span:
    """The span of one known value (``None``: unknown in every completion)."""
    if value is None:
        return NOTHING
    if _is_number(value):
        return Span(frozenset((value,)), value, value, False)  # type: ignore[arg-type]
    return Span(frozenset((value,)), None, None, False)


def bounded(low: float, high: float, unknown: bool = False) -> Span:
    """A numeric span known only by its bounds (a single point when they meet)."""
    if low == high:
        return Span(frozenset((low,)), low, high, unknown)
    return Span(None, low, high, unknown)


NOTHING = Span(frozenset(), None, None, True)
ANYTHING = Span(None, -math.inf, math.inf, True)
_MASK_SPANS = [
    Span(
        frozenset(v for v, bit in ((True, TRUE), (False, FALSE)) if mask & bit),
        None,
        None,
        bool(mask & UNKNOWN),
    )
    for mask in range(8)
]


def from_mask(mask: int) -> Span:
    return _MASK_SPANS[mask]


def _truth_bit(value: Concrete) -> int:
    if isinstance(value, str):
        return TRUE if value != "" else FALSE
    return TRUE if value else FALSE


def truth_mask(span: Span) -> int:
    """Which truth values the span's values can have."""
    mask = UNKNOWN if span.unknown else 0
    if span.values is not None:
        for value in span.values:
            mask |= _truth_bit(value)
            if mask & (TRUE | FALSE) == TRUE | FALSE:
                break
        return mask
    assert span.low is not None and span.high is not None
    if span.low == span.high == 0:
        return mask | FALSE
    if span.low > 0 or span.high < 0:
        return mask | TRUE
    return mask | TRUE | FALSE


def _kleene_table(op: Callable[[bool | None, bool | None], bool | None]) -> list[list[int]]:
    bits = ((TRUE, True), (FALSE, False), (UNKNOWN, None))
    table = [[0] * 8 for _ in range(8)]
    for a in range(8):
        for b in range(8):
            for bit_a, value_a in bits:
                for bit_b, value_b in bits:
                    if a & bit_a and b & bit_b:
                        result = op(value_a, value_b)
                        table[a][b] |= UNKNOWN if result is None else (TRUE if result else FALSE)
    return table


def _and3(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def _or3(a: bool | None, b: bool | None) -> bool | None:
    if a is True or b is True:
        return True
    return None if a is None or b is None else False


AND_TABLE = _kleene_table(_and3)
OR_TABLE = _kleene_table(_or3)
NOT_MASK = [((m & TRUE) << 1) | ((m & FALSE) >> 1) | (m & UNKNOWN) for m in range(8)]


def combine(
    left: Span, right: Span, concrete: Callable[[Concrete, Concrete], Concrete], by_bounds: Callable[[Span, Span], Span]
) -> Span:
    """Apply a binary operation: over every pair of values when both sets are small, else on bounds."""
    small = left.values is not None and right.values is not None and len(left.values) * len(right.values) <= SET_LIMIT
    if small:
        assert left.values is not None and right.values is not None
        unknown = left.unknown or right.unknown
        return of_values([concrete(a, b) for a in left.values for b in right.values], unknown)
    if left.low is None or right.low is None:
        return ANYTHING
    return by_bounds(left, right)


def compare_bounds(op: str, left: Span, right: Span) -> Span:
    """A comparison decided on bounds: true or false where the intervals do not overlap, else both."""
    assert left.low is not None and left.high is not None and right.low is not None and right.high is not None
    unknown = UNKNOWN if left.unknown or right.unknown else 0
    if op in ("<=", ">"):
        yes, no = left.high <= right.low, left.low > right.high
    elif op in ("<", ">="):
        yes, no = left.high < right.low, left.low >= right.high
    else:
        yes = left.low == left.high == right.low == right.high
        no = left.high < right.low or left.low > right.high
    if op in (">", ">=", "!="):
        yes, no = no, yes
    return from_mask(unknown | (TRUE if yes else FALSE if no else TRUE | FALSE))


def arithmetic_bounds(op: str, left: Span, right: Span) -> Span:
    """Interval arithmetic; a possibly-zero divisor or an infinite bound gives anything."""
    assert left.low is not None and left.high is not None and right.low is not None and right.high is not None
    unknown = left.unknown or right.unknown
    if op == "+":
        return bounded(left.low + right.low, left.high + right.high, unknown)
    if op == "-":
        return bounded(left.low - right.high, left.high - right.low, unknown)
    finite = all(math.isfinite(v) for v in (left.low, left.high, right.low, right.high))
    if not finite or (op == "/" and right.low <= 0 <= right.high):
        return ANYTHING
    if op == "*":
        corners = [a * b for a in (left.low, left.high) for b in (right.low, right.high)]
    else:
        corners = [a / b for a in (left.low, left.high) for b in (right.low, right.high)]
    return bounded(min(corners), max(corners), unknown)


def membership(span: Span, members: frozenset[Concrete]) -> Span:
    """``value in [..]`` over every possible value (bounds: false only when no member lies within)."""
    mask = UNKNOWN if span.unknown else 0
    if span.values is not None:
        for value in span.values:
            mask |= TRUE if value in members else FALSE
        return from_mask(mask)
    assert span.low is not None and span.high is not None
    inside = any(_is_number(m) and span.low <= m <= span.high for m in members)  # type: ignore[operator]
    return from_mask(mask | (TRUE | FALSE if inside else FALSE))


def negate(span: Span) -> Span:
    if span.values is not None:
        return of_values([-v if _is_number(v) and not isinstance(v, bool) else None for v in span.values], span.unknown)  # type: ignore[operator]
    assert span.low is not None and span.high is not None
    return bounded(-span.high, -span.low, span.unknown)
