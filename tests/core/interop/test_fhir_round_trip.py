"""Export then import: every plain weighted sum scores exactly as the original form, for any answers,
and a band or flag is never lost without the import saying so."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from smerteagent.core.forms.compiler import compile_form
from smerteagent.core.forms.loader import FormLibrary, validate_document
from smerteagent.core.forms.model import Form
from smerteagent.core.interop.fhir_export import export_questionnaire
from smerteagent.core.interop.fhir_import import NO_BANDS_OR_FLAGS, ReportLine, import_questionnaire
from smerteagent.core.scoring.engine import CompiledForm
from smerteagent.paths import bundled_forms_dir

LIBRARY = FormLibrary.load([bundled_forms_dir()])


def round_trip(form: CompiledForm) -> tuple[CompiledForm, list[ReportLine]]:
    imported = import_questionnaire(export_questionnaire(form).resource, f"{form.id}.json")
    return compile_form(validate_document(imported.document, Form, form.id), form.id), imported.report


TRIPS = {form_id: round_trip(form) for form_id, form in LIBRARY.forms.items()}
ROUND_TRIPPED = {form_id: again for form_id, (again, _) in TRIPS.items()}


def reports_lost_grading(form_id: str) -> bool:
    return any(line.link_id == NO_BANDS_OR_FLAGS and line.outcome == "changed" for line in TRIPS[form_id][1])


SCORED = sorted(form_id for form_id, form in ROUND_TRIPPED.items() if form.definition.scoring.results)


@st.composite
def answer_sets(draw: Any) -> tuple[str, dict[str, object]]:
    form = LIBRARY.get(draw(st.sampled_from(SCORED)))
    answers: dict[str, object] = {}
    for item_id, rule in form.items.items():
        if rule.is_text or draw(st.integers(0, 9)) == 0:  # about one item in ten left unanswered
            continue
        values = sorted(rule.allowed) if rule.allowed is not None else list(range(rule.low or 0, (rule.high or 0) + 1))
        answers[item_id] = draw(st.sampled_from(values))
    return form.id, answers


def test_the_forms_that_round_trip_scored_are_the_plain_sums() -> None:
    assert {"phq9", "gad7", "startback", "dast10", "audit", "pcs", "rmdq"} <= set(SCORED)
    assert not {"ort", "peg", "odi", "ompsq_sf", "cssrs_screener"} & set(SCORED)


def test_round_trip_keeps_ids_texts_and_codes() -> None:
    original, again = LIBRARY.get("phq9").definition, ROUND_TRIPPED["phq9"].definition
    assert again.id == "phq9" and [i.id for i in again.items] == [i.id for i in original.items]
    assert [(i.text, i.codes) for i in again.items] == [(i.text, i.codes) for i in original.items]
    assert again.instructions == original.instructions and again.codes == original.codes


@settings(max_examples=400, deadline=None)
@given(answer_sets())
def test_round_tripped_sums_score_identically(case: tuple[str, dict[str, object]]) -> None:
    form_id, answers = case
    original, again = LIBRARY.get(form_id), ROUND_TRIPPED[form_id]
    expected, found = original.score(answers), again.score(answers)
    for result in again.definition.scoring.results:
        assert found.results[result.id] == expected.results[result.id], (form_id, result.id, answers)
    if (found.band, found.flags) != (expected.band, expected.flags):
        assert reports_lost_grading(form_id), (form_id, answers, expected.band, expected.flags)


def test_every_lost_band_or_flag_is_reported() -> None:
    for form_id, original in LIBRARY.forms.items():
        scoring, again = original.definition.scoring, ROUND_TRIPPED[form_id].definition.scoring
        kept = ([b.id for b in again.bands], [f.id for f in again.flags])
        if kept != ([b.id for b in scoring.bands], [f.id for f in scoring.flags]):
            assert reports_lost_grading(form_id), form_id
    assert reports_lost_grading("phq9") and not ROUND_TRIPPED["phq9"].definition.scoring.flags
