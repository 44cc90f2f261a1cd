"""What the FHIR mappings share: extension URLs, our canonical names, stable ids and bilingual text."""

from __future__ import annotations

import re
import uuid
from typing import Any

from smerteagent.core.forms.model import Coding, Text

Json = dict[str, Any]

LOINC = "http://loinc.org"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
ITEM_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
CALCULATED = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
# The older, core-package URL of the same extension, still used by published forms (e.g. LHC-Forms exports).
CALCULATED_CORE = "http://hl7.org/fhir/StructureDefinition/questionnaire-calculatedExpression"
CALCULATED_URLS = (CALCULATED, CALCULATED_CORE)
VARIABLE = "http://hl7.org/fhir/StructureDefinition/variable"
SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-"
ANSWER_EXPRESSION = f"{SDC}answerExpression"
# Prefill and population: they fill in answers from a record, which a consultation here asks for itself.
PREFILL = (
    f"{SDC}initialExpression", f"{SDC}candidateExpression", f"{SDC}itemPopulationContext",
    f"{SDC}launchContext", f"{SDC}sourceQueries", f"{SDC}observationLinkPeriod", f"{SDC}observationExtract",
    "http://hl7.org/fhir/StructureDefinition/questionnaire-initialExpression",
)  # fmt: skip
LICENCE_WORDING = "urn:smerteagent:licence-wording"
ENABLE_WHEN_EXPRESSION = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"
HIDDEN = "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden"
FHIRPATH = "text/fhirpath"
# Conditions our own expression language can state but enableWhen cannot (e.g. ``q2 + q3 > 0``); the
# Expression datatype's language binding is extensible, and other systems ignore a language they lack.
OWN_LANGUAGE = "text/x-smerteagent-expression"
CPR_SYSTEM = "urn:oid:1.2.208.176.1.2"

CANONICAL_PREFIX = "urn:smerteagent:form:"
# uuid5 namespace of the resources this program exports: the same record always gets the same fullUrl.
ID_NAMESPACE = uuid.UUID("6f1d8a52-3c1e-5b8e-9a57-1f0e2d4c7b91")


def canonical(form_id: str) -> str:
    """The Questionnaire.url of a form; responses reference ``canonical|version``."""
    return f"{CANONICAL_PREFIX}{form_id}"


def answer_system(form_id: str) -> str:
    """The code system of a form's own answer codes (the stored integer as text)."""
    return f"{CANONICAL_PREFIX}{form_id}:answer"


def result_system(form_id: str) -> str:
    return f"{CANONICAL_PREFIX}{form_id}:result"


def resource_id(form_id: str) -> str:
    """Resource ids allow ``[A-Za-z0-9-.]``; form ids never contain ``-``, so ``_`` -> ``-`` is reversible."""
    return form_id.replace("_", "-")


def stable_uuid(*parts: object) -> str:
    """A fullUrl that is the same every time the same record is exported."""
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, '/'.join(str(p) for p in parts))}"


def coding(code: Coding) -> Json:
    found: Json = {"system": code.system, "code": code.code}
    if code.display:
        found["display"] = code.display
    return found


def translated(text: Text, primary: str = "da") -> tuple[str, Json]:
    """A string in the primary language and its ``_element`` with the other language as a translation."""
    other = "en" if primary == "da" else "da"
    languages = [(other, text.get(other)), *text.other.items()]
    extensions = [{"url": TRANSLATION, "extension": [
        {"url": "lang", "valueCode": language}, {"url": "content", "valueString": content},
    ]} for language, content in languages]  # fmt: skip
    return text.get(primary), {"extension": extensions}


def translations(element: Any) -> dict[str, str]:
    """Language -> text from an ``_element``'s translation extensions (anything unreadable is ignored)."""
    found: dict[str, str] = {}
    if not isinstance(element, dict):
        return found
    for extension in element.get("extension") or []:
        if not isinstance(extension, dict) or extension.get("url") != TRANSLATION:
            continue
        parts = {p.get("url"): p for p in extension.get("extension") or [] if isinstance(p, dict)}
        language = (parts.get("lang") or {}).get("valueCode")
        content = (parts.get("content") or {}).get("valueString")
        if isinstance(language, str) and isinstance(content, str) and content.strip():
            found[language.split("-")[0].lower()] = content
    return found


def extension_value(element: Json, url: str) -> Any:
    """The value[x] of the first extension with ``url`` on ``element``, or None."""
    for extension in element.get("extension") or []:
        if isinstance(extension, dict) and extension.get("url") == url:
            for key, value in extension.items():
                if key.startswith("value"):
                    return value
    return None


def slug(text: str) -> str:
    """A form/item identifier (``^[a-z][a-z0-9_]*$``, at most 64) made from a FHIR id or linkId."""
    cleaned = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    if not cleaned or not cleaned[0].isalpha():
        cleaned = f"q_{cleaned}" if cleaned else "q"
    return cleaned[:64].rstrip("_")
