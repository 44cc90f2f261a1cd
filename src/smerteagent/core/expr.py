"""A small, safe expression language for form and battery files.

Form files hold conditions such as ``total <= 3`` or ``q4 == 1 or (q6 == 1 and q6b == 1)``. They are
parsed here into closures once, at load time; nothing from a file ever reaches ``eval``.

Unanswered items evaluate to ``None`` and logic is three-valued (Kleene): a comparison with ``None`` is
unknown, ``unknown or True`` is ``True``, ``unknown and False`` is ``False``. A band rule that comes out
unknown therefore withholds the band instead of silently falling through to the next one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Protocol

Value = int | float | str | bool | None
Evaluator = Callable[["Scope"], Value]

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


def _and(left: Evaluator, right: Evaluator) -> Evaluator:
    def evaluate(scope: Scope) -> Value:
        a = truth(left(scope))
        if a is False:
            return False
        b = truth(right(scope))
        if b is False:
            return False
        return None if a is None or b is None else True

    return evaluate


def _or(left: Evaluator, right: Evaluator) -> Evaluator:
    def evaluate(scope: Scope) -> Value:
        a = truth(left(scope))
        if a is True:
            return True
        b = truth(right(scope))
        if b is True:
            return True
        return None if a is None or b is None else False

    return evaluate


def _not(operand: Evaluator) -> Evaluator:
    def evaluate(scope: Scope) -> Value:
        value = truth(operand(scope))
        return None if value is None else not value

    return evaluate


_COMPARE: dict[str, Callable[[object, object], bool]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,  # type: ignore[operator]
    "<=": lambda a, b: a <= b,  # type: ignore[operator]
    ">": lambda a, b: a > b,  # type: ignore[operator]
    ">=": lambda a, b: a >= b,  # type: ignore[operator]
}


def _compare(op: str, left: Evaluator, right: Evaluator) -> Evaluator:
    compare = _COMPARE[op]
    ordered = op not in ("==", "!=")

    def evaluate(scope: Scope) -> Value:
        a = left(scope)
        if a is None:
            return None
        b = right(scope)
        if b is None:
            return None
        if ordered and isinstance(a, str) != isinstance(b, str):
            return None
        return compare(a, b)

    return evaluate


def _membership(left: Evaluator, choices: tuple[Value, ...]) -> Evaluator:
    members = frozenset(choices)

    def evaluate(scope: Scope) -> Value:
        value = left(scope)
        return None if value is None else value in members

    return evaluate


def _arithmetic(op: str, left: Evaluator, right: Evaluator) -> Evaluator:
    def evaluate(scope: Scope) -> Value:
        a, b = left(scope), right(scope)
        if not isinstance(a, int | float) or not isinstance(b, int | float):
            return None
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        return None if b == 0 else a / b

    return evaluate


def _constant(value: Value) -> Evaluator:
    return lambda scope: value


def _lookup(name: str) -> Evaluator:
    return lambda scope: scope.values.get(name)


def _negate(operand: Evaluator) -> Evaluator:
    def evaluate(scope: Scope) -> Value:
        value = operand(scope)
        return -value if isinstance(value, int | float) and not isinstance(value, bool) else None

    return evaluate


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

    def parse(self) -> Evaluator:
        if self.current.kind == "end":
            raise ExprError("the expression is empty", 0)
        result = self.parse_or()
        if self.current.kind != "end":
            raise ExprError(f"unexpected {self.current.text!r}", self.current.position)
        return result

    def parse_or(self) -> Evaluator:
        left = self.parse_and()
        while self.accept("or"):
            left = _or(left, self.parse_and())
        return left

    def parse_and(self) -> Evaluator:
        left = self.parse_not()
        while self.accept("and"):
            left = _and(left, self.parse_not())
        return left

    def parse_not(self) -> Evaluator:
        if self.accept("not"):
            return _not(self.parse_not())
        return self.parse_comparison()

    def parse_comparison(self) -> Evaluator:
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

    def parse_sum(self) -> Evaluator:
        left = self.parse_product()
        while self.current.kind == "op" and self.current.text in ("+", "-"):
            op = self.current.text
            self.index += 1
            left = _arithmetic(op, left, self.parse_product())
        return left

    def parse_product(self) -> Evaluator:
        left = self.parse_unary()
        while self.current.kind == "op" and self.current.text in ("*", "/"):
            op = self.current.text
            self.index += 1
            left = _arithmetic(op, left, self.parse_unary())
        return left

    def parse_unary(self) -> Evaluator:
        if self.accept("-"):
            return _negate(self.parse_unary())
        return self.parse_atom()

    def parse_atom(self) -> Evaluator:
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

    def parse_name(self, token: _Token) -> Evaluator:
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
            return macro.evaluate
        self.names.add(token.text)
        return _lookup(token.text)

    def parse_call(self, token: _Token) -> Evaluator:
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
            self.answered.add(name)
            return lambda scope: name in scope.answers
        self.flags.add(name)
        return lambda scope: name in scope.flags


def _number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def parse_expression(source: str, macros: Mapping[str, Expression] | None = None) -> Expression:
    """Parse ``source`` into an :class:`Expression`; raises :class:`ExprError` with the position.

    ``macros`` are named expressions (a form's definitions) inlined where their name appears.
    """
    if not isinstance(source, str):
        raise ExprError("an expression must be text", 0)
    parser = _Parser(source, macros or {})
    evaluator = parser.parse()
    return Expression(
        source=source,
        evaluate=evaluator,
        names=frozenset(parser.names),
        answered_items=frozenset(parser.answered),
        flag_names=frozenset(parser.flags),
    )
