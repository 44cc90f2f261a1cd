"""Small builders for the SDC Questionnaires the import tests write themselves (no third-party files)."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]
SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-"
CALCULATED = f"{SDC}calculatedExpression"
CALCULATED_CORE = "http://hl7.org/fhir/StructureDefinition/questionnaire-calculatedExpression"
ITEM_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
VARIABLE = "http://hl7.org/fhir/StructureDefinition/variable"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
LOINC = "http://loinc.org"
FREQUENCY = [("LA6568-5", "Not at all"), ("LA6569-3", "Several days"), ("LA6570-1", "More than half the days"),
             ("LA6571-9", "Nearly every day")]  # fmt: skip


def option(code: str, display: str, weight: float | None, url: str = ITEM_WEIGHT, system: str = LOINC) -> Json:
    found: Json = {"valueCoding": {"system": system, "code": code, "display": display}}
    if weight is not None:
        found["extension"] = [{"url": url, "valueDecimal": weight}]
    return found


def choice(link_id: str, text: str, weights: tuple[float, ...] | None = (0, 1, 2, 3), url: str = ITEM_WEIGHT) -> Json:
    options = [option(code, display, None if weights is None else weights[n], url)
               for n, (code, display) in enumerate(FREQUENCY)]  # fmt: skip
    return {"linkId": link_id, "type": "choice", "text": text, "answerOption": options}


def calculated(link_id: str, expression: str, url: str = CALCULATED, kind: str = "integer") -> Json:
    value = {"language": "text/fhirpath", "expression": expression}
    return {"linkId": link_id, "type": kind, "readOnly": True, "text": "Total score",
            "extension": [{"url": url, "valueExpression": value}]}  # fmt: skip


def variable(name: str, expression: str) -> Json:
    return {"url": VARIABLE, "valueExpression": {"name": name, "language": "text/fhirpath", "expression": expression}}


def questionnaire(items: list[Json], **fields: Any) -> Json:
    return {"resourceType": "Questionnaire", "id": "test-form", "url": "http://example.org/Questionnaire/test",
            "status": "active", "language": "en", "item": items, **fields}  # fmt: skip


def translation(language: str, content: str) -> Json:
    return {"url": TRANSLATION, "extension": [{"url": "lang", "valueCode": language},
                                              {"url": "content", "valueString": content}]}  # fmt: skip


def phq9_items(url: str = ITEM_WEIGHT) -> list[Json]:
    return [choice(f"q{n}", f"PHQ-9 question {n}", url=url) for n in range(1, 10)]
