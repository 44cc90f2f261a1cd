"""A small, safe expression language for form and battery files.

Form files hold conditions such as ``total <= 3`` or ``q4 == 1 or (q6 == 1 and q6b == 1)``. They are
parsed here once, at load time, into a tree (:data:`Node`); the tree is compiled into closures for
evaluation, and read (never the text again) for the names an expression uses, its text (:func:`to_source`) and
its translations (FHIR enableWhen, chart thresholds). Nothing from a file ever reaches ``eval``.

Unanswered items evaluate to ``None`` and logic is three-valued (Kleene): a comparison with ``None`` is
unknown, ``unknown or True`` is ``True``, ``unknown and False`` is ``False``. A band rule that comes out
unknown therefore withholds the band instead of silently falling through to the next one.

Each expression is also compiled into ``bounds``: its :class:`~smerteagent.core.spans.Span` over every value
the unanswered items could still take, so the engine can report what partial answers already decide.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
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
    tree: Node = field(default=None, compare=False, repr=False)  # type: ignore[assignment]


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


# -- the tree -------------------------------------------------------------------------------------------------
# An expression is parsed once into this tree; evaluation closures (``compile_tree``), the names it reads
# (``walk``), the text back (``to_source``) and translations (FHIR enableWhen, chart thresholds) all read it.


@dataclass(frozen=True, slots=True)
class Const:
    value: Value


@dataclass(frozen=True, slots=True)
class Name:
    name: str


@dataclass(frozen=True, slots=True)
class Call:
    """``answered(item)`` or ``flag(name)``."""

    function: str
    argument: str


@dataclass(frozen=True, slots=True)
class Macro:
    """A form definition's name, standing for its (already parsed) expression."""

    name: str
    expression: Expression


@dataclass(frozen=True, slots=True)
class Not:
    operand: Node


@dataclass(frozen=True, slots=True)
class Negate:
    operand: Node


@dataclass(frozen=True, slots=True)
class Logic:
    """``and`` / ``or``, left to right (a chain nests to the left)."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Compare:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Member:
    """``operand in [choices]``."""

    operand: Node
    choices: tuple[Value, ...]


@dataclass(frozen=True, slots=True)
class Arithmetic:
    op: str
    left: Node
    right: Node


Node = Const | Name | Call | Macro | Not | Negate | Logic | Compare | Member | Arithmetic


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree, a definition's tree included."""
    yield node
    match node:
        case Not(operand) | Negate(operand) | Member(operand, _):
            yield from walk(operand)
        case Logic(_, left, right) | Compare(_, left, right) | Arithmetic(_, left, right):
            yield from walk(left)
            yield from walk(right)
        case Macro(_, expression):
            yield from walk(expression.tree)


def compile_tree(node: Node) -> _Node:
    """The evaluation and span closures of a tree (built once; evaluating never looks at the tree again)."""
    match node:
        case Const(value):
            return _constant(value)
        case Name(name):
            return _lookup(name)
        case Call("answered", item):
            return _Node(lambda scope: item in scope.answers, lambda scope: point(item in scope.answers))
        case Call(_, flag):
            state = _flag_state(flag)
            return _Node(state, lambda scope: point(state(scope)))  # type: ignore[arg-type]
        case Macro(_, expression):
            return _Node(expression.evaluate, expression.bounds)
        case Not(operand):
            return _not(compile_tree(operand))
        case Negate(operand):
            return _negate(compile_tree(operand))
        case Logic(op, left, right):
            return (_and if op == "and" else _or)(compile_tree(left), compile_tree(right))
        case Compare(op, left, right):
            return _compare(op, compile_tree(left), compile_tree(right))
        case Member(operand, choices):
            return _membership(compile_tree(operand), choices)
        case Arithmetic(op, left, right):
            return _arithmetic(op, compile_tree(left), compile_tree(right))
    raise AssertionError(node)


_PRECEDENCE = {"or": 1, "and": 2, "not": 3, "compare": 4, "+": 5, "-": 5, "*": 6, "/": 6, "negate": 7}


def _precedence(node: Node) -> int:
    match node:
        case Logic(op, _, _):
            return _PRECEDENCE[op]
        case Not():
            return _PRECEDENCE["not"]
        case Compare() | Member():
            return _PRECEDENCE["compare"]
        case Arithmetic(op, _, _):
            return _PRECEDENCE[op]
        case Negate():
            return _PRECEDENCE["negate"]
    return 8


def _literal(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'" if "'" not in value else f'"{value}"'
    return f"{value}"


def to_source(node: Node) -> str:
    """The tree as expression text that parses back to the same tree (brackets only where needed)."""

    def side(child: Node, level: int, right: bool = False) -> str:
        text = to_source(child)
        tighter = _precedence(child) > level or (not right and _precedence(child) == level)
        return text if tighter else f"({text})"

    match node:
        case Const(value):
            return _literal(value)
        case Name(name) | Macro(name, _):
            return name
        case Call(function, argument):
            return f"{function}({argument})"
        case Not(operand):
            return f"not {side(operand, _PRECEDENCE['not'], right=True)}"
        case Negate(operand):
            return f"-{side(operand, _PRECEDENCE['negate'], right=True)}"
        case Logic(op, left, right) | Arithmetic(op, left, right):
            level = _PRECEDENCE[op]
            return f"{side(left, level)} {op} {side(right, level, right=True)}"
        case Compare(op, left, right):
            level = _PRECEDENCE["compare"]
            return f"{side(left, level, right=True)} {op} {side(right, level, right=True)}"
        case Member(operand, choices):
            listed = ", ".join(_literal(c) for c in choices)
            return f"{side(operand, _PRECEDENCE['compare'], right=True)} in [{listed}]"
    raise AssertionError(node)


def numeric(node: Node) -> int | float | None:
    """The number a constant (or a negated constant) stands for; None for anything else."""
    match node:
        case Const(value) if isinstance(value, int | float) and not isinstance(value, bool):
            return value
        case Negate(Const(value)) if isinstance(value, int | float) and not isinstance(value, bool):
            return -value
    return None


class _Parser:
    """Recursive descent over: or > and > not > comparison > sum > product > unary > atom."""

    def __init__(self, source: str, macros: Mapping[str, Expression]) -> None:
        self.source = source
        self.macros = macros
        self.tokens = _tokenize(source)
        self.index = 0

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

    def parse(self) -> Node:
        if self.current.kind == "end":
            raise ExprError("the expression is empty", 0)
        result = self.parse_or()
        if self.current.kind != "end":
            raise ExprError(f"unexpected {self.current.text!r}", self.current.position)
        return result

    def parse_or(self) -> Node:
        left = self.parse_and()
        while self.accept("or"):
            left = Logic("or", left, self.parse_and())
        return left

    def parse_and(self) -> Node:
        left = self.parse_not()
        while self.accept("and"):
            left = Logic("and", left, self.parse_not())
        return left

    def parse_not(self) -> Node:
        if self.accept("not"):
            return Not(self.parse_not())
        return self.parse_comparison()

    def parse_comparison(self) -> Node:
        left = self.parse_sum()
        token = self.current
        if token.kind == "op" and token.text in _COMPARE:
            self.index += 1
            result = Compare(token.text, left, self.parse_sum())
            if self.current.kind == "op" and self.current.text in _COMPARE:
                raise ExprError("chained comparisons are not allowed; use 'and'", self.current.position)
            return result
        if self.accept("in"):
            return Member(left, self.parse_list())
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

    def parse_sum(self) -> Node:
        left = self.parse_product()
        while self.current.kind == "op" and self.current.text in ("+", "-"):
            op = self.current.text
            self.index += 1
            left = Arithmetic(op, left, self.parse_product())
        return left

    def parse_product(self) -> Node:
        left = self.parse_unary()
        while self.current.kind == "op" and self.current.text in ("*", "/"):
            op = self.current.text
            self.index += 1
            left = Arithmetic(op, left, self.parse_unary())
        return left

    def parse_unary(self) -> Node:
        if self.accept("-"):
            return Negate(self.parse_unary())
        return self.parse_atom()

    def parse_atom(self) -> Node:
        token = self.current
        self.index += 1
        if token.kind == "number":
            return Const(_number(token.text))
        if token.kind == "string":
            return Const(token.text[1:-1])
        if token.kind == "op" and token.text == "(":
            inner = self.parse_or()
            self.expect(")")
            return inner
        if token.kind == "name":
            return self.parse_name(token)
        raise ExprError(f"unexpected {token.text or 'end of expression'!r}", token.position)

    def parse_name(self, token: _Token) -> Node:
        if token.text in ("true", "false"):
            return Const(token.text == "true")
        if token.text in KEYWORDS:
            raise ExprError(f"{token.text!r} cannot stand here", token.position)
        if self.current.text == "(" and self.current.kind == "op":
            return self.parse_call(token)
        macro = self.macros.get(token.text)
        if macro is not None:
            return Macro(token.text, macro)
        return Name(token.text)

    def parse_call(self, token: _Token) -> Node:
        if token.text not in FUNCTIONS:
            known = ", ".join(sorted(FUNCTIONS))
            raise ExprError(f"unknown function {token.text!r} (known: {known})", token.position)
        self.expect("(")
        argument = self.current
        if argument.kind not in ("name", "string"):
            raise ExprError(f"{token.text}() takes one name", argument.position)
        self.index += 1
        self.expect(")")
        return Call(token.text, argument.text.strip("'\""))


def _flag_state(name: str) -> Evaluator:
    """Raised: true; not yet decided by the answers: unknown; else false."""

    def evaluate(scope: Scope) -> Value:
        if name in scope.flags:
            return True
        return None if name in getattr(scope, "undecided_flags", ()) else False

    return evaluate


def _number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def parse_tree(source: str, macros: Mapping[str, Expression] | None = None) -> Node:
    """The tree of ``source``; raises :class:`ExprError` with the position."""
    if not isinstance(source, str):
        raise ExprError("an expression must be text", 0)
    return _Parser(source, macros or {}).parse()


def parse_expression(source: str, macros: Mapping[str, Expression] | None = None) -> Expression:
    """Parse ``source`` into an :class:`Expression`; raises :class:`ExprError` with the position.

    ``macros`` are named expressions (a form's definitions) inlined where their name appears.
    """
    tree = parse_tree(source, macros)
    node = compile_tree(tree)
    nodes = list(walk(tree))
    return Expression(
        source=source,
        evaluate=node.evaluate,
        bounds=node.bounds,
        names=frozenset(n.name for n in nodes if isinstance(n, Name)),
        answered_items=frozenset(n.argument for n in nodes if isinstance(n, Call) and n.function == "answered"),
        flag_names=frozenset(n.argument for n in nodes if isinstance(n, Call) and n.function != "answered"),
        tree=tree,
    )
