"""Reading QuestionnaireResponses back: our own exports of every bundled form exactly, other systems'
responses by canonical URL or LOINC, and every answer that does not fit refusing its whole response."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smerteagent.core.forms.compiler import compile_form
from smerteagent.core.forms.loader import FormLibrary, validate_document
from smerteagent.core.forms.model import Form
from smerteagent.core.interop.fhir_import import import_questionnaire
from smerteagent.core.interop.fhir_response_import import (
    Refused,
    bundle_cprs,
    find_form,
    read_response,
    responses_in,
)
from smerteagent.core.interop.fhir_responses import patient_bundle
from smerteagent.core.patients import PatientSummary
from smerteagent.core.scoring.engine import CompiledForm
from smerteagent.core.scoring.result import ScoreResult
from smerteagent.paths import bundled_forms_dir
from tests.core.interop.sdc import FREQUENCY, LOINC, calculated, choice, questionnaire

LIBRARY = FormLibrary.load([bundled_forms_dir()])
PATIENT = PatientSummary(1, "0707614285", "Åse", "Ærø", date(1961, 7, 7), "female", datetime(2025, 3, 1, 9, 0))


@dataclass(frozen=True)
class Stored:
    id: int
    form_id: str
    form_version: str
    status: str
    answers: dict[str, int | str]
    created_at: datetime
    completed_at: datetime | None
    score: ScoreResult | None


def exported(form_id: str, answers: dict[str, int | str]) -> dict[str, Any]:
    form = LIBRARY.get(form_id)
    moment = datetime(2025, 3, 1, 10, 30, 15)
    stored = Stored(7, form_id, form.version, "complete", answers, moment, moment, form.score(answers))
    return patient_bundle(PATIENT, [stored], LIBRARY.forms)


def read_all(
    document: dict[str, Any], forms: dict[str, CompiledForm] | None = None, cpr: str | None = PATIENT.cpr
) -> list[Any]:
    cprs = bundle_cprs(document)
    return [read_response(where, r, forms or LIBRARY.forms, "f.json", cprs, cpr) for where, r in responses_in(document)]


@st.composite
def answer_sets(draw: Any) -> tuple[str, dict[str, int | str]]:
    form = LIBRARY.get(draw(st.sampled_from(sorted(LIBRARY.forms))))
    answers: dict[str, int | str] = {}
    for item_id, rule in form.items.items():
        if draw(st.integers(0, 5)) == 0:
            continue
        if rule.is_text:
            answers[item_id] = draw(st.text("abcæøå ÆØÅ,.:'\"{[", min_size=1, max_size=20))
        else:
            values = (
                sorted(rule.allowed) if rule.allowed is not None else list(range(rule.low or 0, (rule.high or 0) + 1))
            )
            answers[item_id] = draw(st.sampled_from(values))
    if not answers:
        item_id, rule = next(iter(form.items.items()))
        answers[item_id] = "x" if rule.is_text else min(rule.allowed or {rule.low or 0})
    return form.id, answers


def test_all_bundled_forms_are_known() -> None:
    assert len(LIBRARY.forms) == 21


@settings(max_examples=300, deadline=None)
@given(answer_sets())
def test_our_own_export_of_any_bundled_form_reads_back_exactly(case: tuple[str, dict[str, int | str]]) -> None:
    form_id, answers = case
    (read,) = read_all(exported(form_id, answers))
    assert (read.form_id, read.answers, read.authored) == (form_id, answers, datetime(2025, 3, 1, 10, 30, 15))


def test_every_bundled_form_round_trips_through_questionnaire_and_response() -> None:
    from smerteagent.core.interop.fhir_export import export_questionnaire
    from smerteagent.core.interop.fhir_responses import questionnaire_response

    for form_id, form in LIBRARY.forms.items():
        imported = import_questionnaire(export_questionnaire(form).resource, f"{form_id}.json", f"{form_id}_copy")
        copy = compile_form(validate_document(imported.document, Form, form_id), form_id)
        assert copy.definition.fhir is not None and copy.definition.fhir.url == f"urn:smerteagent:form:{form_id}"
        assert copy.definition.licence.wording == form.definition.licence.wording
        answers: dict[str, int | str] = {i: "tekst" if r.is_text else min(r.allowed or {r.low or 0})
                                         for i, r in form.items.items()}  # fmt: skip
        stored = Stored(1, form_id, form.version, "complete", answers, datetime(2025, 1, 2), datetime(2025, 1, 2), None)
        response = questionnaire_response(stored, form, "urn:uuid:p", PATIENT)
        response["questionnaire"] = f"urn:smerteagent:form:{form_id}_copy"
        (read,) = read_all(response, {copy.id: copy})
        assert read.answers == answers, form_id


def imported_phq9() -> CompiledForm:
    items = [{**choice(f"/{n}", f"Q{n}"), "code": [{"system": LOINC, "code": f"4425{n}-0"}]} for n in range(9)]
    total = calculated("/44261-6", "answers().sum(value.ordinal())")
    code = [{"system": LOINC, "code": "44249-1"}]
    resource = questionnaire([*items, total], url="http://example.org/Questionnaire/phq9", code=code)
    found = import_questionnaire(resource, "phq9.json", "phq9_ext")
    return compile_form(validate_document(found.document, Form, "x"), "x")


def other_system_response(**fields: Any) -> dict[str, Any]:
    item = [{"linkId": f"/{n}", "answer": [{"valueCoding": {"system": LOINC, "code": FREQUENCY[n % 4][0]}}]}
            for n in range(9)]  # fmt: skip
    item.append({"linkId": "/44261-6", "answer": [{"valueDecimal": 12}]})
    return {"resourceType": "QuestionnaireResponse", "id": "r1", "status": "completed",
            "authored": "2025-02-03T08:00:00Z", "questionnaire": "http://example.org/Questionnaire/phq9|1",
            "item": [{"linkId": "grp", "item": item}], **fields}  # fmt: skip


def test_a_response_from_another_system_finds_the_imported_form_by_its_url() -> None:
    form = imported_phq9()
    forms = {**LIBRARY.forms, form.id: form}
    (read,) = read_all(other_system_response(), forms)
    assert read.form_id == "phq9_ext" and list(read.answers.values()) == [n % 4 for n in range(9)]
    assert read.authored == datetime(2025, 2, 3, 8, 0, tzinfo=__import__("datetime").timezone.utc).astimezone().replace(
        tzinfo=None
    )
    assert read.ignored and "/44261-6" in read.ignored[0] and "r1" in read.source


def test_forms_are_found_by_loinc_or_our_id_and_ambiguity_is_refused() -> None:
    assert find_form("http://loinc.org/q/44249-1", LIBRARY.forms).id == "phq9"
    assert find_form("Questionnaire/gad7", LIBRARY.forms).id == "gad7"
    form = imported_phq9()
    assert find_form("http://x.org/44249-1", {**LIBRARY.forms, form.id: form}).id == "phq9"  # the bundled one
    with pytest.raises(Refused, match="not a known form"):
        find_form("http://example.org/Questionnaire/unknown", LIBRARY.forms)
    with pytest.raises(Refused, match="matches several forms"):
        find_form("http://x.org/44249-1", {"a": form, "b": imported_phq9()})
    with pytest.raises(Refused, match="names no questionnaire"):
        find_form(None, LIBRARY.forms)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"status": "in-progress"}, "only completed"),
        ({"authored": None}, "no authored date"),
        ({"authored": "yesterday at noon"}, "not a FHIR dateTime"),
        ({"questionnaire": "http://example.org/none"}, "not a known form"),
    ],
)
def test_responses_that_cannot_be_taken_say_why(change: dict[str, Any], reason: str) -> None:
    form = imported_phq9()
    with pytest.raises(Refused, match=reason):
        read_all(other_system_response(**change), {**LIBRARY.forms, form.id: form})


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ({"valueCoding": {"system": LOINC, "code": "LA9999-9"}}, "not an option"),
        ({"valueInteger": 2}, "does not fit"),
        ({"valueString": "Slet ikke", "valueInteger": 1}, "exactly one value"),
    ],
)
def test_one_answer_that_does_not_fit_refuses_the_whole_response(answer: dict[str, Any], reason: str) -> None:
    form = imported_phq9()
    response = other_system_response()
    response["item"][0]["item"][3]["answer"] = [answer]
    with pytest.raises(Refused, match=reason):
        read_all(response, {**LIBRARY.forms, form.id: form})


def test_unknown_items_two_answers_and_out_of_range_numbers_are_refused() -> None:
    bundle = exported("peg", {"q1": 4, "q2": 5, "q3": 6})
    response = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse")
    response["item"][0]["answer"] = [{"valueInteger": 11}]
    with pytest.raises(Refused, match="allowed range"):
        read_all(bundle)
    response["item"][0]["answer"] = [{"valueInteger": 1}, {"valueInteger": 2}]
    with pytest.raises(Refused, match="2 answers"):
        read_all(bundle)
    response["item"][0] = {"linkId": "nonsense\n", "answer": [{"valueInteger": 1}]}
    with pytest.raises(Refused, match=r"linkId .nonsense\\n. is not an item"):
        read_all(bundle)


def test_a_response_about_another_cpr_is_refused() -> None:
    bundle = exported("peg", {"q1": 4, "q2": 5, "q3": 6})
    with pytest.raises(Refused, match="another patient"):
        read_all(bundle, cpr="0101010101")


# --- Other systems' responses with LOINC answer codes (LA…) fill our bundled PHQ/GAD forms -------------------

PHQ9_ITEMS = ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"]
GAD7_ITEMS = ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"]


def loinc_response(
    panel: str, link_ids: list[str], answers: list[int], *, system: str | None = LOINC
) -> dict[str, Any]:
    """A response as LOINC-based systems write it: linkIds are the items' LOINC codes, answers LA codes."""

    def coding(value: int) -> dict[str, Any]:
        code, display = FREQUENCY[value]
        return {"code": code, "display": display, **({"system": system} if system else {})}

    pairs = zip(link_ids, answers, strict=True)
    items = [{"linkId": link, "answer": [{"valueCoding": coding(a)}]} for link, a in pairs]
    return {"resourceType": "QuestionnaireResponse", "status": "completed", "authored": "2025-03-01T10:00:00Z",
            "questionnaire": f"http://loinc.org/q/{panel}", "item": items}  # fmt: skip


def test_the_loinc_answer_codes_are_on_our_phq_and_gad_options() -> None:
    expected = [code for code, _ in FREQUENCY]
    for form_id in ("phq9", "gad7", "phq4", "phq2", "gad2"):
        for item_id, options in LIBRARY.get(form_id).options.items():
            codes = [next(c.code for c in o.codes if c.system == LOINC) for o in sorted(options, key=lambda o: o.value)]
            difficulty = ["LA6572-7", "LA6573-5", "LA6575-0", "LA6574-3"]  # LOINC LL359-1, not difficult … extremely
            assert codes == (difficulty if (form_id, item_id) == ("phq9", "q10") else expected), (form_id, item_id)


@pytest.mark.parametrize(
    ("form_id", "panel", "link_ids"),
    [("phq9", "44249-1", PHQ9_ITEMS), ("gad7", "69737-5", GAD7_ITEMS),
     ("phq9", "44249-1", [f"/{c}" for c in PHQ9_ITEMS]),  # LHC-Forms writes "/44250-9"
     ("phq4", "69724-3", GAD7_ITEMS[:2] + PHQ9_ITEMS[:2]), ("phq2", "55757-9", PHQ9_ITEMS[:2]),
     ("gad2", "gad2", GAD7_ITEMS[:2])],
)  # fmt: skip
def test_responses_with_loinc_item_and_answer_codes_fill_our_forms(
    form_id: str, panel: str, link_ids: list[str]
) -> None:
    answers = [(n * 2 + 1) % 4 for n in range(len(link_ids))]
    [taken] = read_all(loinc_response(panel, link_ids, answers))
    form = LIBRARY.get(form_id)
    assert taken.form_id == form_id
    assert taken.answers == dict(zip(list(form.items)[: len(link_ids)], answers, strict=True))
    assert form.score(taken.answers).results["total"] == sum(answers)


def test_a_phq9_with_item_9_positive_in_loinc_codes_raises_the_suicide_flag_and_the_total_is_ignored() -> None:
    response = loinc_response("44249-1", PHQ9_ITEMS, [0] * 8 + [2])
    response["item"].append({"linkId": "/44261-6", "answer": [{"valueDecimal": 2}]})
    [taken] = read_all(response)
    assert taken.answers["q9"] == 2 and any("44261-6" in line for line in taken.ignored)
    assert "suicide_risk" in LIBRARY.get("phq9").score(taken.answers).flags


def test_an_la_code_without_a_system_is_taken_but_another_systemless_code_is_refused() -> None:
    [taken] = read_all(loinc_response("69737-5", GAD7_ITEMS, [3] * 7, system=None))
    assert taken.answers == {f"q{n}": 3 for n in range(1, 8)}
    response = loinc_response("69737-5", GAD7_ITEMS, [3] * 7, system=None)
    response["item"][0]["answer"] = [{"valueCoding": {"code": "3"}}]
    with pytest.raises(Refused, match="is not an option"):
        read_all(response)


def test_an_la_code_from_another_answer_list_is_refused() -> None:
    response = loinc_response("44249-1", PHQ9_ITEMS, [1] * 9)
    response["item"][3]["answer"] = [{"valueCoding": {"system": LOINC, "code": "LA6572-7"}}]  # "Not difficult at all"
    with pytest.raises(Refused, match="LA6572-7 is not an option"):
        read_all(response)


def test_the_phq9_difficulty_question_69722_7_is_taken_and_never_scored() -> None:
    """LHC-Forms and other LOINC-based systems answer the PHQ-9's 10th, unscored question; ours asks it too."""
    for code, value in (("LA6572-7", 0), ("LA6573-5", 1), ("LA6575-0", 2), ("LA6574-3", 3)):  # LOINC list LL359-1
        response = loinc_response("44249-1", PHQ9_ITEMS, [1] * 9)
        response["item"].append({"linkId": "/69722-7", "answer": [{"valueCoding": {"system": LOINC, "code": code}}]})
        [taken] = read_all(response)
        assert taken.answers["q10"] == value and not taken.ignored
        score = LIBRARY.get("phq9").score(taken.answers)
        assert score.results["total"] == 9 and score.band == LIBRARY.get("phq9").score(
            {f"q{n}": 1 for n in range(1, 10)}).band  # fmt: skip
    [without] = read_all(loinc_response("44249-1", PHQ9_ITEMS, [1] * 9))
    assert "q10" not in without.answers and LIBRARY.get("phq9").score(without.answers).status == "scored"
