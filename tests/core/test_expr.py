"""The form expression language: grammar, three-valued logic and refusal of anything unsafe."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from smerteagent.core.expr import ExprError, Value, parse_expression


@dataclass
class Scope:
    values: dict[str, Value]
    answers: dict[str, object] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)


def evaluate(source: str, **values: Value) -> Value:
    return parse_expression(source).evaluate(Scope(values, {k: v for k, v in values.items() if v is not None}))


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        ("total <= 3", {"total": 3}, True),
        ("total <= 3", {"total": 4}, False),
        ("q1 + q2 >= 3", {"q1": 1, "q2": 2}, True),
        ("q1 + q2 >= 3", {"q1": 1, "q2": 1}, False),
        ("10 - q8", {"q8": 3}, 7),
        ("2 * q1 / 4", {"q1": 2}, 1.0),
        ("-q1 + 1", {"q1": 3}, -2),
        ("q1 in [1, 9]", {"q1": 9}, True),
        ("q1 in [1, 9]", {"q1": 0}, False),
        ("sex == 'female' and total >= 3", {"sex": "female", "total": 3}, True),
        ('sex == "male"', {"sex": "female"}, False),
        ("not (a == 1)", {"a": 2}, True),
        ("a == 1 or b == 1 and c == 1", {"a": 0, "b": 1, "c": 0}, False),
        ("(a == 1 or b == 1) and c == 1", {"a": 0, "b": 1, "c": 1}, True),
        ("true and not false", {}, True),
        ("q1 / 0", {"q1": 1}, None),
    ],
)
def test_evaluates(source: str, values: dict[str, Value], expected: Value) -> None:
    assert evaluate(source, **values) == expected


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        # Kleene logic: an unanswered item is unknown, not false.
        ("q1 >= 1", {}, None),
        ("q1 >= 1 or q2 >= 1", {"q2": 1}, True),
        ("q1 >= 1 or q2 >= 1", {"q2": 0}, None),
        ("q1 >= 1 and q2 >= 1", {"q2": 0}, False),
        ("q1 >= 1 and q2 >= 1", {"q2": 1}, None),
        ("not q1 == 0", {}, None),
        ("q1 + 1 > 0", {}, None),
        ("q1 in [1]", {}, None),
    ],
)
def test_unanswered_is_unknown(source: str, values: dict[str, Value], expected: Value) -> None:
    assert evaluate(source, **values) is expected


def test_answered_reads_raw_answers_and_flag_reads_flags() -> None:
    expression = parse_expression("answered(q9) and flag(suicide_risk)")
    assert expression.answered_items == {"q9"}
    assert expression.flag_names == {"suicide_risk"}
    assert expression.evaluate(Scope({}, {"q9": 0}, {"suicide_risk"})) is True
    assert expression.evaluate(Scope({}, {}, {"suicide_risk"})) is False


def test_names_are_collected_for_checking() -> None:
    assert parse_expression("total <= 3 or psychosocial > 3 and sex == 'male'").names == {
        "total",
        "psychosocial",
        "sex",
    }


def test_macros_are_inlined_with_their_names() -> None:
    positive = parse_expression("q1 == 1 or q2 == 1")
    expression = parse_expression("positive and q5 == 0", {"positive": positive})
    assert expression.names == {"q1", "q2", "q5"}
    assert expression.evaluate(Scope({"q1": 1, "q5": 0})) is True


@pytest.mark.parametrize(
    "source",
    [
        "",
        "   ",
        "total <=",
        "total <= 3 <= 4",
        "__import__('os')",
        "open('x')",
        "q1.real",
        "q1[0]",
        "lambda: 1",
        "total ; 1",
        "(total <= 3",
        "q1 in 3",
        "q1 in [q2]",
        "and",
        "answered(1)",
    ],
)
def test_rejects_bad_or_unsafe_text(source: str) -> None:
    with pytest.raises(ExprError):
        parse_expression(source)


def test_error_gives_the_position() -> None:
    with pytest.raises(ExprError) as caught:
        parse_expression("total <= 3 $ 4")
    assert caught.value.position == 11


# -- the tree (issue 18 item 2): parsed once, read for names, text and translations ---------------------------


def _every_rule_text() -> list[str]:
    """Every expression of the bundled forms and batteries, as written."""
    from smerteagent.core.forms.loader import FormLibrary
    from smerteagent.paths import form_folders

    library = FormLibrary.load(form_folders())
    found: list[str] = []

    def collect(value: object, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                collect(v, k)
        elif isinstance(value, list):
            for v in value:
                collect(v, key)
        elif isinstance(value, str) and key in ("when", "enable_when", "expr", "from_context"):
            found.append(value)

    for form in library.forms.values():
        collect(form.definition.model_dump())
        collect(form.definition.scoring.model_dump().get("definitions", {}), "expr")
    for battery in library.batteries.values():
        collect(battery.model_dump())
    return found


def test_the_tree_holds_the_structure() -> None:
    from smerteagent.core.expr import Call, Compare, Const, Logic, Member, Name, Negate, Not, parse_tree

    assert parse_tree("q1 == 1 or q2 in [1, 2] and not answered(q3)") == Logic(
        "or", Compare("==", Name("q1"), Const(1)),
        Logic("and", Member(Name("q2"), (1, 2)), Not(Call("answered", "q3"))),
    )  # fmt: skip
    assert parse_tree("-total <= -2.5") == Compare("<=", Negate(Name("total")), Negate(Const(2.5)))


def test_every_bundled_rule_is_written_back_to_the_same_tree() -> None:
    from smerteagent.core.expr import parse_expression, parse_tree, to_source

    rules = _every_rule_text()
    assert len(rules) > 50
    for rule in rules:
        tree = parse_tree(rule)
        assert parse_tree(to_source(tree)) == tree, rule
        assert parse_expression(to_source(tree)).names == parse_expression(rule).names


@pytest.mark.parametrize(
    "source",
    ["a - (b - c)", "a / (b * c)", "(a or b) and c", "not (a and b)", "-(a + b) * 2", "a == 'x' or b in ['y', 'z']",
     "(a - b) - c", "flag(suicide_risk) and true"],
)  # fmt: skip
def test_text_written_from_a_tree_keeps_its_meaning(source: str) -> None:
    from smerteagent.core.expr import parse_tree, to_source

    assert parse_tree(to_source(parse_tree(source))) == parse_tree(source)


def test_no_module_reads_rule_text_again_with_regular_expressions() -> None:
    from pathlib import Path

    core = Path(__file__).resolve().parents[2] / "src" / "smerteagent" / "core"
    for module in ("history.py", "interop/fhir_enable.py"):
        text = (core / module).read_text("utf-8")
        assert "import re\n" not in text and "re.compile" not in text, module
