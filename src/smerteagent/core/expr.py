"""A small, safe expression language for form and battery files.

Form files hold conditions such as ``total <= 3`` or ``q4 == 1 or (q6 == 1 and q6b == 1)``. They are
parsed here into closures once, at load time; nothing from a file ever reaches ``eval``.

Unanswered items evaluate to ``None`` and logic is three-valued (Kleene): a comparison with ``None`` is
unknown, ``unknown or True`` is ``True``, ``unknown and False`` is ``False``. A band rule that comes out
unknown therefore withholds the band instead of silently falling through to the next one.

Each expression is also compiled into ``bounds``: its :class:`~smerteagent.core.spans.Span` over every value
the unanswered items could still take, so the engine can report what partial answers already decide.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Protocol

from smerteagent.core.spans import (
    AND_TABLE,
    FALSE,
    NOT_MASK,
    OR_TABLE,
    TRUE,
    Span,
    arithmetic_bounds,
    combine,
    compare_bounds,
    from_mask,
    membership,
    negate,
    point,
    truth_mask,
)

Value = int | float | str | bool | None
Evaluator = Callable[["Scope"], Value]
Bounder = Callable[["SpanScope"], Span]

FUNCTIONS = frozenset({"answered", "flag"})
KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false"})


class Scope(Protocol):
    """What an expression can see while it is evaluated."""

    @property
    def values(self) -> Mapping[str, Value]: ...

    @property
    def answers(self) -> Mapping[str, object]: ...

    @property
    def flags(self) -> AbstractSet[str]: ...


class SpanScope(Protocol):
    """What an expression sees when evaluated over every completion of the unanswered items."""

    def span(self, name: str) -> Span: ...

    @property
    def answers(self) -> Mapping[str, object]: ...

    @property
    def flags(self) -> AbstractSet[str]: ...


class ExprError(ValueError):
    """An expression that cannot be parsed; ``position`` is the 0-based character offset."""

    def __init__(self, problem: str, position: int) -> None:
        super().__init__(f"{problem} (at character {position + 1})")
        self.problem = problem
        self.position = position


@dataclass(frozen=True)
class Expression:
    """A parsed expression: evaluate it with a scope; the name sets let loaders check references."""

    source: str
    evaluate: Evaluator
    bounds: Bounder
    names: frozenset[str] = field(default_factory=frozenset)
    answered_items: frozenset[str] = field(default_factory=frozenset)
    flag_names: frozenset[str] = field(default_factory=frozenset)


_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<string>'[^']*'|\"[^\"]*\")|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>==|!=|<=|>=|<|>|\+|-|\*|/|\(|\)|\[|\]|,))"
)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    position: int


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(source):
        if source[position:].strip() == "":
            break
        match = _TOKEN.match(source, position)
        if match is None or match.lastgroup is None:
            offset = len(source[position:]) - len(source[position:].lstrip())
            raise ExprError(f"unexpected character {source[position + offset]!r}", position + offset)
        tokens.append(_Token(match.lastgroup, match.group(match.lastgroup), match.start(match.lastgroup)))
        position = match.end()
    tokens.append(_Token("end", "", len(source)))
    return tokens


def truth(value: Value) -> bool | None:
    """Three-valued truth of a value: ``None`` stays unknown."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value != ""
    return value != 0


@dataclass(frozen=True, slots=True)
class _Node:
    """One parsed (sub)expression: its value for the given answers and its span over every completion."""

    evaluate: Evaluator
    bounds: Bounder


def _and(left: _Node, right: _Node) -> _Node:
    first, second = left.evaluate, right.evaluate
    first_span, second_span = left.bounds, right.bounds

    def evaluate(scope: Scope) -> Value:
        a = truth(first(scope))
        if a is False:
            return False
        b = truth(second(scope))
        if b is False:
            return False
        return None if a is None or b is None else True

    def bounds(scope: SpanScope) -> Span:
        a = truth_mask(first_span(scope))
        if a == FALSE:
            return from_mask(FALSE)
        return from_mask(AND_TABLE[a][truth_mask(second_span(scope))])

    return _Node(evaluate, bounds)


def _or(left: _Node, right: _Node) -> _Node:
    first, second = left.evaluate, right.evaluate
    first_span, second_span = left.bounds, right.bounds

    def evaluate(scope: Scope) -> Value:
        a = truth(first(scope))
        if a is True:
            return True
        b = truth(second(scope))
        if b is True:
            return True
        return None if a is None or b is None else False

    def bounds(scope: SpanScope) -> Span:
        a = truth_mask(first_span(scope))
        if a == TRUE:
            return from_mask(TRUE)
        return from_mask(OR_TABLE[a][truth_mask(second_span(scope))])

    return _Node(evaluate, bounds)


def _not(operand: _Node) -> _Node:
    inner, inner_span = operand.evaluate, operand.bounds

    def evaluate(scope: Scope) -> Value:
        value = truth(inner(scope))
        return None if value is None else not value

    return _Node(evaluate, lambda scope: from_mask(NOT_MASK[truth_mask(inner_span(scope))]))


_COMPARE: dict[str, Callable[[object, object], bool]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,  # type: ignore[operator]
    "<=": lambda a, b: a <= b,  # type: ignore[operator]
    ">": lambda a, b: a > b,  # type: ignore[operator]
    ">=": lambda a, b: a >= b,  # type: ignore[operator]
}


def _compare_values(op: str) -> Callable[[Value, Value], Value]:
    compare = _COMPARE[op]
    ordered = op not in ("==", "!=")

    def values(a: Value, b: Value) -> Value:
        if a is None or b is None:
            return None
        if ordered and isinstance(a, str) != isinstance(b, str):
            return None
        return compare(a, b)

    return values


def _compare(op: str, left: _Node, right: _Node) -> _Node:
    compare, raw, ordered = _compare_values(op), _COMPARE[op], op not in ("==", "!=")
    first, second = left.evaluate, right.evaluate
    first_span, second_span = left.bounds, right.bounds

    def evaluate(scope: Scope) -> Value:
        a = first(scope)
        if a is None:
            return None
        b = second(scope)
        if b is None:
            return None
        if ordered and isinstance(a, str) != isinstance(b, str):
            return None
        return raw(a, b)

    def by_bounds(a: Span, b: Span) -> Span:
        return compare_bounds(op, a, b)

    return _Node(evaluate, lambda scope: combine(first_span(scope), second_span(scope), compare, by_bounds))


def _membership(left: _Node, choices: tuple[Value, ...]) -> _Node:
    members = frozenset(choices)
    inner, inner_span = left.evaluate, left.bounds

    def evaluate(scope: Scope) -> Value:
        value = inner(scope)
        return None if value is None else value in members

    return _Node(evaluate, lambda scope: membership(inner_span(scope), members))


def _arithmetic_values(op: str) -> Callable[[Value, Value], Value]:
    def values(a: Value, b: Value) -> Value:
        if not isinstance(a, int | float) or not isinstance(b, int | float):
            return None
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        return None if b == 0 else a / b

    return values


def _arithmetic(op: str, left: _Node, right: _Node) -> _Node:
    compute = _arithmetic_values(op)
    first, second = left.evaluate, right.evaluate
    first_span, second_span = left.bounds, right.bounds

    def by_bounds(a: Span, b: Span) -> Span:
        return arithmetic_bounds(op, a, b)

    return _Node(
        lambda scope: compute(first(scope), second(scope)),
        lambda scope: combine(first_span(scope), second_span(scope), compute, by_bounds),
    )


def _constant(value: Value) -> _Node:
    fixed = point(value)
    return _Node(lambda scope: value, lambda scope: fixed)


def _lookup(name: str) -> _Node:
    return _Node(lambda scope: scope.values.get(name), lambda scope: scope.span(name))


def _negate(operand: _Node) -> _Node:
    inner, inner_span = operand.evaluate, operand.bounds

    def evaluate(scope: Scope) -> Value:
        value = inner(scope)
        return -value if isinstance(value, int | float) and not isinstance(value, bool) else None

    return _Node(evaluate, lambda scope: negate(inner_span(scope)))


class _Parser:
    """Recursive descent over: or > and > not > comparison > sum > product > unary > atom."""

    def __init__(self, source: str, macros: Mapping[str, Expression]) -> None:
        self.source = source
        self.macros = macros
        self.tokens = _tokenize(source)
        self.index = 0
        self.names: set[str] = set()
        self.answered: set[str] = set()
        self.flags: set[str] = set()

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def accept(self, text: str) -> bool:
        token = self.current
        if token.text == text and token.kind in ("op", "name"):
            self.index += 1
            return True
        return False

    def expect(self, text: str) -> None:
        if not self.accept(text):
            raise ExprError(f"expected {text!r} but found {self.current.text or 'the end'!r}", self.current.position)

    def parse(self) -> _Node:
        if self.current.kind == "end":
            raise ExprError("the expression is empty", 0)
        result = self.parse_or()
        if self.current.kind != "end":
            raise ExprError(f"unexpected {self.current.text!r}", self.current.position)
        return result

    def parse_or(self) -> _Node:
        left = self.parse_and()
        while self.accept("or"):
            left = _or(left, self.parse_and())
        return left

    def parse_and(self) -> _Node:
        left = self.parse_not()
        while self.accept("and"):
            left = _and(left, self.parse_not())
        return left

    def parse_not(self) -> _Node:
        if self.accept("not"):
            return _not(self.parse_not())
        return self.parse_comparison()

    def parse_comparison(self) -> _Node:
        left = self.parse_sum()
        token = self.current
        if token.kind == "op" and token.text in _COMPARE:
            self.index += 1
            result = _compare(token.text, left, self.parse_sum())
            if self.current.kind == "op" and self.current.text in _COMPARE:
                raise ExprError("chained comparisons are not allowed; use 'and'", self.current.position)
            return result
        if self.accept("in"):
            return _membership(left, self.parse_list())
        return left

    def parse_list(self) -> tuple[Value, ...]:
        self.expect("[")
        values: list[Value] = [self.parse_literal()]
        while self.accept(","):
            values.append(self.parse_literal())
        self.expect("]")
        return tuple(values)

    def parse_literal(self) -> Value:
        token = self.current
        sign = -1 if token.text == "-" and token.kind == "op" else 1
        if sign == -1:
            self.index += 1
            token = self.current
        self.index += 1
        if token.kind == "number":
            return sign * _number(token.text)
        if token.kind == "string" and sign == 1:
            return token.text[1:-1]
        raise ExprError(f"expected a number or a quoted text, found {token.text or 'the end'!r}", token.position)

    def parse_sum(self) -> _Node:
        left = self.parse_product()
        while self.current.kind == "op" and self.current.text in ("+", "-"):
            op = self.current.text
            self.index += 1
            left = _arithmetic(op, left, self.parse_product())
        return left

    def parse_product(self) -> _Node:
        left = self.parse_unary()
        while self.current.kind == "op" and self.current.text in ("*", "/"):
            op = self.current.text
            self.index += 1
            left = _arithmetic(op, left, self.parse_unary())
        return left

    def parse_unary(self) -> _Node:
        if self.accept("-"):
            return _negate(self.parse_unary())
        return self.parse_atom()

    def parse_atom(self) -> _Node:
        token = self.current
        self.index += 1
        if token.kind == "number":
            return _constant(_number(token.text))
        if token.kind == "string":
            return _constant(token.text[1:-1])
        if token.kind == "op" and token.text == "(":
            inner = self.parse_or()
            self.expect(")")
            return inner
        if token.kind == "name":
            return self.parse_name(token)
        raise ExprError(f"unexpected {token.text or 'end of expression'!r}", token.position)

    def parse_name(self, token: _Token) -> _Node:
        if token.text in ("true", "false"):
            return _constant(token.text == "true")
        if token.text in KEYWORDS:
            raise ExprError(f"{token.text!r} cannot stand here", token.position)
        if self.current.text == "(" and self.current.kind == "op":
            return self.parse_call(token)
        macro = self.macros.get(token.text)
        if macro is not None:
            self.names.update(macro.names)
            self.answered.update(macro.answered_items)
            self.flags.update(macro.flag_names)
            return _Node(macro.evaluate, macro.bounds)
        self.names.add(token.text)
        return _lookup(token.text)

    def parse_call(self, token: _Token) -> _Node:
        if token.text not in FUNCTIONS:
            known = ", ".join(sorted(FUNCTIONS))
            raise ExprError(f"unknown function {token.text!r} (known: {known})", token.position)
        self.expect("(")
        argument = self.current
        if argument.kind not in ("name", "string"):
            raise ExprError(f"{token.text}() takes one name", argument.position)
        self.index += 1
        self.expect(")")
        name = argument.text.strip("'\"")
        if token.text == "answered":
            # Whether the item is answered now: a state of the answer set, the same in range evaluation.
            self.answered.add(name)
            return _Node(lambda scope: name in scope.answers, lambda scope: point(name in scope.answers))
        self.flags.add(name)
        state = _flag_state(name)
        return _Node(state, lambda scope: point(state(scope)))  # type: ignore[arg-type]


def _flag_state(name: str) -> Evaluator:
    """Raised: true; not yet decided by the answers: unknown; else false."""

    def evaluate(scope: Scope) -> Value:
        if name in scope.flags:
            return True
        return None if name in getattr(scope, "undecided_flags", ()) else False

    return evaluate


def _number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def parse_expression(source: str, macros: Mapping[str, Expression] | None = None) -> Expression:
    """Parse ``source`` into an :class:`Expression`; raises :class:`ExprError` with the position.

    ``macros`` are named expressions (a form's definitions) inlined where their name appears.
    """
    if not isinstance(source, str):
        raise ExprError("an expression must be text", 0)
    parser = _Parser(source, macros or {})
    node = parser.parse()
    return Expression(
        source=source,
        evaluate=node.evaluate,
        bounds=node.bounds,
        names=frozenset(parser.names),
        answered_items=frozenset(parser.answered),
        flag_names=frozenset(parser.flags),
    )
