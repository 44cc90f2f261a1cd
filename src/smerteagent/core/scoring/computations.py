"""The result methods (sum, mean, max, percent, count, answered, expr) as fast closures.

Every term becomes a point table per sex (answer value -> points) at load time, so scoring an answer is
one dictionary lookup; the same tables give the range a result can reach, which the compiler checks
against the range the form file declares.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

from smerteagent.core.expr import Expression, Value
from smerteagent.core.forms.model import Result, Term
from smerteagent.core.scoring.engine import (
    MISSING,
    NEEDS_SEX,
    PARTIAL,
    SEXES,
    Computation,
    EvaluationScope,
    RangeScope,
    ResultBounds,
)
from smerteagent.core.scoring.result import Number
from smerteagent.core.spans import NOTHING, Span, bounded

SexKey = str | None


@dataclass(frozen=True, slots=True)
class TermTable:
    """Points for each answer value of one item; keyed by sex when the weight depends on it."""

    item: str
    by_sex: Mapping[SexKey, Mapping[int, Number]]
    needs_sex: bool
    extent: Mapping[SexKey, tuple[Number, Number]] = field(default_factory=dict)  # lowest, highest points

    def __post_init__(self) -> None:
        extent = {sex: (min(points.values()), max(points.values())) for sex, points in self.by_sex.items()}
        object.__setattr__(self, "extent", extent)

    @property
    def constant(self) -> bool:
        """Every answer scores the same, so leaving the item out cannot change a sum."""
        return all(len(set(points.values())) <= 1 for points in self.by_sex.values())


def _number(value: float) -> Number:
    return int(value) if float(value).is_integer() else value


def _points(term: Term, value: int, weight: float) -> Number:
    base: float = value
    if term.points is not None:
        base = term.points.get(value, 0)
    elif term.reverse is not None:
        base = term.reverse - value
    return _number(base * weight)


def term_tables(terms: Sequence[Term], values: Mapping[str, list[int]]) -> list[TermTable]:
    tables = []
    for term in terms:
        if isinstance(term.weight, dict):
            by_sex: dict[SexKey, Mapping[int, Number]] = {
                sex: {v: _points(term, v, term.weight.get(sex, 0)) for v in values[term.item]}  # type: ignore[call-overload]
                for sex in SEXES
            }
            tables.append(TermTable(term.item, by_sex, needs_sex=True))
        else:
            table = {v: _points(term, v, float(term.weight)) for v in values[term.item]}
            tables.append(TermTable(term.item, {None: table, "female": table, "male": table}, False))
    return tables


def _reach(tables: Sequence[TermTable], method: str) -> tuple[Number, Number] | None:
    """Lowest and highest value the method can produce over all sexes, or None if not derivable."""
    sexes: tuple[SexKey, ...] = SEXES if any(t.needs_sex for t in tables) else (None,)
    lows, highs = [], []
    for sex in sexes:
        mins = [min(t.by_sex[sex].values()) for t in tables]
        maxs = [max(t.by_sex[sex].values()) for t in tables]
        if method == "sum":
            lows.append(sum(mins))
            highs.append(sum(maxs))
        elif method in ("mean", "max"):
            lows.append(min(mins) if method == "mean" else max(mins))
            highs.append(max(maxs))
        else:
            return None
    return min(lows), max(highs)


def build_computation(
    result: Result, tables: list[TermTable], expression: Expression | None
) -> tuple[Computation, ResultBounds, tuple[Number, Number] | None]:
    """The closure computing ``result``, its bounds over every completion, and the range it can reach."""
    needs_sex = any(t.needs_sex for t in tables)
    method = result.method
    if method == "expr":
        assert expression is not None
        return _expression(expression), expression.bounds, None
    if method == "answered":
        return _answered(tables), _answered_bounds(tables), (0, len(tables))
    if method == "count":
        counted = frozenset(result.count_values or ())
        return (
            _guarded(tables, needs_sex, lambda pts, vals: sum(v in counted for v in vals)),
            _count_bounds(tables, needs_sex, counted),
            (0, len(tables)),
        )
    reach = _reach(tables, method)
    if method == "percent":
        return _percent(tables, result.max_missing), _fraction_bounds(tables, method, result), (0, 100)
    if method == "mean":
        computation = _mean(tables, needs_sex, result.max_missing, result.min_answered)
        return computation, _fraction_bounds(tables, method, result), reach
    combine: Callable[[list[Number], list[int]], Number] = (
        (lambda pts, vals: sum(pts)) if method == "sum" else (lambda pts, vals: max(pts))
    )
    return _guarded(tables, needs_sex, combine), _sum_max_bounds(tables, needs_sex, method), reach


TermRange = tuple[Number, Number, bool] | None  # lowest and highest points, whether unanswered is possible


def _term_range(table: TermTable, sex: str | None, scope: RangeScope) -> TermRange:
    """The points one term can still give; None when the item can only be unanswered."""
    points = table.by_sex[sex]
    span = scope.open.get(table.item)
    if span is None:
        value = scope.values.get(table.item)
        if value is None:
            return None
        given = points[cast(int, value)]
        return given, given, False
    if span.values is not None:
        if span.values == points.keys():  # every answer the item allows: the table's own extent
            low, high = table.extent[sex]
            return low, high, span.unknown
        possible = [points[v] for v in span.values if v in points]  # type: ignore[index]
    else:
        possible = [p for v, p in points.items() if span.low is not None and span.low <= v <= span.high]  # type: ignore[operator]
    if not possible:
        return None
    return min(possible), max(possible), span.unknown


def _sum_max_bounds(tables: list[TermTable], needs_sex: bool, method: str) -> ResultBounds:
    def bounds(scope: RangeScope) -> Span:
        if needs_sex and scope.sex is None:
            return NOTHING
        ranges = [_term_range(t, scope.sex, scope) for t in tables]
        if None in ranges:
            return NOTHING
        terms = cast(list[tuple[Number, Number, bool]], ranges)
        unknown = any(r[2] for r in terms)
        if method == "sum":
            return bounded(sum(r[0] for r in terms), sum(r[1] for r in terms), unknown)
        return bounded(max(r[0] for r in terms), max(r[1] for r in terms), unknown)

    return bounds


def _count_bounds(tables: list[TermTable], needs_sex: bool, counted: frozenset[int]) -> ResultBounds:
    def bounds(scope: RangeScope) -> Span:
        if needs_sex and scope.sex is None:
            return NOTHING
        low = high = 0
        unknown = False
        for table in tables:
            span = scope.open.get(table.item)
            possible = [scope.values.get(table.item)] if span is None else list(span.values or table.by_sex[None])
            if None in possible or (span is not None and span.unknown):
                unknown = True
            hits = [v in counted for v in possible if v is not None]
            if not hits:
                return NOTHING
            low += all(hits)
            high += any(hits)
        return bounded(low, high, unknown)

    return bounds


def _fraction_bounds(tables: list[TermTable], method: str, result: Result) -> ResultBounds:
    """Mean or percent over the answers a completion would have (the declared range where that is unclear)."""
    fallback = bounded(result.range[0], result.range[1], True)

    def bounds(scope: RangeScope) -> Span:
        sex = None if method == "percent" else scope.sex
        if sex is None and any(t.needs_sex for t in tables):
            return NOTHING
        ranges = [_term_range(t, sex, scope) for t in tables]
        scored = [(t, r) for t, r in zip(tables, ranges, strict=True) if r is not None]
        if any(r[2] for _, r in scored):
            return fallback
        if not scored or (
            len(scored) < result.min_answered
            if result.min_answered is not None
            else len(tables) - len(scored) > result.max_missing
        ):
            return NOTHING
        low, high = sum(r[0] for _, r in scored), sum(r[1] for _, r in scored)
        if method == "mean":
            return bounded(low / len(scored), high / len(scored))
        possible = sum(max(t.by_sex[None].values()) for t, _ in scored)
        return bounded(100 * low / possible, 100 * high / possible) if possible else bounded(0.0, 0.0)

    return bounds


def _answered_bounds(tables: list[TermTable]) -> ResultBounds:
    def bounds(scope: RangeScope) -> Span:
        low = high = 0
        for table in tables:
            span = scope.open.get(table.item)
            if span is None:
                known = scope.values.get(table.item) is not None
                low, high = low + known, high + known
            else:
                low, high = low + (not span.unknown), high + 1
        return bounded(low, high)

    return bounds


def _answers(values: dict[str, Value], tables: list[TermTable]) -> list[int | None]:
    """The scored items' values; the engine has already checked that answered ones are integers."""
    return [cast(int | None, values.get(t.item)) for t in tables]


def _guarded(
    tables: list[TermTable], needs_sex: bool, combine: Callable[[list[Number], list[int]], Number]
) -> Computation:
    """All items required: withheld if any is unanswered or the sex is needed and unknown."""

    def compute(values: dict[str, Value], sex: str | None) -> tuple[Number | None, int]:
        answers = _answers(values, tables)
        why = (MISSING if None in answers else 0) | (NEEDS_SEX if needs_sex and sex is None else 0)
        if why:
            return None, why
        given = cast(list[int], answers)
        points = [t.by_sex[sex][v] for t, v in zip(tables, given, strict=True)]
        return combine(points, given), 0

    return compute


def _mean(tables: list[TermTable], needs_sex: bool, max_missing: int, min_answered: int | None) -> Computation:
    def compute(values: dict[str, Value], sex: str | None) -> tuple[Number | None, int]:
        if needs_sex and sex is None:
            return None, NEEDS_SEX
        answers = _answers(values, tables)
        points = [t.by_sex[sex][v] for t, v in zip(tables, answers, strict=True) if v is not None]
        unanswered = len(tables) - len(points)
        if min_answered is not None:
            if len(points) < min_answered:
                return None, MISSING
            return sum(points) / len(points), 0
        if unanswered > max_missing or not points:
            return None, MISSING
        return sum(points) / len(points), PARTIAL if unanswered else 0

    return compute


def _percent(tables: list[TermTable], max_missing: int) -> Computation:
    highest = {t.item: max(t.by_sex[None].values()) for t in tables}

    def compute(values: dict[str, Value], sex: str | None) -> tuple[Number | None, int]:
        answers = _answers(values, tables)
        scored = [(t.by_sex[None][v], highest[t.item]) for t, v in zip(tables, answers, strict=True) if v is not None]
        if len(tables) - len(scored) > max_missing or not scored:
            return None, MISSING
        possible = sum(h for _, h in scored)
        value = 100 * sum(p for p, _ in scored) / possible if possible else 0.0
        return value, PARTIAL if len(scored) < len(tables) else 0

    return compute


def _answered(tables: list[TermTable]) -> Computation:
    def compute(values: dict[str, Value], sex: str | None) -> tuple[Number | None, int]:
        return sum(values.get(t.item) is not None for t in tables), 0

    return compute


def _expression(expression: Expression) -> Computation:
    def compute(values: dict[str, Value], sex: str | None) -> tuple[Number | None, int]:
        value = expression.evaluate(EvaluationScope(values, values))
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None, MISSING
        return value, 0

    return compute
