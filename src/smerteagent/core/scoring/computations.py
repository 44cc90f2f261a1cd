"""The result methods (sum, mean, max, percent, count, answered, expr) as fast closures.

Every term becomes a point table per sex (answer value -> points) at load time, so scoring an answer is
one dictionary lookup; the same tables give the range a result can reach, which the compiler checks
against the range the form file declares.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
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
)
from smerteagent.core.scoring.result import Number

SexKey = str | None


@dataclass(frozen=True, slots=True)
class TermTable:
    """Points for each answer value of one item; keyed by sex when the weight depends on it."""

    item: str
    by_sex: Mapping[SexKey, Mapping[int, Number]]
    needs_sex: bool


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
) -> tuple[Computation, tuple[Number, Number] | None]:
    """The closure computing ``result`` and the range it can reach (None where not derivable)."""
    needs_sex = any(t.needs_sex for t in tables)
    method = result.method
    if method == "expr":
        assert expression is not None
        return _expression(expression), None
    if method == "answered":
        return _answered(tables), (0, len(tables))
    if method == "count":
        counted = frozenset(result.count_values or ())
        return _guarded(tables, needs_sex, lambda pts, vals: sum(v in counted for v in vals)), (
            0,
            len(tables),
        )
    if method == "percent":
        return _percent(tables, result.max_missing), (0, 100)
    if method == "mean":
        return _mean(tables, needs_sex, result.max_missing, result.min_answered), _reach(tables, method)
    combine: Callable[[list[Number], list[int]], Number] = (
        (lambda pts, vals: sum(pts)) if method == "sum" else (lambda pts, vals: max(pts))
    )
    return _guarded(tables, needs_sex, combine), _reach(tables, method)


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
