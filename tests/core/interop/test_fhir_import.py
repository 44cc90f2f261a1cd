"""Importing FHIR Questionnaires: what translates, what is refused item by item, and malformed files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smerteagent.core.errors import FormError
from smerteagent.core.forms.compiler import compile_form
from smerteagent.core.forms.loader import FormLibrary, validate_document
from smerteagent.core.forms.model import Form
from smerteagent.core.interop.fhir_import import ImportedForm, NothingImported, import_questionnaire
from smerteagent.core.scoring.engine import CompiledForm
from tests.core.interop.conftest import CORPUS, corpus


def compiled(imported: ImportedForm) -> CompiledForm:
    return compile_form(validate_document(imported.document, Form, "imported"), "imported")


def outcomes(imported: ImportedForm) -> dict[str, str]:
    return {line.link_id: line.outcome for line in imported.report}


def test_phq9_with_ordinal_values_scores_like_the_bundled_phq9(library: FormLibrary) -> None:
    imported = import_questionnaire(corpus("phq9_ordinal_value.json"), "phq9.json")
    form, bundled = compiled(imported), library.get("phq9")
    assert imported.scored and form.definition.codes[0].code == "44249-1"
    assert form.definition.scoring.results[0].codes[0].code == "44261-6"
    assert form.definition.instructions is not None and "2 weeks" in form.definition.instructions.en
    for answers in ([0] * 9, [3] * 9, [1, 2, 0, 3, 1, 0, 2, 1, 3]):
        ours = dict(zip(form.items, answers, strict=True))
        assert (
            form.score(ours).results["total"]
            == bundled.score({f"q{n}": a for n, a in enumerate(answers, 1)}).results["total"]
        )
    assert form.score({}).results["total"] is None  # unanswered items withhold the sum, as everywhere


def test_gad7_with_item_weight_keeps_both_languages() -> None:
    imported = import_questionnaire(corpus("gad7_item_weight_translations.json"), "gad7.json")
    form = compiled(imported)
    first = form.definition.items[0]
    assert (first.text.da, first.text.en) == (
        "Følt dig nervøs, ængstelig eller anspændt",
        "Feeling nervous, anxious, or on edge",
    )
    assert [(o.value, o.da) for o in form.options[first.id]][:2] == [(0, "Slet ikke"), (1, "Flere dage")]
    assert form.definition.title.da == "GAD-7 – angst (testkorpus)"
    assert form.definition.licence.danish == "official"
    assert form.score(dict.fromkeys(form.items, 2)).results["total"] == 14


def test_enable_when_becomes_conditions_and_hidden_items_score_zero() -> None:
    imported = import_questionnaire(corpus("enable_when_branching.json"), "branching.json")
    form = compiled(imported)
    items = {item.id: item for item in form.definition.items}
    assert items["per_day"].enable_when == "smoker == 1"
    assert items["wakes"].enable_when == "pain == 2 or per_day > 10"
    assert items["note"].enable_when == "answered(pain)" and items["note"].max_length == 500
    assert form.enabled_state({"smoker": 1, "per_day": 5, "pain": 0})["wakes"] is False
    # Weights 0/2 name the stored values; "wakes" is hidden, so it counts as its zero-weight answer.
    assert form.score({"smoker": 1, "per_day": 5, "pain": 0}).results["total"] == 0
    # A hidden, unanswered per_day leaves "per_day > 10" unknown: the sum is withheld, never guessed.
    assert form.score({"smoker": 0, "pain": 0}).flags == ("incomplete",)
    assert form.score({"smoker": 1, "per_day": 20, "pain": 2, "wakes": 2}).results["total"] == 4


def test_fhirpath_and_queries_are_refused_item_by_item_and_the_form_is_unscored() -> None:
    imported = import_questionnaire(corpus("fhirpath_refused.json"), "fhirpath.json")
    report = outcomes(imported)
    assert report["c"] == report["when"] == report["risk"] == "refused"
    assert report["a"] == "imported" and report["d"] == "imported"  # a FHIRPath comparison of a's answer
    assert not imported.scored and compiled(imported).score({"a": 2}).results == {"total": None}
    assert "NOT SCORED" in imported.document["source"]
    assert [item["id"] for item in imported.document["items"]] == ["a", "b", "d"]
    assert imported.document["items"][2]["enable_when"].startswith("a == ")


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("malformed_patient.json", "resourceType"),
        ("malformed_no_items.json", "item"),
        ("malformed_duplicate_link.json", "item[1].linkId"),
        ("malformed_missing_type.json", "item[0].type"),
        ("malformed_list.json", ""),
    ],
)
def test_malformed_questionnaires_name_what_and_where(name: str, where: str) -> None:
    with pytest.raises(FormError) as raised:
        import_questionnaire(corpus(name), name)
    assert raised.value.field_path == where and raised.value.file == name


def test_nothing_importable_is_its_own_error_with_the_report() -> None:
    with pytest.raises(NothingImported) as raised:
        import_questionnaire(corpus("malformed_only_refused.json"), "x.json")
    assert [line.outcome for line in raised.value.report] == ["refused", "refused"]


def test_the_corpus_is_valid_fhir_r4(fhir_r4: object) -> None:
    from fhir.resources.R4B.questionnaire import Questionnaire

    for path in sorted(Path(CORPUS).glob("*.json")):
        if not path.name.startswith("malformed"):
            Questionnaire.model_validate(json.loads(path.read_text(encoding="utf-8")))
