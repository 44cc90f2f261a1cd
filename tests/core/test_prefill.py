"""Answers the register already knows: context items (age from the CPR) and PSFS activities carried forward."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from smerteagent.core.errors import FormError
from smerteagent.core.forms.loader import FormLibrary, load_form
from smerteagent.core.screening_flow import ORIGIN_CONTEXT, ORIGIN_PREVIOUS, ScreeningFlow
from smerteagent.paths import bundled_forms_dir


@pytest.mark.parametrize(("age", "expected"), [(15, 0), (16, 1), (45, 1), (46, 0), (None, None)])
def test_ort_age_item_answered_from_the_age(library: FormLibrary, age: int | None, expected: int | None) -> None:
    for form_id in ("ort", "ort_oud"):
        assert library.get(form_id).context_answers({"age": age, "sex": "male"}).get("q7") == expected


def test_context_answer_is_prefilled_shown_and_changeable(library: FormLibrary) -> None:
    flow = ScreeningFlow.for_form(library, "ort", {"age": 30, "sex": "female"})
    assert flow.prefill() == [("ort", "q7", 1)]
    assert flow.prefill() == [], "a begun instrument is not filled again"
    flow.position = flow.first_open()
    assert flow.item.id == "q1"
    while flow.item.id != "q7":
        flow.set_answer(0)
        following = flow.next_position()
        assert following is not None
        flow.position = following
    assert flow.current_answer() == 1 and flow.origin() == ORIGIN_CONTEXT
    flow.set_answer(1)  # confirmed unchanged: still from the register
    assert flow.origin() == ORIGIN_CONTEXT
    flow.set_answer(0)  # the clinician knows better
    assert flow.origin() is None and flow.current_answer() == 0


def test_psfs_activities_carried_forward_and_shown_first(library: FormLibrary) -> None:
    flow = ScreeningFlow.for_form(library, "psfs")
    flow.previous = {"psfs": {"q1_activity": "Gå 1 km", "q1": 3, "q2_activity": "Løfte en pose", "q2": 5}}
    filled = flow.prefill()
    assert filled == [("psfs", "q1_activity", "Gå 1 km"), ("psfs", "q2_activity", "Løfte en pose")]
    assert "q1" not in flow.form_answers(), "ratings are today's, never carried"
    flow.position = flow.first_open()
    assert flow.item.id == "q1_activity" and flow.origin() == ORIGIN_PREVIOUS


def test_from_context_may_only_read_the_context(tmp_path: Path) -> None:
    data = yaml.safe_load((bundled_forms_dir() / "ort_oud.yaml").read_text(encoding="utf-8"))
    data["items"][6]["from_context"] = "q1 == 1"
    path = tmp_path / "ort_oud.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FormError) as error:
        load_form(path)
    assert "items[6].from_context" in str(error.value) and "age, sex" in str(error.value)


def test_named_by_must_name_a_free_text_item(tmp_path: Path) -> None:
    data = yaml.safe_load((bundled_forms_dir() / "psfs.yaml").read_text(encoding="utf-8"))
    data["items"][3]["named_by"] = "q1"
    path = tmp_path / "psfs.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FormError, match=r"items\[3\]\.named_by"):
        load_form(path)
