"""What the FHIR import reads from single elements: answer options and their weights, stored values,
calculations, prefill, the item tree — small pure functions, one per question the importer asks."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from smerteagent.core.interop.fhir_common import (
    CALCULATED_URLS,
    FHIRPATH,
    ITEM_WEIGHT,
    ORDINAL_VALUE,
    PREFILL,
    Json,
    extension_value,
)

INTEGER = re.compile(r"^-?\d+$")


def structure(items: Any) -> list[dict[str, Any]]:
    """The item tree by linkId (for results evaluated as FHIRPath, which may read the nesting)."""
    found = []
    for entry in items if isinstance(items, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("linkId"), str):
            node: dict[str, Any] = {"link_id": entry["linkId"]}
            if entry.get("item"):
                node["item"] = structure(entry["item"])
            found.append(node)
    return found


def prefill_note(item: Json) -> str:
    """Prefill and population rules are noted and ignored: every answer here is given in the consultation."""
    found = [url.rsplit("-", 1)[-1].rsplit("/", 1)[-1] for url in PREFILL if extension_value(item, url) is not None]
    found += [key for key in ("initial", "initialExpression") if key in item]
    return f"{', '.join(sorted(set(found)))} (prefill) ignored: the item starts empty" if found else ""


def calculation(item: Json) -> Any:
    """The item's calculatedExpression under either URL (SDC's, or the older core one), or None."""
    for url in CALCULATED_URLS:
        found = extension_value(item, url)
        if found is not None:
            return found
    return None


def static_answers(resource: Json, expression: Any) -> tuple[list[Json] | None, str]:
    """The options an answerExpression gives when it reads nothing but the Questionnaire itself."""
    if not isinstance(expression, dict) or expression.get("language") != FHIRPATH:
        return None, "answerExpression is not FHIRPath (x-fhir-query needs a server); it cannot be translated"
    source = str(expression.get("expression") or "")
    if re.search(r"%(?!questionnaire\b)[A-Za-z]|\banswer\b|\bresolve\(", source):
        return None, f"answerExpression {source!r} depends on the answers or the record; it cannot be fixed as options"
    from fhirpathpy import evaluate

    try:
        found = evaluate(resource, source, {"questionnaire": resource})
    except Exception as error:  # fhirpathpy raises plain Exception
        return None, f"answerExpression {source!r} cannot be evaluated: {' '.join(str(error).split())[:160]}"
    if not found or not all(isinstance(c, dict) and c.get("code") for c in found):
        return None, f"answerExpression {source!r} does not give a list of codings"
    return [{"valueCoding": c} for c in found], ""


def shared_options(items: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Answer lists used by several items become named option sets (a long form's file stays small)."""
    keys = [json.dumps(item["options"], sort_keys=True) if item["type"] == "choice" else None for item in items]
    counts = Counter(keys)
    shared = [key for key in counts if key is not None and counts[key] > 1]
    names = {key: f"answers_{number}" for number, key in enumerate(shared, 1)}
    sets = {names[key]: json.loads(key) for key in shared}
    found = [{**item, "options": names[key]} if key in names else item for item, key in zip(items, keys, strict=True)]
    return sets, found


def coding_of(value: Any) -> dict[str, str] | None:
    if not isinstance(value, dict) or not value.get("system") or not value.get("code"):
        return None
    found = {"system": str(value["system"]), "code": str(value["code"])}
    if value.get("display"):
        found["display"] = str(value["display"])
    return found


def option_weight(option: Json) -> float | None:
    for place in (option, option.get("valueCoding") or {}):
        for url in (ITEM_WEIGHT, ORDINAL_VALUE):
            value = extension_value(place, url) if isinstance(place, dict) else None
            if isinstance(value, int | float) and not isinstance(value, bool):
                return float(value)
    return None


def read_option(option: Any) -> tuple[str, Any, int | None, float | None] | None:
    """Label, its translations element, an integer the option names itself by (if any), and its weight."""
    if not isinstance(option, dict):
        return None
    weight = option_weight(option)
    if isinstance(option.get("valueCoding"), dict):
        value = option["valueCoding"]
        code = str(value.get("code") or "")
        label = str(value.get("display") or code)
        if not label:
            return None
        return label, value.get("_display"), int(code) if INTEGER.match(code) else None, weight
    if isinstance(option.get("valueInteger"), int) and not isinstance(option["valueInteger"], bool):
        return str(option["valueInteger"]), None, option["valueInteger"], weight
    if isinstance(option.get("valueString"), str) and option["valueString"].strip():
        text = option["valueString"]
        return text, option.get("_valueString"), int(text) if INTEGER.match(text.strip()) else None, weight
    return None


def stored_values(integers: list[int | None], weights: list[float | None]) -> tuple[list[int], bool]:
    """Stored values: the options' own integers, else distinct whole weights, else positions (True)."""
    if None not in integers and len(set(integers)) == len(integers):
        return [int(i) for i in integers if i is not None], False
    if all(w is not None and float(w).is_integer() for w in weights) and len(set(weights)) == len(weights):
        return [int(w) for w in weights if w is not None], False
    return list(range(len(integers))), True


def values_of(document: dict[str, Any]) -> list[int]:
    if document["type"] == "numeric":
        return list(range(document["min"], document["max"] + 1))
    if document["type"] == "yes_no":
        return [0, 1]
    return [option["value"] for option in document["options"]]


def number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
