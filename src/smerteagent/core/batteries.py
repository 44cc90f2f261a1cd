"""Batteries: which instruments a visit starts with, and which follow-ups the answers call for.

A follow-up rule reads one finished instrument (its results, ``band`` and ``flag(...)``) or the patient's
context (``on_opioids``, ``sex`` ...). Rules are re-read after every finished instrument, so a positive
PHQ-4 adds PHQ-9, whose item 9 then adds the C-SSRS screener. A rule marked ``safety`` also fires when
missing answers leave its condition undecided (a withheld result, a flag they could still raise).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from smerteagent.core.errors import FormError
from smerteagent.core.expr import ExprError, Expression, Value, parse_expression, truth
from smerteagent.core.forms.model import Battery, FollowUp, Text
from smerteagent.core.scoring.engine import CompiledForm, EvaluationScope
from smerteagent.core.scoring.result import ENGINE_FLAG_SEVERITY, ScoreResult
from smerteagent.core.vocabulary import DRUG_CONTEXTS

CONTEXT_NAMES = frozenset({*DRUG_CONTEXTS, "sex", "age"})


@dataclass(frozen=True)
class PlannedInstrument:
    """One instrument of a running battery; ``reason`` says why a follow-up was added."""

    form_id: str
    reason: Text | None = None
    carried_from: str | None = None  # the finished form whose answers ``carry`` copies
    carry: tuple[tuple[str, str], ...] = ()  # (item of this form, item of carried_from)


def _rule_names(rule: FollowUp, forms: Mapping[str, CompiledForm]) -> tuple[set[str], set[str]]:
    if rule.after is None:
        return set(CONTEXT_NAMES), set()
    form = forms[rule.after]
    results = {r.id for r in form.results if not r.hidden} | {"total", "band"}
    flags = {f.id for f in form.flags} | set(ENGINE_FLAG_SEVERITY)
    return results | CONTEXT_NAMES, flags


def check_battery(battery: Battery, forms: Mapping[str, CompiledForm], file: str) -> None:
    """Raise FormError if the battery names an unknown form, result or flag."""
    for index, form_id in enumerate(battery.instruments):
        if form_id not in forms:
            raise FormError(file, f"instruments[{index}]", f"unknown form {form_id!r}")
    for index, rule in enumerate(battery.follow_ups):
        path = f"follow_ups[{index}]"
        if rule.after is not None and rule.after not in forms:
            raise FormError(file, f"{path}.after", f"unknown form {rule.after!r}")
        for position, form_id in enumerate(rule.add):
            if form_id not in forms:
                raise FormError(file, f"{path}.add[{position}]", f"unknown form {form_id!r}")
        _check_carry(rule, forms, file, path)
        names, flags = _rule_names(rule, forms)
        expression = _parse(rule.when, file, f"{path}.when")
        unknown = sorted(expression.names - names) + sorted(expression.flag_names - flags)
        if unknown:
            raise FormError(file, f"{path}.when", f"{rule.when!r} names unknown {', '.join(map(repr, unknown))}")


def _check_carry(rule: FollowUp, forms: Mapping[str, CompiledForm], file: str, path: str) -> None:
    """A carried answer must mean the same in both forms: same kind of item, same allowed values."""
    if not rule.carry:
        return
    if rule.after is None or len(rule.add) != 1:
        raise FormError(file, f"{path}.carry", "carrying answers needs `after` and exactly one added form")
    target, source = forms[rule.add[0]], forms[rule.after]
    for item, from_item in rule.carry.items():
        if item not in target.items or from_item not in source.items:
            raise FormError(file, f"{path}.carry.{item}", f"unknown item {item!r} or {from_item!r}")
        a, b = target.items[item], source.items[from_item]
        if (a.is_text, a.allowed, a.low, a.high) != (b.is_text, b.allowed, b.low, b.high):
            raise FormError(file, f"{path}.carry.{item}", f"{rule.after}.{from_item} has other answers")


def _parse(source: str, file: str, path: str) -> Expression:
    try:
        return parse_expression(source)
    except ExprError as error:
        raise FormError(file, path, f"cannot parse {source!r}: {error}") from None


def rule_fires(rule: FollowUp, finished: Mapping[str, ScoreResult], context: Mapping[str, Value]) -> bool:
    """True when the condition holds; a safety rule also fires while missing answers leave it undecided."""
    values: dict[str, Value] = dict(context)
    flags: frozenset[str] = frozenset()
    undecided: frozenset[str] = frozenset()
    if rule.after is not None:
        result = finished.get(rule.after)
        if result is None:
            return False
        values.update(result.results)
        values["band"] = result.band
        flags = frozenset(result.flags)
        undecided = frozenset(result.undecided_flags)
    expression = parse_expression(rule.when)
    state = truth(expression.evaluate(EvaluationScope(values, {}, flags, undecided)))
    return state is True or (rule.safety and state is None)


def plan_battery(
    battery: Battery, finished: Mapping[str, ScoreResult], context: Mapping[str, Value]
) -> list[PlannedInstrument]:
    """The battery's instruments in order, each follow-up placed right after what triggered it."""
    planned = [PlannedInstrument(form_id) for form_id in battery.instruments]
    changed = True
    while changed:
        changed = False
        present = {p.form_id for p in planned}
        for rule in battery.follow_ups:
            new = [f for f in rule.add if f not in present]
            if not new or not rule_fires(rule, finished, context):
                continue
            anchor = next((i for i, p in enumerate(planned) if p.form_id == rule.after), len(planned) - 1)
            carry = tuple(rule.carry.items())
            additions = [PlannedInstrument(f, rule.reason, rule.after if carry else None, carry) for f in new]
            planned[anchor + 1 : anchor + 1] = additions
            changed = True
            break
    return planned
