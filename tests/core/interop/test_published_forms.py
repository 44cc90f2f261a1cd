"""The PHQ-9 and GAD-7 Questionnaires that public FHIR guides and form libraries publish, described here by
their structure (written for this test, not copied): each imports and scores exactly like our bundled
form on the same answers, missing answers withheld. Where the published expression, read literally, sums
nothing (a sum over top-level items whose questions sit inside a group), the import reads it as its author
evidently meant — the weighted sum over the questions, leaving out the total — and says so loudly.

- SDC implementation guide, PHQ-9 example (HL7/sdc ``questionnaire-sdc-profile-example-PHQ9``): items in a
  group ``H1/T1``, answers from a contained ValueSet ``#VSPHQ9`` whose concepts carry ``ordinalValue``, the
  total ``H1/TS`` (type quantity) nested in the group. Earlier editions: ``%resource.answers().value
  .ordinal().sum()``; the current edition: ``%resource.item.where(linkId!='H1/TS').answer.value.weight()
  .sum()``, which in FHIRPath reads only the top-level group (no answer) and so is 0 for every response.
  Its weights appear in three ways across editions: ``ordinalValue`` on the contained ValueSet's concepts,
  ``itemWeight`` there, or only as the ``itemWeight`` property of the CodeSystem CSPHQ9 (contained here; a
  file that does not contain it has no weights at all and stays unscored). The adaptive edition marks the
  total ``hidden``.
- LOINC/LHC-Forms style PHQ-9 (panel 44249-1): linkIds ``/44250-9`` …, LOINC answer codes with
  ``ordinalValue``, a 10th unweighted question (difficulty, 69722-7), total ``/44261-6`` with
  ``answers().sum(value.ordinal())`` (the form the NLM Form Builder writes) under the older core URL.
- GAD-7 (panel 69737-5) with ``itemWeight`` and a total 70274-6 through an SDC ``variable``; and a GAD-7
  laid out like the SDC PHQ-9 (questions in a group, the same top-level weighted sum).
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from smerteagent.core.forms.compiler import compile_form
from smerteagent.core.forms.loader import FormLibrary, validate_document
from smerteagent.core.forms.model import Form
from smerteagent.core.interop.fhir_import import ImportedForm, import_questionnaire
from smerteagent.core.interop.fhir_valuesets import CONTAINS_PROPERTY
from smerteagent.core.scoring.engine import CompiledForm
from smerteagent.paths import bundled_forms_dir
from tests.core.interop.sdc import (
    CALCULATED_CORE,
    FREQUENCY,
    ITEM_WEIGHT,
    LOINC,
    ORDINAL_VALUE,
    calculated,
    option,
    questionnaire,
    variable,
)

BUNDLED = FormLibrary.load([bundled_forms_dir()])
CS = "http://example.org/CodeSystem/phq9-frequency"
PHQ9_LOINC = ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"]
GAD7_LOINC = ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"]


def compiled(found: ImportedForm) -> CompiledForm:
    return compile_form(validate_document(found.document, Form, "published"), "published")


CURRENT = "%resource.item.where(linkId!='H1/TS').answer.value.weight().sum()"
HIDDEN = "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden"


def sdc_phq9(total_expression: str, weights: str = "ordinalValue", hidden: bool = False) -> dict[str, Any]:
    """``weights``: where the answer weights are — ``ordinalValue``/``itemWeight`` on the ValueSet's concepts,
    ``codesystem`` (the itemWeight property of a contained CodeSystem), ``expansion`` / ``expansion-r4`` (an
    itemWeight property on the ValueSet's expansion entries, R5-style or through the R4 extension for it, as
    the adaptive SDC edition declares), or ``none`` (not in the file)."""
    url = {"ordinalValue": ORDINAL_VALUE, "itemWeight": ITEM_WEIGHT}.get(weights)
    concepts = [{"code": f"f{n}", "display": label, **({"extension": [{"url": url, "valueDecimal": n}]} if url else {})}
                for n, (_, label) in enumerate(FREQUENCY)]  # fmt: skip
    value_set = {"resourceType": "ValueSet", "id": "VSPHQ9", "url": "http://example.org/ValueSet/VSPHQ9",
                 "status": "draft", "compose": {"include": [{"system": CS, "concept": concepts}]}}  # fmt: skip
    if weights.startswith("expansion"):

        def weight(n: int) -> dict[str, Any]:
            if weights == "expansion":
                return {"property": [{"code": "itemWeight", "valueDecimal": n}]}
            return {"extension": [{"url": CONTAINS_PROPERTY, "extension": [
                {"url": "code", "valueCode": "itemWeight"}, {"url": "value", "valueDecimal": n}]}]}  # fmt: skip

        entries = [{"system": CS, "code": f"f{n}", "display": label, **weight(n)}
                   for n, (_, label) in enumerate(FREQUENCY)]  # fmt: skip
        value_set["expansion"] = {"timestamp": "2024-12-06T22:52:00-07:00", "contains": entries}
    contained: list[dict[str, Any]] = [value_set]
    if weights == "codesystem":
        contained.append({"resourceType": "CodeSystem", "id": "CSPHQ9", "url": CS, "status": "active",
                          "content": "complete", "property": [{"code": "itemWeight", "type": "decimal"}],
                          "concept": [{"code": f"f{n}", "display": label,
                                       "property": [{"code": "itemWeight", "valueDecimal": float(n)}]}
                                      for n, (_, label) in enumerate(FREQUENCY)]})  # fmt: skip
    questions = [{"linkId": f"H1/T1/Q{n}", "type": "choice", "text": f"Question {n}?", "answerValueSet": "#VSPHQ9"}
                 for n in range(1, 10)]  # fmt: skip
    total = {**calculated("H1/TS", total_expression, kind="quantity"), "code": [{"system": LOINC, "code": "44261-6"}]}
    if hidden:
        total["extension"].append({"url": HIDDEN, "valueBoolean": True})
    group = {"linkId": "H1/T1", "type": "group", "text": "Over the last two weeks …", "item": [*questions, total]}
    return questionnaire([group], contained=contained, url="http://example.org/Questionnaire/sdc-phq9")


def loinc_phq9() -> dict[str, Any]:
    def weighted(code: str) -> dict[str, Any]:
        options = [option(answer, label, n, url=ORDINAL_VALUE) for n, (answer, label) in enumerate(FREQUENCY)]
        return {"linkId": f"/{code}", "type": "choice", "code": [{"system": LOINC, "code": code}], "text": code,
                "answerOption": options}  # fmt: skip

    difficulty = {"linkId": "/69722-7", "type": "choice", "text": "How difficult …", "answerOption": [
        option("LA6572-7", "Not difficult at all", None), option("LA6573-5", "Somewhat difficult", None)]}  # fmt: skip
    total = calculated("/44261-6", "answers().sum(value.ordinal())", url=CALCULATED_CORE, kind="decimal")
    return questionnaire([*[weighted(c) for c in PHQ9_LOINC], difficulty, total],
                         code=[{"system": LOINC, "code": "44249-1"}], url="http://loinc.org/q/44249-1")  # fmt: skip


def gad7_in_a_group() -> dict[str, Any]:
    items = [{"linkId": f"g/{code}", "type": "choice", "text": code, "answerOption": [
        option(answer, label, n) for n, (answer, label) in enumerate(FREQUENCY)]} for code in GAD7_LOINC]  # fmt: skip
    total = {**calculated("g/total", "%resource.item.where(linkId != 'g/total').answer.value.weight().sum()"),
             "code": [{"system": LOINC, "code": "70274-6"}]}  # fmt: skip
    group = {"linkId": "g", "type": "group", "text": "Over the last 2 weeks …", "item": [*items, total]}
    return questionnaire([group], code=[{"system": LOINC, "code": "69737-5"}])


def gad7() -> dict[str, Any]:
    items = [{"linkId": code, "type": "choice", "text": code, "answerOption": [
        option(answer, label, n) for n, (answer, label) in enumerate(FREQUENCY)]} for code in GAD7_LOINC]  # fmt: skip
    total = {**calculated("70274-6", "%gad7"), "code": [{"system": LOINC, "code": "70274-6"}]}
    sum_all = "%resource.item.where(linkId != '70274-6').answer.value.weight().sum()"
    return questionnaire([*items, total], extension=[variable("gad7", sum_all)], code=[{"system": LOINC,
                         "code": "69737-5"}])  # fmt: skip


SDC_EARLIER = import_questionnaire(sdc_phq9("%resource.answers().value.ordinal().sum()"), "sdc.json")
SDC_CURRENT = import_questionnaire(sdc_phq9(CURRENT), "sdc-current.json")
SDC_CURRENT_ITEM_WEIGHT = import_questionnaire(sdc_phq9(CURRENT, "itemWeight"), "sdc-item-weight.json")
SDC_CURRENT_CODE_SYSTEM = import_questionnaire(sdc_phq9(CURRENT, "codesystem", hidden=True), "sdc-cs.json")
SDC_EXPANSIONS = [import_questionnaire(sdc_phq9(CURRENT, w), f"sdc-{w}.json") for w in ("expansion", "expansion-r4")]
LOINC_PHQ9 = import_questionnaire(loinc_phq9(), "loinc.json")
GAD7 = import_questionnaire(gad7(), "gad7.json")
GAD7_GROUPED = import_questionnaire(gad7_in_a_group(), "gad7-group.json")
PHQ9_FORMS = [compiled(f) for f in (SDC_EARLIER, SDC_CURRENT, SDC_CURRENT_ITEM_WEIGHT, SDC_CURRENT_CODE_SYSTEM,
                                    *SDC_EXPANSIONS, LOINC_PHQ9)]  # fmt: skip
GAD7_FORMS = [compiled(GAD7), compiled(GAD7_GROUPED)]


def test_the_published_forms_import_scored_with_their_codes() -> None:
    assert SDC_EARLIER.scored and LOINC_PHQ9.scored and GAD7.scored
    assert compiled(SDC_EARLIER).definition.scoring.results[0].codes[0].code == "44261-6"
    assert compiled(LOINC_PHQ9).definition.codes[0].code == "44249-1"
    assert len(compiled(LOINC_PHQ9).items) == 10  # the difficulty question is asked, and scores nothing


def test_the_current_sdc_example_is_read_as_intended_and_the_report_says_so_loudly() -> None:
    for found in (SDC_CURRENT, SDC_CURRENT_ITEM_WEIGHT, SDC_CURRENT_CODE_SYSTEM, *SDC_EXPANSIONS, GAD7_GROUPED):
        assert found.scored
        [line] = [line for line in found.report if line.loud]
        assert line.outcome == "changed" and "READ AS INTENDED, NOT AS WRITTEN" in line.message
        assert "0 for every response" in line.message  # what the file says literally
        assert ".repeat(item)" in line.message and "leaving out" in line.message  # how we read it
        assert "a missing answer counts as 0" in line.message and "withholds" in line.message  # zero-fill
        assert found.warnings == [f"{line.link_id}: {line.message}"]
        assert "READ AS INTENDED" in found.document["source"]
    result = compiled(SDC_CURRENT).definition.scoring.results[0]
    assert [t.item for t in result.items] == [f"h1_t1_q{n}" for n in range(1, 10)] and result.range == (0, 27)
    assert result.codes[0].code == "44261-6"


def test_a_literal_top_level_sum_is_not_reinterpreted_when_nothing_weighted_sits_in_the_group() -> None:
    unweighted = import_questionnaire(sdc_phq9(CURRENT, "none"), "no-weights.json")  # CSPHQ9 not in the file
    mean = import_questionnaire(sdc_phq9(CURRENT.replace(".sum()", ".avg()")), "mean.json")
    for found in (unweighted, mean):
        lines = {line.link_id: line for line in found.report}
        assert not found.scored and lines["H1/TS"].outcome == "refused" and not found.warnings
        assert "no answered item" in lines["H1/TS"].message


def test_the_earlier_sdc_and_loinc_forms_are_not_marked_as_read_as_intended() -> None:
    for found in (SDC_EARLIER, LOINC_PHQ9, GAD7):
        assert not found.warnings and "READ AS INTENDED" not in found.document["source"]


ANSWERS = st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=9, max_size=9)


@settings(max_examples=300, deadline=None)
@given(ANSWERS)
def test_published_phq9_forms_score_exactly_like_ours(answers: list[int | None]) -> None:
    expected = BUNDLED.get("phq9").score({f"q{n}": a for n, a in enumerate(answers, 1) if a is not None})
    for form in PHQ9_FORMS:
        ours = dict(zip(list(form.items)[:9], answers, strict=True))
        got = form.score({k: v for k, v in ours.items() if v is not None})
        assert got.results["total"] == expected.results["total"]


@settings(max_examples=200, deadline=None)
@given(ANSWERS.map(lambda a: a[:7]))
def test_published_gad7_scores_exactly_like_ours(answers: list[int | None]) -> None:
    expected = BUNDLED.get("gad7").score({f"q{n}": a for n, a in enumerate(answers, 1) if a is not None})
    for form in GAD7_FORMS:
        got = form.score({k: v for k, v in zip(form.items, answers, strict=True) if v is not None})
        assert got.results["total"] == expected.results["total"]


def test_a_missing_answer_withholds_every_published_score_as_it_withholds_ours() -> None:
    answers = {f"q{n}": 3 for n in range(1, 9)}  # item 9 unanswered
    assert BUNDLED.get("phq9").score(answers).results["total"] is None
    for form in PHQ9_FORMS:
        got = form.score(dict(zip(list(form.items)[:8], [3] * 8, strict=True)))
        assert got.results["total"] is None and got.status == "withheld"
    ours = BUNDLED.get("phq9").score(dict.fromkeys([f"q{n}" for n in range(1, 10)], 2)).results["total"]
    for found in (SDC_CURRENT, SDC_CURRENT_CODE_SYSTEM):
        form = compiled(found)
        assert form.score(dict.fromkeys(list(form.items)[:9], 2)).results["total"] == ours == 18


# --- LHC-Forms (NLM Form Builder) as published in FHIR: weights on the answers, a total item coded with the
# LOINC total-score code and no calculation at all. Scored by the code's LOINC definition, said loudly.


def lforms_total(code: str, kind: str = "decimal") -> dict[str, Any]:
    return {"linkId": f"/{code}", "type": kind, "readOnly": True, "text": "Total score",
            "code": [{"system": LOINC, "code": code}]}  # fmt: skip


def lforms(codes: list[str], panel: str, total: dict[str, Any], url: str = ORDINAL_VALUE,
           difficulty: bool = False) -> dict[str, Any]:  # fmt: skip
    questions = [{"linkId": f"/{code}", "type": "choice", "code": [{"system": LOINC, "code": code}], "text": code,
                  "answerOption": [option(answer, label, n, url=url) for n, (answer, label) in enumerate(FREQUENCY)]}
                 for code in codes]  # fmt: skip
    extra = [{"linkId": "/69722-7", "type": "choice", "code": [{"system": LOINC, "code": "69722-7"}],
              "text": "How difficult …", "answerOption": [option("LA6572-7", "Not difficult at all", None),
                                                          option("LA6573-5", "Somewhat difficult", None)]}]  # fmt: skip
    return questionnaire([*questions, *(extra if difficulty else []), total],
                         code=[{"system": LOINC, "code": panel}], url=f"http://loinc.org/q/{panel}")  # fmt: skip


LFORMS_PHQ9 = import_questionnaire(lforms(PHQ9_LOINC, "44249-1", lforms_total("44261-6"), difficulty=True), "lf.json")
LFORMS_GAD7 = import_questionnaire(lforms(GAD7_LOINC, "69737-5", lforms_total("70274-6", "integer"), ITEM_WEIGHT),
                                   "lf-gad7.json")  # fmt: skip


def test_an_lforms_total_without_a_calculation_is_scored_by_its_loinc_code_and_said_loudly() -> None:
    for found, code, count, high in ((LFORMS_PHQ9, "44261-6", 9, 27), (LFORMS_GAD7, "70274-6", 7, 21)):
        assert found.scored
        [line] = [line for line in found.report if line.loud]
        assert line.link_id == f"/{code}" and line.outcome == "changed"
        assert "READ BY ITS LOINC CODE" in line.message and "no calculatedExpression" in line.message  # lacks
        assert f"LOINC {code}" in line.message and "total score" in line.message  # on what authority
        assert f"weighted sum of the form's {count} weighted questions" in line.message  # how we read it
        assert "withholds" in line.message
        assert found.warnings == [f"{line.link_id}: {line.message}"]
        assert "READ BY THEIR LOINC CODE" in found.document["source"]
        result = compiled(found).definition.scoring.results[0]
        assert result.range == (0, high) and result.codes[0].code == code and len(result.items) == count
    assert "/69722-7" not in str(compiled(LFORMS_PHQ9).definition.scoring.results[0].items)  # unweighted: not summed


@settings(max_examples=200, deadline=None)
@given(ANSWERS)
def test_lforms_phq9_and_gad7_score_exactly_like_ours_missing_answers_withheld(answers: list[int | None]) -> None:
    for found, ours, n in ((LFORMS_PHQ9, "phq9", 9), (LFORMS_GAD7, "gad7", 7)):
        expected = BUNDLED.get(ours).score({f"q{i}": a for i, a in enumerate(answers[:n], 1) if a is not None})
        form = compiled(found)
        got = form.score({k: v for k, v in zip(list(form.items)[:n], answers[:n], strict=True) if v is not None})
        assert got.results["total"] == expected.results["total"]
        if None in answers[:n]:
            assert got.results["total"] is None and got.status == "withheld"


def test_a_total_with_an_unknown_code_or_the_wrong_questions_stays_unscored() -> None:
    unknown = import_questionnaire(lforms(PHQ9_LOINC, "44249-1", lforms_total("99999-9")), "unknown.json")
    assert not unknown.scored and not unknown.warnings
    assert any(line.link_id == "(scoring)" and "answer weights but no calculated score" in line.message
               for line in unknown.report)  # fmt: skip
    # 69725-0 is the first GAD-7 question in LOINC, not a GAD-2 total: never read as a total
    not_total = import_questionnaire(lforms(PHQ9_LOINC[:2], "55757-9", lforms_total("69725-0")), "gad2.json")
    assert not not_total.scored
    # the PHQ-9 total code over the 7 GAD-7 questions: the definition says 9 questions, so not scored
    wrong = import_questionnaire(lforms(GAD7_LOINC, "69737-5", lforms_total("44261-6")), "wrong.json")
    lines = {line.link_id: line for line in wrong.report}
    assert not wrong.scored and lines["/44261-6"].outcome == "refused" and "not 9" in lines["/44261-6"].message
    phq2 = import_questionnaire(lforms(PHQ9_LOINC[:2], "55757-9", lforms_total("55758-7")), "phq2.json")
    assert phq2.scored and compiled(phq2).definition.scoring.results[0].range == (0, 6)
