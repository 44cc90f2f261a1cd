"""FHIRPath in imported Questionnaires, read through fhirpathpy (a maintained FHIRPath engine).

A calculation is translated into our own result methods only when its meaning is an aggregate of item
answers — ``<items>.answer[.value][.weight()|.ordinal()].sum()`` (or ``avg()``/``count()``), several such
parts added, ``%variables`` substituted, SDC's ``answers()``. Which items ``<items>`` names is not guessed
from the text: fhirpathpy evaluates it against a response skeleton with every item of the form, so
``%resource.item`` reads top-level items only and ``repeat(item)`` every level, exactly as FHIRPath says.
Item selections may only look at linkIds, so the answer given never changes which items are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from smerteagent.core.interop.fhir_common import Json

MAX_VARIABLE_DEPTH = 10
_PART = re.compile(
    r"^(?P<items>.+?)\.answer(?P<value>\.value)?(?:\.(?P<weight>ordinal|weight)\(\))?\.(?P<how>sum|avg|count)\(\)$"
)
_ANSWERS = re.compile(r"^(?P<root>%resource|%context|QuestionnaireResponse)\.answers\(\)")
_SUM_OF = re.compile(r"\.sum\(\s*(?:value\.)?(?P<weight>ordinal|weight)\(\)\s*\)$")
_STRINGS = re.compile(r"'(?:[^'\\]|\\.)*'")
_WORDS = re.compile(r"[A-Za-z_%][A-Za-z0-9_]*")
# The only names an item selection may use: it must not read answers (or anything else that varies).
_SELECTION_WORDS = frozenset({
    "%resource", "%context", "QuestionnaireResponse", "item", "repeat", "where", "linkId", "in", "and", "or",
    "not", "startsWith", "endsWith", "contains", "descendants", "exists", "empty", "first", "last", "true", "false",
})  # fmt: skip
_VARIABLE = re.compile(r"%([A-Za-z_][A-Za-z0-9_]*)")
_STANDARD = frozenset({"resource", "context", "questionnaire", "qitem", "rootResource", "ucum", "sct", "loinc"})


@dataclass(frozen=True)
class Aggregate:
    """What a translatable calculation computes: ``how`` (sum, avg, count) over the items' answers."""

    how: str
    weighted: bool  # weight()/ordinal(): the options' weights, not the answer itself
    link_ids: tuple[str, ...]  # in the order of the parts; an item in two parts counts twice


class NotTranslatable(ValueError):
    """The expression is valid FHIRPath (or not), but not an aggregate our result methods can state."""


class ReadsNothing(NotTranslatable):
    """The aggregate, read literally, reads no answered item (e.g. a sum over top-level groups)."""


_TOP_LEVEL = re.compile(r"^(?P<root>%resource|%context|QuestionnaireResponse)\.item(?=\.|$)")


def at_every_level(expression: str) -> str:
    """The aggregate with each part's top-level selection ``<root>.item…`` applied at every level
    (``<root>.repeat(item)…``): what the author of a sum over top-level items evidently meant when the
    questions sit inside groups. NotTranslatable when a part does not start at the top level."""
    parts = []
    for part in _split(expression.strip()):
        rewritten, count = _TOP_LEVEL.subn(lambda m: f"{m['root']}.repeat(item)", _normalised(part))
        if count != 1:
            raise NotTranslatable(f"{part!r} does not select the top-level items")
        parts.append(rewritten)
    return " + ".join(parts)


def substitute(expression: str, variables: dict[str, str]) -> str:
    """``%name`` of each known variable replaced by its expression in parentheses (nested, bounded)."""
    for _ in range(MAX_VARIABLE_DEPTH):
        replaced = _VARIABLE.sub(
            lambda m: f"({variables[m[1]]})" if m[1] in variables and m[1] not in _STANDARD else m[0], expression
        )
        if replaced == expression:
            return expression
        expression = replaced
    raise NotTranslatable(f"variables nest more than {MAX_VARIABLE_DEPTH} levels (or refer to themselves)")


def unknown_variables(expression: str) -> list[str]:
    return sorted({m for m in _VARIABLE.findall(_STRINGS.sub("''", expression)) if m not in _STANDARD})


def syntax_error(expression: str) -> str | None:
    """fhirpathpy's complaint about the expression, or None when it parses."""
    from fhirpathpy.parser import parse

    try:
        parse(expression)  # type: ignore[no-untyped-call]
    except (
        Exception
    ) as error:  # fhirpathpy reports syntax errors as plain Exception  # fhirpathpy raises plain Exception
        return " ".join(str(error).split())[:200] or type(error).__name__
    return None


def _split(expression: str) -> list[str]:
    """The top-level ``+`` operands, each without enclosing parentheses."""
    parts, depth, start, quoted = [], 0, 0, False
    for position, char in enumerate(expression):
        if char == "'" and (position == 0 or expression[position - 1] != "\\"):
            quoted = not quoted
        elif not quoted and char in "([":
            depth += 1
        elif not quoted and char in ")]":
            depth -= 1
        elif not quoted and depth == 0 and char == "+":
            parts.append(expression[start:position])
            start = position + 1
    parts.append(expression[start:])
    return [_unwrap(part.strip()) for part in parts]


def _unwrap(text: str) -> str:
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for char in _STRINGS.sub("''", text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def selected(selection: str, skeleton: Json) -> list[str]:
    """The linkIds of the items ``selection`` names in a response with every item (in document order)."""
    words = set(_WORDS.findall(_STRINGS.sub("''", selection)))
    if not words <= _SELECTION_WORDS:
        raise NotTranslatable(
            f"the item selection {selection!r} reads more than linkIds ({sorted(words - _SELECTION_WORDS)})"
        )
    from fhirpathpy import evaluate

    try:
        found = evaluate(skeleton, selection, {"resource": skeleton, "context": skeleton})
    except Exception as error:  # fhirpathpy raises plain Exception
        raise NotTranslatable(
            f"fhirpathpy cannot evaluate {selection!r}: {' '.join(str(error).split())[:160]}"
        ) from None
    if not all(isinstance(node, dict) and isinstance(node.get("linkId"), str) for node in found):
        raise NotTranslatable(f"{selection!r} does not select items")
    return [node["linkId"] for node in found]


def aggregate(expression: str, skeleton: Json) -> Aggregate:
    """The aggregate ``expression`` computes; NotTranslatable says why it is not one."""
    hows, weighted, link_ids = set(), set(), []
    for part in _split(expression.strip()):
        part = _normalised(part)
        match = _PART.match(part)
        if match is None:
            raise NotTranslatable(f"{part!r} is not a sum, average or count of item answers")
        hows.add(match["how"])
        weighted.add(match["weight"] is not None)
        link_ids += selected(match["items"], skeleton)
    if len(hows) > 1 or len(weighted) > 1:
        raise NotTranslatable("it mixes weighted and plain answers, or sums with averages or counts")
    how = hows.pop()
    if how != "sum" and len(_split(expression.strip())) > 1:
        raise NotTranslatable("it adds averages or counts together")
    return Aggregate(how, weighted.pop(), tuple(link_ids))


def _normalised(part: str) -> str:
    """The aggregate forms in use written one way: SDC's ``answers()`` (also bare, as LHC-Forms writes it,
    meaning every answer in the response) and ``sum(value.ordinal())`` as ``value.ordinal().sum()``."""
    if part.startswith("answers()"):
        part = f"%resource.{part}"
    part = _ANSWERS.sub(lambda m: f"{m['root']}.repeat(item).answer", part)
    return _SUM_OF.sub(lambda m: f".value.{m['weight']}().sum()", part)


def response_skeleton(items: Any) -> Json:
    """A QuestionnaireResponse with every item (and its nesting) of a Questionnaire's ``item`` list."""

    def copy(entries: Any) -> list[Json]:
        found = []
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("linkId"), str):
                node: Json = {"linkId": entry["linkId"]}
                if entry.get("item"):
                    node["item"] = copy(entry["item"])
                found.append(node)
        return found

    return {"resourceType": "QuestionnaireResponse", "item": copy(items)}


_CLAUSE = re.compile(
    r"^(?P<items>.+?\.where\(\s*linkId\s*=\s*'(?P<link>(?:[^'\\]|\\.)*)'\s*\))\.answer"
    r"(?:(?P<exists>\.exists\(\))|(?:\.value(?P<code>\.code)?\s*(?P<op>!=|<=|>=|=|<|>)\s*(?P<literal>.+)))$"
)
_LITERAL = re.compile(r"^(?:'(?P<string>(?:[^'\\]|\\.)*)'|(?P<integer>-?\d+)|(?P<boolean>true|false))$")


def enable_rules(expression: str, skeleton: Json) -> tuple[list[Json], str | None]:
    """An ``enableWhenExpression`` as the ``enableWhen`` list it means, and its enableBehavior: clauses
    ``<item>.answer.value[.code] <op> <literal>`` or ``<item>.answer.exists()`` joined by one of and/or."""
    text = " ".join(expression.split())
    has_and, has_or = " and " in text, " or " in text
    if has_and and has_or:
        raise NotTranslatable("it mixes and with or")
    clauses = [_unwrap(c.strip()) for c in text.split(" and " if has_and else " or ")]
    rules = [_enable_rule(clause, skeleton) for clause in clauses]
    return rules, ("all" if has_and else "any") if len(rules) > 1 else None


def _enable_rule(clause: str, skeleton: Json) -> Json:
    match = _CLAUSE.match(clause)
    if match is None:
        raise NotTranslatable(f"{clause!r} is not a comparison of one item's answer")
    link = match["link"]
    if selected(match["items"], skeleton) != [link]:
        raise NotTranslatable(f"{match['items']!r} does not reach item {link!r} (top-level only, or not there)")
    if match["exists"]:
        return {"question": link, "operator": "exists", "answerBoolean": True}
    literal = _LITERAL.match(match["literal"].strip())
    if literal is None:
        raise NotTranslatable(f"{match['literal']!r} is not a plain value")
    operator = match["op"]
    if literal["string"] is not None and match["code"]:
        return {"question": link, "operator": operator, "answerCoding": {"code": literal["string"]}}
    if literal["integer"] is not None and not match["code"]:
        return {"question": link, "operator": operator, "answerInteger": int(literal["integer"])}
    if literal["boolean"] is not None and not match["code"]:
        return {"question": link, "operator": operator, "answerBoolean": literal["boolean"] == "true"}
    if literal["string"] is not None:
        return {"question": link, "operator": operator, "answerString": literal["string"]}
    raise NotTranslatable(f"{clause!r} compares a code with a number")
