"""Answer lists from ValueSets contained in the Questionnaire itself — no terminology server needed.

``answerValueSet: "#id"`` (or the canonical URL of a contained ValueSet) becomes the same answer options
an ``answerOption`` list would give: each concept's coding, its display and designations (languages),
and its weight (``itemWeight``/``ordinalValue`` on the concept, an ``itemWeight`` property of an expansion
entry, or the ``itemWeight`` property of a contained CodeSystem). A ValueSet that is not in the file is
refused: resolving it needs a server.
"""

from __future__ import annotations

from typing import Any

from smerteagent.core.interop.fhir_common import ITEM_WEIGHT, ORDINAL_VALUE, TRANSLATION, Json, extension_value


def _contained(resource: Json, kind: str) -> list[Json]:
    found = resource.get("contained")
    return (
        [r for r in found if isinstance(r, dict) and r.get("resourceType") == kind] if isinstance(found, list) else []
    )


def find_value_set(resource: Json, reference: str) -> Json | None:
    """The contained ValueSet ``reference`` names (``#id``, or its url with an optional ``|version``)."""
    for value_set in _contained(resource, "ValueSet"):
        if reference.startswith("#") and value_set.get("id") == reference[1:]:
            return value_set
        if not reference.startswith("#") and value_set.get("url") == reference.split("|")[0]:
            return value_set
    return None


def _code_system_weights(resource: Json) -> dict[tuple[str, str], float]:
    """(system, code) -> the ``itemWeight`` property of concepts in contained CodeSystems."""
    weights: dict[tuple[str, str], float] = {}
    for code_system in _contained(resource, "CodeSystem"):
        for concept in code_system.get("concept") or []:
            if not isinstance(concept, dict):
                continue
            for prop in concept.get("property") or []:
                if not isinstance(prop, dict) or prop.get("code") not in ("itemWeight", "weight", "ordinalValue"):
                    continue
                value: Any = prop.get("valueDecimal", prop.get("valueInteger"))
                if _is_number(value):
                    weights[(str(code_system.get("url")), str(concept.get("code")))] = float(value)
    return weights


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _display_element(concept: Json) -> Json | None:
    """Designations with a language as the translation extensions a display would carry."""
    extensions = [
        {
            "url": TRANSLATION,
            "extension": [{"url": "lang", "valueCode": d["language"]}, {"url": "content", "valueString": d["value"]}],
        }
        for d in concept.get("designation") or []
        if isinstance(d, dict) and isinstance(d.get("language"), str) and isinstance(d.get("value"), str)
    ]
    return {"extension": extensions} if extensions else concept.get("_display")


def _option(system: str, concept: Json, weights: dict[tuple[str, str], float]) -> Json:
    coding: Json = {"system": system, "code": str(concept.get("code") or "")}
    if isinstance(concept.get("display"), str):
        coding["display"] = concept["display"]
    element = _display_element(concept)
    if element is not None:
        coding["_display"] = element
    option: Json = {"valueCoding": coding}
    weight = next((v for url in (ITEM_WEIGHT, ORDINAL_VALUE) if _is_number(v := extension_value(concept, url))), None)
    if weight is None:
        weight = _property_weight(concept)
    if weight is None:
        weight = weights.get((system, coding["code"]))
    if weight is not None:
        option["extension"] = [{"url": ITEM_WEIGHT, "valueDecimal": weight}]
    return option


_WEIGHT_PROPERTIES = ("itemWeight", "weight", "ordinalValue")
# R5's ValueSet.expansion.contains.property, as R4 files carry it (the cross-version extension)
CONTAINS_PROPERTY = "http://hl7.org/fhir/5.0/StructureDefinition/extension-ValueSet.expansion.contains.property"


def _property_weight(entry: Json) -> float | None:
    """The weight an expansion entry states as a property (R5 ``property``, or the R4 extension for it)."""
    for prop in entry.get("property") or []:
        if isinstance(prop, dict) and prop.get("code") in _WEIGHT_PROPERTIES:
            value: Any = prop.get("valueDecimal", prop.get("valueInteger"))
            if _is_number(value):
                return float(value)
    for extension in entry.get("extension") or []:
        if not isinstance(extension, dict) or extension.get("url") != CONTAINS_PROPERTY:
            continue
        parts = {e.get("url"): e for e in extension.get("extension") or [] if isinstance(e, dict)}
        code, value = parts.get("code", {}), parts.get("value", {})
        number: Any = value.get("valueDecimal", value.get("valueInteger"))
        if code.get("valueCode") in _WEIGHT_PROPERTIES and _is_number(number):
            return float(number)
    return None


def options_from(resource: Json, value_set: Json) -> list[Json] | None:
    """The ValueSet's concepts as ``answerOption`` entries; None when it lists none (only filters)."""
    weights = _code_system_weights(resource)
    found: list[Json] = []
    expansion = value_set.get("expansion")
    if isinstance(expansion, dict) and isinstance(expansion.get("contains"), list):
        for entry in expansion["contains"]:
            if isinstance(entry, dict) and entry.get("code"):
                found.append(_option(str(entry.get("system") or ""), entry, weights))
        return found or None
    compose = value_set.get("compose")
    for include in (compose.get("include") or []) if isinstance(compose, dict) else []:
        if not isinstance(include, dict) or include.get("filter") or include.get("valueSet"):
            return None  # an intensional definition: only a terminology server can expand it
        concepts = include.get("concept")
        if not isinstance(concepts, list):
            concepts = _system_concepts(resource, str(include.get("system")))
        for concept in concepts:
            if isinstance(concept, dict) and concept.get("code"):
                found.append(_option(str(include.get("system") or ""), concept, weights))
    return found or None


def _system_concepts(resource: Json, system: str) -> list[Any]:
    """All concepts of a contained CodeSystem a ValueSet includes whole."""
    for code_system in _contained(resource, "CodeSystem"):
        if code_system.get("url") == system and isinstance(code_system.get("concept"), list):
            return list(code_system["concept"])
    return []
