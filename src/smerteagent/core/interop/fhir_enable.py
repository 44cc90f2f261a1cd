"""Conditions between our expression language and FHIR ``enableWhen``, both ways, for the subset both share.

Only plain conditions translate: ``q2 == 1``, ``q1 > 0``, ``q1 in [1, 9]``, ``answered(q9)`` and their
``and``/``or`` (not mixed). A choice item's comparison becomes the list of its options that satisfy it,
since FHIR compares codings only for equality.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from smerteagent.core.interop.fhir_common import Json

_COMPARE = re.compile(r"^([a-z][a-z0-9_]*)\s*(==|!=|<=|>=|<|>)\s*(-?\d+)$")
_IN = re.compile(r"^([a-z][a-z0-9_]*)\s+in\s+\[\s*(-?\d+(?:\s*,\s*-?\d+)*)\s*\]$")
_ANSWERED = re.compile(r"^(not\s+)?answered\(\s*([a-z][a-z0-9_]*)\s*\)$")
_TESTS: dict[str, Callable[[int, int], bool]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}  # fmt: skip
_FHIR_OPERATOR = {"==": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
QuestionKind = Literal["choice", "integer", "text"]
ImportedKind = Literal["choice", "boolean", "integer", "text"]


@dataclass(frozen=True)
class Question:
    """What a condition needs to know of the item it reads: its kind and, for a choice, its answer codings."""

    kind: QuestionKind
    options: dict[int, Json] = field(default_factory=dict)


def _clauses(source: str) -> tuple[list[str], str] | None:
    text = " ".join(source.split())
    if "(" in text.replace("answered(", ""):
        return None
    has_and, has_or = " and " in text, " or " in text
    if has_and and has_or:
        return None
    joiner = " and " if has_and else " or "
    return text.split(joiner), "all" if has_and else "any"


def _alternatives(clause: str, questions: Mapping[str, Question]) -> list[Json] | None:
    if match := _ANSWERED.match(clause):
        return [{"question": match[2], "operator": "exists", "answerBoolean": not match[1]}]
    if match := _IN.match(clause):
        name, values, symbol = match[1], [int(v) for v in match[2].split(",")], "=="
    elif match := _COMPARE.match(clause):
        name, values, symbol = match[1], [int(match[3])], match[2]
    else:
        return None
    question = questions.get(name)
    if question is None or question.kind == "text":
        return None
    if question.kind == "integer":
        return [{"question": name, "operator": _FHIR_OPERATOR[symbol], "answerInteger": v} for v in values]
    if symbol == "!=" and values[0] in question.options:
        return [{"question": name, "operator": "!=", "answerCoding": question.options[values[0]]}]
    chosen = [v for v in question.options if any(_TESTS[symbol](v, target) for target in values)]
    if not chosen:
        return None
    return [{"question": name, "operator": "=", "answerCoding": question.options[v]} for v in chosen]


def to_enable_when(source: str, questions: Mapping[str, Question]) -> tuple[list[Json], str | None] | None:
    """``(enableWhen, enableBehavior)`` for ``source``, or None when enableWhen cannot say it."""
    split = _clauses(source)
    if split is None:
        return None
    clauses, behaviour = split
    found = [_alternatives(clause.strip(), questions) for clause in clauses]
    if any(alternatives is None for alternatives in found):
        return None
    if behaviour == "all" and any(len(a or []) > 1 for a in found):
        return None
    conditions = [condition for alternatives in found for condition in alternatives or []]
    return conditions, (behaviour if len(conditions) > 1 else None)


@dataclass(frozen=True)
class ImportedQuestion:
    """An earlier item as an enableWhen on import sees it: our id, its kind and answer keys -> values."""

    item_id: str
    kind: ImportedKind
    values: dict[tuple[str, ...], int] = field(default_factory=dict)


def answer_keys(answer: Json) -> list[tuple[str, ...]]:
    """The keys an answer (option value or enableWhen answer) can be matched by."""
    keys: list[tuple[str, ...]] = []
    for key, value in answer.items():
        if key in ("valueCoding", "answerCoding") and isinstance(value, dict):
            code = str(value.get("code"))
            keys += [("coding", str(value.get("system")), code), ("code", code)]
        elif key in ("valueInteger", "answerInteger", "valueString", "answerString"):
            keys.append(("literal", str(value)))
    return keys


def _condition(rule: Any, questions: Mapping[str, ImportedQuestion]) -> tuple[str | None, str]:
    """One enableWhen as our expression, or (None, why not)."""
    if not isinstance(rule, dict):
        return None, "an enableWhen is not an object"
    question = questions.get(str(rule.get("question")))
    if question is None:
        return None, f"enableWhen names {rule.get('question')!r}, which is not an earlier imported question"
    name, symbol = question.item_id, rule.get("operator")
    if symbol == "exists" and isinstance(rule.get("answerBoolean"), bool):
        return (f"answered({name})" if rule["answerBoolean"] else f"not answered({name})"), ""
    ours = {v: k for k, v in _FHIR_OPERATOR.items()}.get(str(symbol))
    if ours is None:
        return None, f"enableWhen operator {symbol!r} is not supported"
    if question.kind == "boolean" and isinstance(rule.get("answerBoolean"), bool) and ours in ("==", "!="):
        return f"{name} {ours} {int(rule['answerBoolean'])}", ""
    if question.kind == "integer" and isinstance(rule.get("answerInteger"), int):
        return f"{name} {ours} {rule['answerInteger']}", ""
    if question.kind == "choice" and ours in ("==", "!="):
        for key in answer_keys(rule):
            if key in question.values:
                return f"{name} {ours} {question.values[key]}", ""
        return None, f"enableWhen on {rule.get('question')!r} names an answer the question does not offer"
    return None, f"enableWhen on a {question.kind} question with this answer type cannot be translated"


def from_enable_when(
    rules: list[Any], behaviour: Any, questions: Mapping[str, ImportedQuestion]
) -> tuple[str | None, str]:
    """Our expression for an item's enableWhen list, or (None, why not)."""
    parts = []
    for rule in rules:
        expression, why = _condition(rule, questions)
        if expression is None:
            return None, why
        parts.append(expression)
    if len(parts) > 1 and behaviour not in ("all", "any"):
        return None, "several enableWhen without enableBehavior"
    return (" or " if behaviour == "any" else " and ").join(parts), ""
