"""Property tests over every bundled form: what partial answers report holds for every completion.

A completion gives each unanswered required item every value it allows, then leaves out the items its skip
rules hide. Whatever band or flag the engine reports for the partial answers must be what every completion
gets, and a safety follow-up must fire whenever some completion would fire it.
"""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smerteagent.core.batteries import rule_fires
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.forms.model import FollowUp
from smerteagent.core.scoring.engine import CompiledForm
from smerteagent.core.scoring.result import INCOMPLETE, PRORATED, SEX_REQUIRED
from smerteagent.paths import bundled_forms_dir

LIBRARY = FormLibrary.load([bundled_forms_dir()])
FORMS = sorted(LIBRARY.forms)
ENGINE_FLAGS = {INCOMPLETE, PRORATED, SEX_REQUIRED}
SAFETY_RULES: dict[str, list[FollowUp]] = {}
for _battery in LIBRARY.batteries.values():
    for _rule in _battery.follow_ups:
        if _rule.safety and _rule.after is not None:
            SAFETY_RULES.setdefault(_rule.after, []).append(_rule)


def values_of(form: CompiledForm, item_id: str) -> list[int]:
    rule = form.items[item_id]
    if rule.allowed is not None:
        return sorted(rule.allowed)
    assert rule.low is not None and rule.high is not None
    return list(range(rule.low, rule.high + 1))


def completions(form: CompiledForm, answers: dict[str, object]) -> list[dict[str, object]]:
    """Every way to answer the unanswered required items, with the items their skip rules hide left out."""
    open_items = [i for i, rule in form.items.items() if rule.required and not rule.is_text and i not in answers]
    found = {}
    for choice in itertools.product(*(values_of(form, i) for i in open_items)):
        filled = {**answers, **dict(zip(open_items, choice, strict=True))}
        for _ in range(2):
            states = form.enabled_state(filled)
            filled = {k: v for k, v in filled.items() if k in answers or states.get(k) is not False}
        found[tuple(sorted(filled.items()))] = filled
    return list(found.values())


def state_flags(form: CompiledForm) -> set[str]:
    """Flags about the answers as they stand (answered(...)), not about what they say."""
    return {flag.id for flag in form.flags if flag.reads_state} | ENGINE_FLAGS


@st.composite
def partial_answers(draw: st.DrawFn) -> tuple[CompiledForm, dict[str, object], str | None]:
    form = LIBRARY.get(draw(st.sampled_from(FORMS)))
    answers: dict[str, object] = {}
    for item_id, rule in form.items.items():
        if rule.is_text:
            continue
        answers[item_id] = draw(st.sampled_from(values_of(form, item_id)))
    scored = [i for i, rule in form.items.items() if not rule.is_text]
    for item_id in draw(st.lists(st.sampled_from(scored), max_size=3, unique=True)):
        answers.pop(item_id)
    return form, answers, draw(st.sampled_from([None, "female", "male"]))


def check_against_completions(form: CompiledForm, answers: dict[str, object], sex: str | None) -> None:
    partial = form.score(answers, sex)
    everyone = [form.score(filled, sex) for filled in completions(form, answers)]
    assert everyone
    published_rule = PRORATED in partial.flags  # the instrument's own missing-item rule decides
    if partial.band is not None and not published_rule:
        assert {c.band for c in everyone} == {partial.band}, (answers, partial.band)
    if not published_rule:
        for name, value in partial.results.items():
            if value is not None:
                assert {c.results[name] for c in everyone} == {value}, (answers, name)
    ignored = state_flags(form)
    for flag in (f.id for f in form.flags if f.id not in ignored):
        raised_by = [flag in c.flags for c in everyone]
        if flag in partial.flags:
            assert all(raised_by), (answers, flag)
        elif flag not in partial.undecided_flags:
            assert not any(raised_by), (answers, flag)
    for rule in SAFETY_RULES.get(form.id, []):
        if any(rule_fires(rule, {form.id: c}, {}) for c in everyone):
            assert rule_fires(rule, {form.id: partial}, {}), (answers, rule.when)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(partial_answers())
def test_reported_bands_and_flags_hold_for_every_completion(
    case: tuple[CompiledForm, dict[str, object], str | None],
) -> None:
    check_against_completions(*case)


def test_every_bundled_form_with_each_single_item_missing() -> None:
    """Deterministic sweep: every form, every scored item left out of an all-highest and an all-lowest set."""
    for form_id in FORMS:
        form = LIBRARY.get(form_id)
        scored = [i for i, rule in form.items.items() if not rule.is_text]
        for pick in (max, min):
            full: dict[str, object] = {i: pick(values_of(form, i)) for i in scored}
            for item_id in scored:
                for sex in (None, "female"):
                    check_against_completions(form, {k: v for k, v in full.items() if k != item_id}, sex)


def test_safety_rules_exist_for_the_screens_that_guard_safety() -> None:
    assert {"phq4", "phq9", "asq", "auditc"} <= set(SAFETY_RULES)
