"""Hostile input to the core: random answers, CPR text and patient details end in a result or in the
documented error (AnswerError, CprError, PatientError) — never in another exception."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smerteagent.core.cpr import CprError, parse_cpr
from smerteagent.core.errors import AnswerError
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import PatientError, PatientInput, validate_patient
from smerteagent.core.scoring.engine import CompiledForm
from smerteagent.paths import bundled_forms_dir

LIBRARY = FormLibrary.load([bundled_forms_dir()])
FORMS = sorted(LIBRARY.forms)

anything = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12) | st.binary(max_size=4),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)


@st.composite
def hostile_answers(draw: st.DrawFn) -> tuple[CompiledForm, dict[str, object], object]:
    """Known items with any value, unknown items, and any sex: what a broken caller might send."""
    form = LIBRARY.get(draw(st.sampled_from(FORMS)))
    keys = st.sampled_from(sorted(form.items)) | st.text(max_size=6)
    values = anything | st.integers(-3, 12) | st.sampled_from(["0", "1", "", " 2", "ja", "½"])
    answers = draw(st.dictionaries(keys, values, max_size=len(form.items) + 2))
    return form, answers, draw(st.sampled_from([None, "female", "male", "", "kvinde", 1]))


@settings(max_examples=800, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_answers())
def test_any_answers_give_a_result_or_an_answer_error(case: tuple[CompiledForm, dict[str, object], object]) -> None:
    form, answers, sex = case
    try:
        result = form.score(answers, sex)  # type: ignore[arg-type]
    except AnswerError as error:
        assert error.problem and isinstance(error.item, str)
        return
    assert set(result.results) >= {r.id for r in form.definition.scoring.results}


cpr_like = st.from_regex(r"\A\s?[0-9٠-٩]{6}[- ]?[0-9]{4}\s?\Z") | st.text(max_size=14)


@settings(max_examples=1000)
@given(cpr_like)
def test_any_cpr_text_parses_or_gives_a_cpr_error(text: str) -> None:
    try:
        cpr = parse_cpr(text)
    except CprError as error:
        assert str(error)
        return
    assert len(cpr.digits) == 10 and cpr.digits.isascii() and cpr.digits.isdigit()
    assert cpr.birth_date.strftime("%d%m%y") == cpr.digits[:6] and cpr.sex in ("female", "male")


@settings(max_examples=500)
@given(
    st.builds(
        PatientInput,
        given_name=st.text(max_size=30),
        family_name=st.text(max_size=30),
        cpr=st.none() | cpr_like,
        sex=st.sampled_from([None, "female", "male", "x"]),
        birth_date=st.none() | st.dates(date(1850, 1, 1), date(2100, 1, 1)),
        no_cpr=st.booleans(),
        contact=st.none() | st.text(max_size=20),
        note=st.none() | st.text(max_size=20),
    )
)
def test_any_patient_details_validate_or_give_a_patient_error(details: PatientInput) -> None:
    try:
        valid = validate_patient(details)
    except PatientError as error:
        assert str(error)
        return
    assert valid.given_name or valid.family_name, "a patient needs a name"
    assert valid.cpr is None or (len(valid.cpr) == 10 and valid.cpr.isdigit())
