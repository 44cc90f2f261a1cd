"""Every bundled form exports as a valid FHIR R4 Questionnaire with its codes, weights and conditions."""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest

from smerteagent.core.forms.compiler import compile_form
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.forms.model import Text
from smerteagent.core.interop.fhir_common import ITEM_WEIGHT, LOINC, ORDINAL_VALUE, extension_value, translations
from smerteagent.core.interop.fhir_export import export_questionnaire

PHQ9_ITEMS = ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"]


def validate(fhir_r4: Any, resource: dict[str, Any]) -> Any:
    module = importlib.import_module(f"fhir.resources.R4B.{resource['resourceType'].lower()}")
    return getattr(module, resource["resourceType"]).model_validate(resource)


def items_by_link(resource: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["linkId"]: item for item in resource["item"]}


def test_every_bundled_form_is_a_valid_questionnaire(library: FormLibrary, fhir_r4: Any) -> None:
    for form in library.forms.values():
        exported = export_questionnaire(form).resource
        validate(fhir_r4, exported)
        assert [i["linkId"] for i in exported["item"] if i["type"] != "display"][: len(form.items)] == list(form.items)


def test_export_is_the_same_every_time(library: FormLibrary) -> None:
    first = json.dumps(export_questionnaire(library.get("cssrs_screener")).resource, sort_keys=True)
    assert first == json.dumps(export_questionnaire(library.get("cssrs_screener")).resource, sort_keys=True)
    assert export_questionnaire(library.get("cssrs_screener")).resource["id"] == "cssrs-screener"


def test_phq9_carries_loinc_codes_weights_and_total(library: FormLibrary) -> None:
    resource = export_questionnaire(library.get("phq9")).resource
    assert resource["code"][0]["system"] == LOINC and resource["code"][0]["code"] == "44249-1"
    items = items_by_link(resource)
    assert [items[f"q{n}"]["code"][0]["code"] for n in range(1, 10)] == PHQ9_ITEMS
    weights = [extension_value(o, ORDINAL_VALUE) for o in items["q9"]["answerOption"]]
    assert weights == [0, 1, 2, 3] == [extension_value(o, ITEM_WEIGHT) for o in items["q9"]["answerOption"]]
    assert items["total"]["code"][0]["code"] == "44261-6" and items["total"]["readOnly"] is True
    assert translations(items["q1"]["_text"]) == {"en": "Little interest or pleasure in doing things"}


def test_recoded_items_export_their_points_as_weights(library: FormLibrary) -> None:
    items = items_by_link(export_questionnaire(library.get("dast10")).resource)
    # DAST-10 q3 scores a point for "no": the stored values stay 0/1, the weights say what counts.
    assert [(o["valueCoding"]["code"], extension_value(o, ORDINAL_VALUE)) for o in items["q3"]["answerOption"]] == [
        ("0", 1), ("1", 0),
    ]  # fmt: skip


def test_conditions_become_enable_when(library: FormLibrary) -> None:
    items = items_by_link(export_questionnaire(library.get("cssrs_screener")).resource)
    assert items["q3"]["enableWhen"] == [
        {"question": "q2", "operator": "=", "answerCoding": {"system": "urn:smerteagent:form:cssrs_screener:answer",
                                                             "code": "1"}}
    ]  # fmt: skip
    asq = items_by_link(export_questionnaire(library.get("asq")).resource)
    assert asq["q5"]["enableBehavior"] == "any" and len(asq["q5"]["enableWhen"]) == 8


@pytest.mark.parametrize(("form_id", "warned"), [("audit", "q4: condition 'q2 + q3 > 0'"), ("ort", "result total")])
def test_what_fhir_cannot_say_is_reported(library: FormLibrary, form_id: str, warned: str) -> None:
    exported = export_questionnaire(library.get(form_id))
    assert any(warned in warning for warning in exported.warnings)
    if form_id == "ort":  # sex-dependent points: no calculated total rather than a wrong one
        assert "total" not in items_by_link(exported.resource)


def test_an_items_own_stem_is_a_display_item_just_before_it(library: FormLibrary, fhir_r4: Any) -> None:
    """PHQ-9 q10 has no stem (``instructions: false``): the export is as before, the form's instructions
    heading the questionnaire; an item with its own stem gets a display item just before it."""
    phq9 = library.get("phq9")
    resource = export_questionnaire(phq9).resource
    assert [i["linkId"] for i in resource["item"] if i["type"] == "display"] == ["form-instructions"]
    assert resource["item"][0]["text"].startswith("Hvor ofte har du inden for de sidste 2 uger")
    items = list(phq9.definition.items)
    items[9] = items[9].model_copy(update={"instructions": Text(da="Til sidst:", en="Finally:")})
    definition = phq9.definition.model_copy(update={"items": items})
    own = export_questionnaire(compile_form(definition, "phq9.yaml")).resource
    validate(fhir_r4, own)
    links = [i["linkId"] for i in own["item"]]
    assert links[links.index("q10") - 1] == "q10-instructions"
    stem = items_by_link(own)["q10-instructions"]
    assert stem["type"] == "display" and stem["text"] == "Til sidst:"
    assert translations(stem["_text"]) == {"en": "Finally:"}
