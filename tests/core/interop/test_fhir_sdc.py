"""SDC features of real-world Questionnaires, each in a Questionnaire written here: calculated scores
under both extension URLs, variables, FHIRPath sums/means/counts, contained ValueSets, prefill, languages,
licence, and item-level refusals that name the linkId and the reason."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smerteagent.core.errors import FormError
from smerteagent.core.forms.compiler import compile_form
from smerteagent.core.forms.loader import FormLibrary, validate_document
from smerteagent.core.forms.model import Form
from smerteagent.core.interop.fhir_import import ImportedForm, import_questionnaire
from smerteagent.core.scoring.engine import CompiledForm
from smerteagent.paths import bundled_forms_dir
from tests.core.interop.sdc import (
    CALCULATED_CORE,
    ORDINAL_VALUE,
    calculated,
    choice,
    phq9_items,
    questionnaire,
    translation,
    variable,
)

REST = "%resource.repeat(item).where(linkId != 'total')"
BUNDLED = FormLibrary.load([bundled_forms_dir()])


def imported(resource: dict[str, Any]) -> tuple[ImportedForm, CompiledForm]:
    found = import_questionnaire(resource, "test.json")
    return found, compile_form(validate_document(found.document, Form, "test"), "test")


def report(found: ImportedForm) -> dict[str, tuple[str, str]]:
    return {line.link_id: (line.outcome, line.message) for line in found.report}


def phq9_answers(form: CompiledForm, answers: list[int | None]) -> dict[str, int]:
    return {item: value for item, value in zip(form.items, answers, strict=True) if value is not None}


@pytest.mark.parametrize(
    "expression",
    [
        f"{REST}.answer.weight().sum()",
        f"{REST}.answer.value.weight().sum()",
        f"{REST}.answer.value.ordinal().sum()",
        "%resource.item.where(linkId != 'total').answer.value.weight().sum()",
        "%resource.answers().value.weight().sum()",
        "answers().sum(value.ordinal())",
        "%resource.item.answer.sum(value.weight())",
        " + ".join(f"%resource.item.where(linkId = 'q{n}').answer.weight().sum()" for n in range(1, 10)),
    ],
)
def test_weighted_sums_in_fhirpath_score_like_the_bundled_phq9(expression: str, library: FormLibrary) -> None:
    found, form = imported(questionnaire([*phq9_items(), calculated("total", expression)]))
    assert found.scored, found.report
    bundled = library.get("phq9")
    for answers in ([0] * 9, [3] * 9, [1, 2, 0, 3, 1, 0, 2, 1, 3]):
        ours = form.score(phq9_answers(form, list(answers))).results["total"]
        assert ours == bundled.score({f"q{n}": a for n, a in enumerate(answers, 1)}).results["total"]


def test_the_older_core_calculated_expression_url_is_a_score_not_a_question() -> None:
    found, form = imported(questionnaire([*phq9_items(), calculated("total", f"{REST}.answer.weight().sum()",
                                                                     url=CALCULATED_CORE)]))  # fmt: skip
    assert found.scored and "total" not in form.items and len(form.items) == 9
    assert "(scoring)" not in report(found)  # never "answer weights but no calculated score"


def test_a_total_written_as_a_variable_is_scored() -> None:
    resource = questionnaire([*phq9_items(), calculated("total", "%phq9Score")],
                             extension=[variable("phq9Score", f"{REST}.answer.weight().sum()")])  # fmt: skip
    found, form = imported(resource)
    assert found.scored and form.score(dict.fromkeys(form.items, 2)).results["total"] == 18


def test_an_item_level_variable_and_a_variable_of_variables() -> None:
    total = calculated("total", "%all")
    total["extension"] += [variable("first", "%resource.repeat(item).where(linkId in ('q1' | 'q2'))"),
                           variable("all", "%first.answer.weight().sum()")]  # fmt: skip
    found, form = imported(questionnaire([*phq9_items(), total]))
    assert found.scored and [t.item for t in form.definition.scoring.results[0].items] == ["q1", "q2"]  # type: ignore[union-attr]


def test_an_undefined_variable_refuses_the_score_naming_it() -> None:
    found, _ = imported(questionnaire([*phq9_items(), calculated("total", "%nowhere")]))
    outcome, message = report(found)["total"]
    assert not found.scored and outcome == "refused" and "%nowhere" in message


def test_a_sum_over_top_level_items_does_not_reach_into_groups() -> None:
    group = {"linkId": "g", "type": "group", "text": "Questions", "item": phq9_items()[:8]}
    top = phq9_items()[8]
    found, form = imported(questionnaire([group, top, calculated("total", "%resource.item.answer.weight().sum()")]))
    assert found.scored and [t.item for t in form.definition.scoring.results[0].items] == ["q9"]  # type: ignore[union-attr]
    # Only a group at the top: as written the sum is 0 for every response; it is read as intended (loudly).
    only_group = questionnaire([group, calculated("total", "%resource.item.answer.weight().sum()")])
    found, form = imported(only_group)
    outcome, message = report(found)["total"]
    assert found.scored and outcome == "changed" and "READ AS INTENDED" in message and found.warnings
    assert [t.item for t in form.definition.scoring.results[0].items] == [f"q{n}" for n in range(1, 9)]  # type: ignore[union-attr]


def test_missing_answers_are_withheld_and_the_report_says_the_file_would_zero_fill() -> None:
    found, form = imported(questionnaire([*phq9_items(), calculated("total", f"{REST}.answer.weight().sum()")]))
    assert form.score(dict.fromkeys(list(form.items)[:8], 3)).results["total"] is None
    message = report(found)["total"][1]
    assert "missing answer counts as 0" in message and "withholds" in message


def test_averages_and_counts_become_mean_and_answered() -> None:
    items = [*phq9_items()[:4], calculated("mean", "%resource.repeat(item).where(linkId.startsWith('q')).answer"
                                           ".weight().avg()", kind="decimal"),
             calculated("answered", "%resource.repeat(item).where(linkId.startsWith('q')).answer.count()")]  # fmt: skip
    found, form = imported(questionnaire(items))
    methods = {r.id: r.method for r in form.definition.scoring.results}
    assert methods == {"total": "mean", "answered": "answered"}
    scored = form.score({"q1": 1, "q2": 2, "q3": 3, "q4": 2})
    assert scored.results == {"total": 2, "answered": 4}
    assert form.score({"q1": 1}).results == {"total": None, "answered": 1}
    assert "averages whatever was answered" in report(found)["mean"][1]


def test_other_fhirpath_is_refused_with_the_reason_and_the_form_is_unscored() -> None:
    for expression in ("%resource.item.where(answer.value.code = 'x').count()", "iif(%a > 2, 1, 0)", "now()",
                       f"{REST}.answer.weight().sum() * 2", "%resource.item.where(linkId = 'q1'"):  # fmt: skip
        found, form = imported(questionnaire([*phq9_items(), calculated("total", expression)]))
        outcome, message = report(found)["total"]
        assert outcome == "refused" and message and not found.scored, expression
        assert form.score(dict.fromkeys(form.items, 1)).results == {"total": None}


def test_contained_value_sets_give_the_options_and_weights() -> None:
    concepts = [{"code": code, "display": label, "extension": [{"url": ORDINAL_VALUE, "valueDecimal": n}],
                 "designation": [{"language": "da", "value": f"dansk {n}"}]}
                for n, (code, label) in enumerate([("a", "None"), ("b", "Some"), ("c", "Much")])]  # fmt: skip
    value_set = {"resourceType": "ValueSet", "id": "vs", "url": "http://example.org/vs", "status": "active",
                 "compose": {"include": [{"system": "http://example.org/cs", "concept": concepts}]}}  # fmt: skip
    items = [{"linkId": "x", "type": "choice", "text": "X?", "answerValueSet": "#vs"},
             {"linkId": "y", "type": "choice", "text": "Y?", "answerValueSet": "http://example.org/vs|1"},
             {"linkId": "z", "type": "choice", "text": "Z?", "answerValueSet": "http://loinc.org/vs/LL358-3"},
             calculated("total", "%resource.item.where(linkId != 'total').answer.weight().sum()")]  # fmt: skip
    found, form = imported(questionnaire(items, contained=[value_set]))
    assert [(o.value, o.en, o.da) for o in form.options["x"]] == [(0, "None", "dansk 0"), (1, "Some", "dansk 1"),
                                                                  (2, "Much", "dansk 2")]  # fmt: skip
    assert form.options["y"] == form.options["x"]
    outcome, message = report(found)["z"]
    assert outcome == "refused" and "not contained" in message and "terminology server" in message
    assert not found.scored  # the sum reads z, which could not be imported


def test_weights_from_a_contained_code_system() -> None:
    code_system = {"resourceType": "CodeSystem", "id": "cs", "url": "http://example.org/cs", "status": "active",
                   "content": "complete", "concept": [
                       {"code": c, "display": c, "property": [{"code": "itemWeight", "valueDecimal": w}]}
                       for c, w in (("no", 0), ("yes", 5))]}  # fmt: skip
    value_set = {"resourceType": "ValueSet", "id": "vs", "status": "active",
                 "compose": {"include": [{"system": "http://example.org/cs"}]}}  # fmt: skip
    items = [{"linkId": "a", "type": "choice", "text": "A?", "answerValueSet": "#vs"},
             calculated("total", "%resource.item.answer.value.weight().sum()")]  # fmt: skip
    found, form = imported(questionnaire(items, contained=[code_system, value_set]))
    assert (
        found.scored and form.score({"a": 5}).results["total"] == 5 and sorted(form.items["a"].allowed or ()) == [0, 5]
    )


def test_a_static_answer_expression_gives_options_a_dynamic_one_is_refused() -> None:
    value_set = {"resourceType": "ValueSet", "id": "vs", "status": "active", "expansion": {"contains": [
        {"system": "http://example.org/cs", "code": "1", "display": "One"},
        {"system": "http://example.org/cs", "code": "2", "display": "Two"}]}}  # fmt: skip
    url = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-answerExpression"
    listed = "%questionnaire.contained.where(id = 'vs').expansion.contains"
    static = {"url": url, "valueExpression": {"language": "text/fhirpath", "expression": listed}}
    answered = "%resource.item.where(linkId='a').answer.value"
    dynamic = {"url": url, "valueExpression": {"language": "text/fhirpath", "expression": answered}}
    items = [{"linkId": "a", "type": "choice", "text": "A?", "extension": [static]},
             {"linkId": "b", "type": "choice", "text": "B?", "extension": [dynamic]}]  # fmt: skip
    found, form = imported(questionnaire(items, contained=[value_set]))
    assert [(o.value, o.en) for o in form.options["a"]] == [(1, "One"), (2, "Two")]
    assert report(found)["b"][0] == "refused" and "depends on the answers" in report(found)["b"][1]


def test_prefill_is_noted_and_ignored_not_fatal() -> None:
    first = choice("q1", "Q1")
    first["extension"] = [{"url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-initialExpression",
                           "valueExpression": {"language": "text/fhirpath", "expression": "%patient.age"}}]  # fmt: skip
    second = {**choice("q2", "Q2"), "initial": [{"valueCoding": {"system": "http://loinc.org", "code": "LA6568-5"}}]}
    found, form = imported(questionnaire([first, second]))
    assert list(form.items) == ["q1", "q2"]
    assert report(found)["q1"][0] == "changed" and "initialExpression (prefill) ignored" in report(found)["q1"][1]
    assert "initial (prefill) ignored" in report(found)["q2"][1]


def test_every_language_is_kept_and_declared() -> None:
    german = questionnaire([{"linkId": "a", "type": "string", "text": "Wie geht es Ihnen?"}], language="de",
                           title="Befinden")  # fmt: skip
    found, form = imported(german)
    item = form.definition.items[0]
    assert form.definition.languages == ["de"] and item.text.other == {"de": "Wie geht es Ihnen?"}
    assert "no 'da' text" in report(found)["(language)"][1] or any(
        line.link_id == "(language)" and "'en'" in line.message for line in found.report
    )
    languages = [
        translation("da", "Hvordan har du det?"),
        translation("de", "Wie geht es?"),
        translation("fr", "Ça va ?"),
    ]
    several = questionnaire(
        [{"linkId": "a", "type": "string", "text": "How are you?", "_text": {"extension": languages}}]
    )
    _, form = imported(several)
    text = form.definition.items[0].text
    assert (text.da, text.en, text.other) == ("Hvordan har du det?", "How are you?", {"de": "Wie geht es?",
                                                                                         "fr": "Ça va ?"})  # fmt: skip
    assert form.definition.languages == ["en", "da", "de", "fr"]


def test_licence_is_unknown_unless_the_file_states_one() -> None:
    _, form = imported(questionnaire([choice("q1", "Q1")], copyright="Free to use."))
    assert form.definition.licence.wording == "unknown" and form.definition.licence.terms == "Free to use."
    _, form = imported(questionnaire([choice("q1", "Q1")]))
    assert form.definition.licence.wording == "unknown" and "states no copyright" in form.definition.licence.terms


def test_item_refusals_name_the_link_id_and_the_reason() -> None:
    items = [
        choice("q1", "Q1"),
        {**choice("q2", "Q2"), "repeats": True},
        {"linkId": "when", "type": "date", "text": "?"},
    ]
    found, _ = imported(questionnaire(items))
    assert report(found)["q2"] == ("refused", "repeating answers cannot be stored (one answer per item)")
    assert report(found)["when"][0] == "refused" and "'date'" in report(found)["when"][1]


def test_enable_behavior_any_and_all() -> None:
    third = {**choice("q3", "Q3"), "enableBehavior": "any", "enableWhen": [
        {"question": "q1", "operator": "=", "answerCoding": {"system": "http://loinc.org", "code": "LA6571-9"}},
        {"question": "q2", "operator": "exists", "answerBoolean": True}]}  # fmt: skip
    fourth = {**third, "linkId": "q4", "enableBehavior": "all"}
    _, form = imported(questionnaire([choice("q1", "Q1"), choice("q2", "Q2"), third, fourth]))
    conditions = {i.id: i.enable_when for i in form.definition.items}
    assert conditions["q3"] == "q1 == 3 or answered(q2)" and conditions["q4"] == "q1 == 3 and answered(q2)"


def test_control_characters_never_reach_ids_or_texts() -> None:
    item = {**choice("a\nid: x\x00\x1b: : [ {{", "Text\x00\x07 with\u2028 controls"), "code": []}
    found, form = imported(questionnaire([item]))
    only = form.definition.items[0]
    assert only.id == "a_id_x" and only.text.en == "Text with controls"
    assert all("\n" not in str(line) and "\x00" not in str(line) for line in found.report)


def test_deep_nesting_is_a_one_line_error_not_a_recursion_error() -> None:
    deep: list[Any] = [{"linkId": "leaf", "type": "string", "text": "?"}]
    for depth in range(200):
        deep = [{"linkId": f"g{depth}", "type": "group", "item": deep}]
    with pytest.raises(FormError, match="items nested more than 50 deep"):
        import_questionnaire(questionnaire(deep), "deep.json")


ANSWER = st.one_of(st.none(), st.integers(0, 3))
SUMS = (f"{REST}.answer.weight().sum()", "%resource.answers().value.ordinal().sum()")
IMPORTED_PHQ9 = [imported(questionnaire([*phq9_items(), calculated("total", expression)]))[1] for expression in SUMS]


@settings(max_examples=300, deadline=None)
@given(st.lists(ANSWER, min_size=9, max_size=9))
def test_imported_phq9_scores_exactly_like_ours_with_missing_answers_withheld(answers: list[int | None]) -> None:
    bundled = BUNDLED.get("phq9")
    theirs = bundled.score({f"q{n}": a for n, a in enumerate(answers, 1) if a is not None}).results["total"]
    for form in IMPORTED_PHQ9:
        assert form.score(phq9_answers(form, answers)).results["total"] == theirs


def test_permutations_of_part_order_do_not_matter() -> None:
    parts = [f"%resource.item.where(linkId = 'q{n}').answer.weight().sum()" for n in (1, 2, 3)]
    totals = set()
    for order in itertools.permutations(parts):
        _, form = imported(questionnaire([*phq9_items()[:3], calculated("total", " + ".join(order))]))
        totals.add(form.score({"q1": 1, "q2": 2, "q3": 3}).results["total"])
    assert totals == {6}


def bounded(item: dict[str, Any], low: int, high: int) -> dict[str, Any]:
    limits = [{"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": low},
              {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": high}]  # fmt: skip
    return {**item, "extension": [*item.get("extension", []), *limits]}


WEIGHTED_ACTIVITY = (
    "(9 * %resource.item.where(linkId='hard').answer.value) + (5 * %resource.repeat(item).where(linkId='mild')"
    ".answer.value) + iif(%resource.repeat(item).where(linkId='c').answer.weight() > 1, 100, 0)"
)


def activity_form() -> dict[str, Any]:
    group = {"linkId": "g", "type": "group", "text": "Mild", "item": [
        bounded({"linkId": "mild", "type": "integer", "text": "Mild activity"}, 0, 7), choice("c", "C")]}  # fmt: skip
    hard = bounded({"linkId": "hard", "type": "integer", "text": "Hard activity"}, 0, 7)
    return questionnaire([hard, group, bounded(calculated("score", WEIGHTED_ACTIVITY), 0, 200)])


def test_other_fhirpath_naming_its_items_is_evaluated_at_score_time_and_marked() -> None:
    found, form = imported(activity_form())
    (result,) = form.definition.scoring.results
    assert result.method == "fhirpath" and result.fhirpath == WEIGHTED_ACTIVITY and result.range == (0, 200)
    outcome, message = report(found)["score"]
    assert outcome == "changed" and "EVALUATED as FHIRPath" in message and "EVALUATED" in found.document["source"]
    assert form.score({"hard": 2, "mild": 3, "c": 3}).results["total"] == 9 * 2 + 5 * 3 + 100
    assert form.score({"hard": 2, "mild": 1, "c": 1}).results["total"] == 23
    withheld = form.score({"hard": 2, "c": 0})  # FHIRPath would give empty; we say why: an item is unanswered
    assert withheld.results["total"] is None and "incomplete" in withheld.flags


def test_an_evaluated_result_out_of_its_range_is_withheld() -> None:
    resource = activity_form()
    resource["item"][2] = bounded(calculated("score", WEIGHTED_ACTIVITY), 0, 50)
    _, form = imported(resource)
    assert form.score({"hard": 2, "mild": 1, "c": 1}).results["total"] == 23
    assert form.score({"hard": 7, "mild": 7, "c": 0}).results["total"] is None


def test_evaluation_needs_named_items_a_range_and_no_outside_data() -> None:
    for expression, extra, reason in (
        ("%resource.item.answer.value.count() * 2", True, "names no imported question"),
        ("%resource.item.where(linkId='hard').answer.value * 2", False, "minValue and maxValue"),
        ("%resource.item.where(linkId='hard').answer.value + %patient.age", True, "unknown"),
        ("%resource.item.where(linkId='hard').answer.value + %questionnaire.item.count()", True, "the Questionnaire"),
        ("iif(now() > @2020-01-01, %resource.item.where(linkId='hard').answer.value, 0)", True, "the clock"),
    ):
        total = calculated("score", expression)
        hard = bounded({"linkId": "hard", "type": "integer", "text": "Hard"}, 0, 7)
        found, _ = imported(questionnaire([hard, bounded(total, 0, 99) if extra else total]))
        outcome, message = report(found)["score"]
        assert outcome == "refused" and not found.scored and (reason in message or "does not define" in message), (
            expression,
            message,
        )


def test_an_evaluated_form_survives_the_yaml_file(tmp_path: Path) -> None:
    from smerteagent.core.forms.loader import load_form
    from smerteagent.core.interop.fhir_form_file import write_imported_form

    found, _ = imported(activity_form())
    write_imported_form(tmp_path / "activity.yaml", found)
    form = load_form(tmp_path / "activity.yaml")
    assert form.score({"hard": 1, "mild": 1, "c": 2}).results["total"] == 114


def when_expression(expression: str) -> dict[str, Any]:
    url = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"
    return {"url": url, "valueExpression": {"language": "text/fhirpath", "expression": expression}}


def test_fhirpath_enable_when_expressions_that_compare_answers_become_conditions() -> None:
    smoker = {"linkId": "smoker", "type": "boolean", "text": "Smoker?"}
    per_day = bounded({"linkId": "per_day", "type": "integer", "text": "How many?"}, 0, 80)
    group = {"linkId": "g", "type": "group", "text": "More", "item": [choice("mood", "Mood")]}
    cases = {
        "a": "%resource.item.where(linkId='smoker').answer.value = true",
        "b": "%resource.item.where(linkId='smoker').answer.value = true and "
        "%resource.item.where(linkId='per_day').answer.value > 10",
        "c": "%resource.repeat(item).where(linkId='mood').answer.value.code = 'LA6571-9' or "
        "%resource.item.where(linkId='per_day').answer.exists()",
        "d": "%resource.item.where(linkId='mood').answer.value.code = 'LA6571-9'",  # mood is in a group
        "e": "%resource.item.where(linkId='per_day').answer.value + 1 > 3",
    }
    asked = [{"linkId": link, "type": "string", "text": link, "extension": [when_expression(expression)]}
             for link, expression in cases.items()]  # fmt: skip
    found, form = imported(questionnaire([smoker, per_day, group, *asked]))
    conditions = {i.id: i.enable_when for i in form.definition.items}
    assert conditions["a"] == "smoker == 1" and conditions["b"] == "smoker == 1 and per_day > 10"
    assert conditions["c"] == "mood == 3 or answered(per_day)"
    for link in ("d", "e"):
        outcome, message = report(found)[link]
        assert conditions[link] is None and outcome == "changed" and "always shown and optional" in message
    assert "top-level only" in report(found)["d"][1]
