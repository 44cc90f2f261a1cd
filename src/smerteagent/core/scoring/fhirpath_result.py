"""Results of imported FHIR forms whose FHIRPath could not be translated: evaluated at score time.

The answers are written as the QuestionnaireResponse the original form would have produced (its item
tree, its answer codings), and fhirpathpy evaluates the file's expression over it, with ``weight()`` and
``ordinal()`` looked up in the form's weights. Our missing-answer rule still holds: the result is withheld
while any item it reads is unanswered, and when the expression gives anything but one number within the
declared range. This is slower than our own methods (milliseconds), and only ever used for such results.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from smerteagent.core.expr import Value
from smerteagent.core.forms.model import FhirNode, Form, Option, Result
from smerteagent.core.scoring.engine import MISSING, Computation
from smerteagent.core.scoring.result import Number

Json = dict[str, Any]


def _answer_builders(form: Form, options: Mapping[str, tuple[Option, ...]]) -> dict[str, Any]:
    """Item id -> a function from the stored value to the FHIR answer the original form would hold."""
    builders: dict[str, Any] = {}
    for item in form.items:
        by_value = {o.value: o for o in options.get(item.id, ())}
        if item.type == "yes_no":
            builders[item.id] = lambda v: {"valueBoolean": bool(v)}
        elif item.type == "choice":
            builders[item.id] = lambda v, by_value=by_value, item_id=item.id: _coded(form.id, item_id, by_value, v)
        elif item.type == "numeric":
            builders[item.id] = lambda v: {"valueInteger": v}
        else:
            builders[item.id] = lambda v: {"valueString": v}
    return builders


def _coded(form_id: str, item_id: str, by_value: Mapping[int, Option], value: int) -> Json:
    option = by_value.get(value)
    if option is not None and option.codes:
        return {"valueCoding": {"system": option.codes[0].system, "code": option.codes[0].code}}
    return {"valueCoding": {"system": f"urn:smerteagent:form:{form_id}:{item_id}", "code": str(value)}}


def _weights(form: Form, builders: Mapping[str, Any]) -> dict[tuple[str, str], float]:
    """(system, code) of each answer coding -> its weight."""
    assert form.fhir is not None
    found: dict[tuple[str, str], float] = {}
    for item_id, table in form.fhir.weights.items():
        for value, weight in table.items():
            coding = builders[item_id](value).get("valueCoding") if item_id in builders else None
            if coding is not None:
                found[(coding["system"], coding["code"])] = weight
    return found


def _tree(nodes: list[FhirNode], item_of: Mapping[str, str], answers: Mapping[str, Json]) -> list[Json]:
    found = []
    for node in nodes:
        entry: Json = {"linkId": node.link_id}
        own = item_of.get(node.link_id)
        if own is not None and own in answers:
            entry["answer"] = [answers[own]]
        if node.item:
            entry["item"] = _tree(node.item, item_of, answers)
        found.append(entry)
    return found


def fhirpath_computation(result: Result, form: Form, options: Mapping[str, tuple[Option, ...]]) -> Computation:
    """The closure evaluating ``result.fhirpath``; ValueError when fhirpathpy cannot parse it."""
    from fhirpathpy import compile as compile_fhirpath
    from fhirpathpy.models import models

    assert form.fhir is not None and result.fhirpath is not None
    builders = _answer_builders(form, options)
    weights = _weights(form, builders)

    def weight(inputs: list[Any]) -> list[Decimal]:
        found = []
        for node in inputs:
            coding = node.get("valueCoding", node) if isinstance(node, dict) else None
            key = (coding.get("system"), coding.get("code")) if isinstance(coding, dict) else None
            if key in weights:
                found.append(Decimal(str(weights[key])))
        return found

    table = {name: {"fn": weight, "arity": {0: []}} for name in ("weight", "ordinal")}
    try:
        evaluate = compile_fhirpath(result.fhirpath, models["r4"], {"userInvocationTable": table})
    except Exception as error:  # fhirpathpy reports syntax errors as plain Exception
        raise ValueError(f"fhirpathpy cannot parse {result.fhirpath!r}: {' '.join(str(error).split())[:160]}") from None
    item_of = {link: own for own, link in form.fhir.link_ids.items() if own in builders}
    needs = tuple(str(item) for item in result.items)
    low, high = result.range

    def compute(values: dict[str, Value], sex: str | None) -> tuple[Number | None, int]:
        if any(values.get(item) is None for item in needs):
            return None, MISSING
        answers = {i: builders[i](v) for i, v in values.items() if i in builders and v is not None}
        response = {"resourceType": "QuestionnaireResponse", "item": _tree(list(form.fhir.structure), item_of, answers)}  # type: ignore[union-attr]
        try:
            found = evaluate(response, {"resource": response, "context": response})
        except Exception:  # a runtime error in the file's expression: no value, never a guess
            return None, MISSING
        if len(found) != 1 or isinstance(found[0], bool) or not isinstance(found[0], int | float | Decimal):
            return None, MISSING
        value = float(found[0])
        if not low <= value <= high:
            return None, MISSING
        return (int(value) if value.is_integer() else value), 0

    return compute
