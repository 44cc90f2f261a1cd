"""The path through a screening without Qt: skips, follow-ups, progress and where to resume."""

from __future__ import annotations

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.screening_flow import Position, ScreeningFlow


def walk(flow: ScreeningFlow, library: FormLibrary, answers: dict[str, int]) -> list[str]:
    """Answer the current instrument item by item; return the item ids that were asked."""
    asked = []
    while True:
        asked.append(flow.item.id)
        flow.set_answer(answers[flow.item.id])
        following = flow.next_position()
        if following is None:
            flow.finish_current(library.get(flow.form.id).score(flow.form_answers()))
            return asked
        flow.position = following


def test_cssrs_skips_follow_up_questions_after_no(library: FormLibrary) -> None:
    flow = ScreeningFlow.for_form(library, "cssrs_screener")
    asked = walk(flow, library, {"q1": 1, "q2": 0, "q6": 1, "q6b": 0})
    assert asked == ["q1", "q2", "q6", "q6b"]
    assert flow.done and flow.finished["cssrs_screener"].band == "moderate"


def test_cssrs_asks_everything_after_yes(library: FormLibrary) -> None:
    flow = ScreeningFlow.for_form(library, "cssrs_screener")
    asked = walk(flow, library, {"q1": 1, "q2": 1, "q3": 0, "q4": 0, "q5": 0, "q6": 0})
    assert asked == ["q1", "q2", "q3", "q4", "q5", "q6"]


def test_follow_up_is_inserted_after_its_trigger_and_progress_grows(library: FormLibrary) -> None:
    flow = ScreeningFlow.for_battery(library, "follow_up", {"sex": "female"})
    for form_id in ("peg", "psfs"):
        assert flow.form.id == form_id
        flow.finish_current(library.get(form_id).score({}))
    assert flow.form.id == "phq4"
    _, asked_before = flow.progress()
    walk(flow, library, {"q1": 2, "q2": 2, "q3": 0, "q4": 0})
    assert [p.form_id for p in flow.planned] == ["peg", "psfs", "phq4", "gad7"]
    # GAD-7's first two items are PHQ-4's GAD-2 part: carried over, so GAD-7 starts at its third.
    assert flow.form.id == "gad7" and flow.position == Position(3, 2)
    assert flow.form_answers("gad7") == {"q1": 2, "q2": 2}
    assert flow.progress()[1] == asked_before + 7
    assert flow.planned[3].reason is not None


def test_resume_starts_at_the_first_unanswered_question(library: FormLibrary) -> None:
    flow = ScreeningFlow.for_form(library, "phq9")
    flow.answers["phq9"] = {"q1": 1, "q2": 2, "q4": 0}
    assert flow.first_open() == Position(0, 2)
    flow.answers["phq9"] = {f"q{i}": 0 for i in range(1, 10)}
    assert flow.first_open() == Position(0, 9)  # the optional difficulty question q10 is still open


def test_phq9_takes_the_phq2_answers_and_never_overwrites_one(library: FormLibrary) -> None:
    flow = ScreeningFlow.for_battery(library, "follow_up", {"sex": "female"})
    for form_id in ("peg", "psfs"):
        flow.finish_current(library.get(form_id).score({}))
    flow.answers["phq9"] = {"q2": 0}  # already given (e.g. resumed): the carry leaves it alone
    walk(flow, library, {"q1": 0, "q2": 0, "q3": 3, "q4": 2})
    assert flow.form.id == "phq9"
    assert flow.form_answers("phq9") == {"q1": 3, "q2": 0}
    assert flow.carry_answers() == [], "carrying twice adds nothing"


def test_a_carry_between_items_with_other_answers_is_refused(library: FormLibrary) -> None:
    import pytest

    from smerteagent.core.batteries import check_battery
    from smerteagent.core.errors import FormError

    battery = library.batteries["follow_up"]
    rules = [r.model_copy(update={"carry": {"q1": "q1"}}) if r.add == ["phq9"] else r for r in battery.follow_ups]
    broken = battery.model_copy(update={"follow_ups": rules, "instruments": [*battery.instruments, "peg"]})
    bad = broken.model_copy(update={"follow_ups": [
        r.model_copy(update={"carry": {"q1": "q1"}, "after": "peg"}) if r.add == ["phq9"] else r for r in rules
    ]})  # fmt: skip
    with pytest.raises(FormError) as caught:
        check_battery(bad, library.forms, "x.yaml")
    assert "carry" in str(caught.value)
