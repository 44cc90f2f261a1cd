"""Conditions between our expression language and FHIR ``enableWhen``, both ways, for the subset both share.

Only plain conditions translate: ``q2 == 1``, ``q1 > 0``, ``q1 in [1, 9]``, ``answered(q9)`` and their
``and``/``or`` (not mixed). A choice item's comparison becomes the list of its options that satisfy it,
since FHIR compares codings only for equality. Both ways go through the expression tree (``core.expr``):
our condition is parsed and its tree read; an imported enableWhen becomes a tree written out as text.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from smerteagent.core.expr import Call, Compare, Const, ExprError, Logic, Member, Name, Node, Not, numeric, parse_tree
from smerteagent.core.expr import to_source as expression_text
from smerteagent.core.interop.fhir_common import Json

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


def _clauses(tree: Node) -> tuple[list[Node], str] | None:
    """The clauses of a plain ``and`` chain or ``or`` chain (not mixed), or of a single clause."""
    if not isinstance(tree, Logic):
        return [tree], "any"
    clauses: list[Node] = []
    pending: list[Node] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, Logic):
            if node.op != tree.op:
                return None
            pending += [node.right, node.left]
        else:
            clauses.append(node)
    return clauses, "all" if tree.op == "and" else "any"


def _integer(node: Node) -> int | None:
    value = numeric(node)
    return value if isinstance(value, int) else None


def _alternatives(clause: Node, questions: Mapping[str, Question]) -> list[Json] | None:
    match clause:
        case Call("answered", item):
            return [{"question": item, "operator": "exists", "answerBoolean": True}]
        case Not(Call("answered", item)):
            return [{"question": item, "operator": "exists", "answerBoolean": False}]
        case Member(Name(name), choices) if all(isinstance(c, int) and not isinstance(c, bool) for c in choices):
            values, symbol = [int(c) for c in choices if isinstance(c, int)], "=="
        case Compare(symbol, Name(name), right) if (value := _integer(right)) is not None:
            values = [value]
        case _:
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
    try:
        split = _clauses(parse_tree(source))
    except ExprError:
        return None
    if split is None:
        return None
    clauses, behaviour = split
    found = [_alternatives(clause, questions) for clause in clauses]
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


def _condition(rule: Any, questions: Mapping[str, ImportedQuestion]) -> tuple[Node | None, str]:
    """One enableWhen as our expression's tree, or (None, why not)."""
    if not isinstance(rule, dict):
        return None, "an enableWhen is not an object"
    question = questions.get(str(rule.get("question")))
    if question is None:
        return None, f"enableWhen names {rule.get('question')!r}, which is not an earlier imported question"
    name, symbol = question.item_id, rule.get("operator")
    if symbol == "exists" and isinstance(rule.get("answerBoolean"), bool):
        answered = Call("answered", name)
        return (answered if rule["answerBoolean"] else Not(answered)), ""
    ours = {v: k for k, v in _FHIR_OPERATOR.items()}.get(str(symbol))
    if ours is None:
        return None, f"enableWhen operator {symbol!r} is not supported"
    if question.kind == "boolean" and isinstance(rule.get("answerBoolean"), bool) and ours in ("==", "!="):
        return Compare(ours, Name(name), Const(int(rule["answerBoolean"]))), ""
    if question.kind == "integer" and isinstance(rule.get("answerInteger"), int):
        return Compare(ours, Name(name), Const(rule["answerInteger"])), ""
    if question.kind == "choice" and ours in ("==", "!="):
        for key in answer_keys(rule):
            if key in question.values:
                return Compare(ours, Name(name), Const(question.values[key])), ""
        return None, f"enableWhen on {rule.get('question')!r} names an answer the question does not offer"
    return None, f"enableWhen on a {question.kind} question with this answer type cannot be translated"


def from_enable_when(
    rules: list[Any], behaviour: Any, questions: Mapping[str, ImportedQuestion]
) -> tuple[str | None, str]:
    """Our expression for an item's enableWhen list, or (None, why not)."""
    parts: list[Node] = []
    for rule in rules:
        condition, why = _condition(rule, questions)
        if condition is None:
            return None, why
        parts.append(condition)
    if len(parts) > 1 and behaviour not in ("all", "any"):
        return None, "several enableWhen without enableBehavior"
    if not parts:
        return "", ""
    tree = parts[0]
    for part in parts[1:]:
        tree = Logic("or" if behaviour == "any" else "and", tree, part)
    return expression_text(tree), ""
