"""A form as a FHIR R4 Questionnaire (plain dict): LOINC codes, answer weights, enableWhen, calculated sums.

Danish is the primary language; English rides along as the standard translation extension. Each option
carries the points it scores in the form's total as both ``ordinalValue`` (R4) and ``itemWeight`` (the
newer name), and every result that is a plain weighted sum of those points becomes a read-only item with
an SDC ``calculatedExpression``, so that another system — or our own import — scores it the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from smerteagent.core.forms.model import Item, Option, Result, Term, Text
from smerteagent.core.interop.fhir_common import (
    CALCULATED,
    ENABLE_WHEN_EXPRESSION,
    FHIRPATH,
    ITEM_CONTROL,
    ITEM_CONTROL_SYSTEM,
    ITEM_WEIGHT,
    LICENCE_WORDING,
    MAX_VALUE,
    MIN_VALUE,
    ORDINAL_VALUE,
    OWN_LANGUAGE,
    Json,
    answer_system,
    canonical,
    coding,
    resource_id,
    translated,
)
from smerteagent.core.interop.fhir_enable import Question, QuestionKind, to_enable_when
from smerteagent.core.interop.fhir_scoring import sum_expression
from smerteagent.core.scoring.computations import term_tables
from smerteagent.core.scoring.engine import CompiledForm
from smerteagent.core.scoring.result import Number

INSTRUCTIONS_LINK = "form-instructions"
STEM_SUFFIX = "-instructions"  # an item's own stem: a display item "<item id>-instructions" just before it


@dataclass
class QuestionnaireExport:
    """The Questionnaire and what could not be said in FHIR (scoring rules beyond weighted sums, …)."""

    resource: Json
    warnings: list[str] = field(default_factory=list)


def _item_values(form: CompiledForm, item_id: str) -> list[int]:
    rule = form.items[item_id]
    if rule.allowed is not None:
        return sorted(rule.allowed)
    assert rule.low is not None and rule.high is not None
    return list(range(rule.low, rule.high + 1))


def _terms(form: CompiledForm, result: Result) -> list[Term]:
    return [Term(item=entry) if isinstance(entry, str) else entry for entry in result.items]


def _tables(form: CompiledForm, result: Result) -> dict[str, Mapping[int, Number]] | None:
    """Item -> points in a plain sum (no sex weights, each item once); None for anything else."""
    terms = _terms(form, result)
    if result.method != "sum" or not terms or max(Counter(t.item for t in terms).values()) > 1:
        return None
    values = {t.item: _item_values(form, t.item) for t in terms}
    tables = term_tables(terms, values)
    if any(table.needs_sex for table in tables):
        return None
    return {table.item: table.by_sex[None] for table in tables}


def option_weights(form: CompiledForm) -> dict[str, dict[int, Number]]:
    """The points each option scores in the total when that is a plain sum, else its stored value."""
    weights: dict[str, dict[int, Number]] = {i: {o.value: o.value for o in opts} for i, opts in form.options.items()}
    total = next((r for r in form.definition.scoring.results if r.id == "total"), None)
    tables = _tables(form, total) if total is not None else None
    for item_id, table in (tables or {}).items():
        if item_id in weights:
            weights[item_id] = dict(table)
    return weights


def _sum_items(form: CompiledForm, result: Result, weights: Mapping[str, Mapping[int, Number]]) -> str | None:
    """The calculatedExpression of ``result`` if its points are exactly the exported weights."""
    tables = _tables(form, result)
    if tables is None:
        return None
    weighted, integers = [], []
    for item_id, table in tables.items():
        if item_id in weights:
            if dict(table) != dict(weights[item_id]):
                return None
            weighted.append(item_id)
        elif all(points == value for value, points in table.items()):
            integers.append(item_id)
        else:
            return None
    return sum_expression(weighted, integers)


def _answer_option(form_id: str, option: Option, weight: Number) -> Json:
    if option.codes:
        value = coding(option.codes[0])
    else:
        display, element = translated(Text(da=option.da, en=option.en, other=option.other))
        value = {"system": answer_system(form_id), "code": str(option.value), "display": display,
                 "_display": element}  # fmt: skip
    return {"valueCoding": value, "extension": [
        {"url": ORDINAL_VALUE, "valueDecimal": weight}, {"url": ITEM_WEIGHT, "valueDecimal": weight},
    ]}  # fmt: skip


def _question(form: CompiledForm, item: Item, weights: Mapping[str, Mapping[int, Number]]) -> Json:
    text, element = translated(item.text)
    found: Json = {"linkId": item.id, "text": text, "_text": element}
    if item.codes:
        found["code"] = [coding(c) for c in item.codes]
    if item.type in ("choice", "yes_no"):
        found["type"] = "choice"
        found["answerOption"] = [
            _answer_option(form.id, option, weights[item.id][option.value]) for option in form.options[item.id]
        ]
    elif item.type == "numeric":
        found["type"] = "integer"
        bounds = ((MIN_VALUE, item.min), (MAX_VALUE, item.max))
        found["extension"] = [{"url": url, "valueInteger": value} for url, value in bounds]
    else:
        found["type"] = "string"
        found["maxLength"] = item.max_length
    found["required"] = item.required
    if item.help is not None:
        help_text, help_element = translated(item.help)
        control = {"coding": [{"system": ITEM_CONTROL_SYSTEM, "code": "help"}]}
        found["item"] = [{"linkId": f"{item.id}-help", "type": "display", "text": help_text, "_text": help_element,
                          "extension": [{"url": ITEM_CONTROL, "valueCodeableConcept": control}]}]  # fmt: skip
    return found


def _questions(form: CompiledForm) -> dict[str, Question]:
    found = {}
    for item in form.definition.items:
        kinds: dict[str, QuestionKind] = {"choice": "choice", "yes_no": "choice", "numeric": "integer"}
        kind = kinds.get(item.type, "text")
        options = {o.value: _answer_coding(form.id, o) for o in form.options.get(item.id, ())}
        found[item.id] = Question(kind, options)
    return found


def _answer_coding(form_id: str, option: Option) -> Json:
    if option.codes:
        return coding(option.codes[0])
    return {"system": answer_system(form_id), "code": str(option.value)}


def _condition(item: Item, questions: Mapping[str, Question], warnings: list[str]) -> Json:
    assert item.enable_when is not None
    translated_condition = to_enable_when(item.enable_when, questions)
    if translated_condition is None:
        warnings.append(
            f"item {item.id}: condition {item.enable_when!r} cannot be stated as enableWhen; it is exported as an "
            f"enableWhenExpression in SmerteAgent's own language ({OWN_LANGUAGE}), which other systems may ignore"
        )
        expression = {"language": OWN_LANGUAGE, "expression": item.enable_when}
        return {"extension": [{"url": ENABLE_WHEN_EXPRESSION, "valueExpression": expression}]}
    conditions, behaviour = translated_condition
    return {"enableWhen": conditions, **({"enableBehavior": behaviour} if behaviour else {})}


def _calculated(form: CompiledForm, weights: Mapping[str, Mapping[int, Number]], warnings: list[str]) -> list[Json]:
    items = []
    for result in form.definition.scoring.results:
        if result.hidden:
            continue
        expression = _sum_items(form, result, weights)
        if expression is None:
            warnings.append(
                f"result {result.id} ({result.method}) is not a plain weighted sum of the exported answer weights; "
                "it is not in the Questionnaire (the Observations of a response still carry it)"
            )
            continue
        low, high = result.range
        found: Json = {"linkId": result.id, "type": "integer" if float(low).is_integer() and float(high).is_integer()
                       and _integral(weights) else "decimal", "readOnly": True, "required": False}  # fmt: skip
        if result.label is not None:
            found["text"], found["_text"] = translated(result.label)
        else:
            found["text"] = result.id
        if result.codes:
            found["code"] = [coding(c) for c in result.codes]
        found["extension"] = [{"url": CALCULATED, "valueExpression": {"language": FHIRPATH, "expression": expression}}]
        items.append(found)
    return items


def _integral(weights: Mapping[str, Mapping[int, Number]]) -> bool:
    return all(float(w).is_integer() for table in weights.values() for w in table.values())


def export_questionnaire(form: CompiledForm) -> QuestionnaireExport:
    """The Questionnaire for ``form``; ids and codes are the same on every export of the same version."""
    definition = form.definition
    warnings: list[str] = []
    weights = option_weights(form)
    questions = _questions(form)
    title, title_element = translated(definition.title)
    resource: Json = {
        "resourceType": "Questionnaire", "id": resource_id(form.id), "language": "da", "url": canonical(form.id),
        "version": definition.version, "name": form.id.upper(), "title": title, "_title": title_element,
        "status": "active", "subjectType": ["Patient"], "description": definition.source,
        "copyright": definition.licence.terms,
        "extension": [{"url": LICENCE_WORDING, "valueCode": definition.licence.wording}],
    }  # fmt: skip
    if definition.codes:
        resource["code"] = [coding(c) for c in definition.codes]
    items: list[Json] = []
    if definition.instructions is not None:
        text, element = translated(definition.instructions)
        items.append({"linkId": INSTRUCTIONS_LINK, "type": "display", "text": text, "_text": element})
    for item in definition.items:
        if item.instructions:  # the item's own stem, read just before it (false: none, and nothing to say)
            text, element = translated(item.instructions)
            items.append({"linkId": f"{item.id}{STEM_SUFFIX}", "type": "display", "text": text, "_text": element})
        question = _question(form, item, weights)
        if item.enable_when is not None:
            condition = _condition(item, {k: v for k, v in questions.items() if k != item.id}, warnings)
            question = {**question, **{k: v for k, v in condition.items() if k != "extension"}}
            if "extension" in condition:
                question["extension"] = [*question.get("extension", []), *condition["extension"]]
        items.append(question)
    items += _calculated(form, weights, warnings)
    if definition.scoring.bands or definition.scoring.flags:
        warnings.append(
            "bands and flags are not part of a Questionnaire (an import of it has none); a response's Observations "
            "carry them"
        )
    resource["item"] = items
    return QuestionnaireExport(resource, warnings)
