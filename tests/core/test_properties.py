"""Property tests: any valid answer set scores within range; no file content crashes the loader."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smerteagent.core.errors import FormError
from smerteagent.core.forms.loader import FormLibrary, load_form
from smerteagent.core.scoring.engine import CompiledForm
from smerteagent.paths import bundled_forms_dir

LIBRARY = FormLibrary.load([bundled_forms_dir()])
FORMS = sorted(LIBRARY.forms)
FORM_TEXTS = {path.name: path.read_text(encoding="utf-8") for path in bundled_forms_dir().glob("*.yaml")}


def item_values(form: CompiledForm, item_id: str) -> st.SearchStrategy[object]:
    rule = form.items[item_id]
    if rule.is_text:
        return st.text(max_size=rule.max_length)
    if rule.allowed is not None:
        return st.sampled_from(sorted(rule.allowed))
    assert rule.low is not None and rule.high is not None
    return st.integers(rule.low, rule.high)


@st.composite
def answer_sets(draw: st.DrawFn) -> tuple[CompiledForm, dict[str, object], str | None]:
    form = LIBRARY.get(draw(st.sampled_from(FORMS)))
    answers = {}
    for item_id in form.items:
        if draw(st.booleans()) or draw(st.booleans()):
            answers[item_id] = draw(item_values(form, item_id))
    return form, answers, draw(st.sampled_from([None, "female", "male"]))


@settings(deadline=None, max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
@given(answer_sets())
def test_any_valid_answer_set_scores_within_range(
    case: tuple[CompiledForm, dict[str, object], str | None],
) -> None:
    form, answers, sex = case
    result = form.score(answers, sex)
    declared = {r.id: r for r in form.definition.scoring.results}
    for name, value in result.results.items():
        if value is not None:
            low, high = declared[name].range
            assert low <= value <= high, (name, value)
    bands = [b.id for b in form.definition.scoring.bands]
    assert result.band is None or result.band in bands
    assert set(result.missing) <= set(form.items) - set(answers)
    if result.results.get("total") is None and "total" in declared and not result.flags:
        raise AssertionError("a withheld total must say why")


@settings(deadline=None, max_examples=300)
@given(answer_sets())
def test_complete_answers_never_incomplete(case: tuple[CompiledForm, dict[str, object], str | None]) -> None:
    form, _, sex = case
    answers = {item_id: min(form.items[item_id].allowed or {form.items[item_id].low}) for item_id in form.items}
    answers = {k: ("" if form.items[k].is_text else v) for k, v in answers.items()}
    result = form.score(answers, sex or "female")
    assert "incomplete" not in result.flags
    assert result.missing == ()


@settings(
    deadline=None, max_examples=400, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(name=st.sampled_from(sorted(FORM_TEXTS)), data=st.data())
def test_mutated_form_text_never_crashes_the_loader(tmp_path: Path, name: str, data: st.DataObject) -> None:
    text = FORM_TEXTS[name]
    start = data.draw(st.integers(0, len(text)))
    length = data.draw(st.integers(0, 40))
    insert = data.draw(st.text(alphabet=":-[]{}'\"#&*!|>%@`\n ab1", max_size=10))
    path = tmp_path / name
    path.write_text(text[:start] + insert + text[start + length :], encoding="utf-8")
    try:
        load_form(path)
    except FormError as error:
        assert error.file == str(path)


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=json_like, replace=st.sampled_from(["", "items", "scoring", "title", "licence", "items.0"]))
def test_garbage_structures_give_form_errors(tmp_path: Path, document: object, replace: str) -> None:
    full = yaml.safe_load(FORM_TEXTS["phq9.yaml"])
    if replace == "":
        full = document
    elif replace == "items.0":
        full["items"][0] = document
    else:
        full[replace] = document
    path = tmp_path / "garbage.yaml"
    path.write_text(yaml.safe_dump(full, allow_unicode=True), encoding="utf-8")
    try:
        load_form(path)
    except FormError as error:
        assert error.problem
