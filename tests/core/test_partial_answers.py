"""Partial answers: what the given answers already decide is reported; safety follow-ups ask when unsure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smerteagent.core.batteries import plan_battery
from smerteagent.core.forms.loader import FormLibrary, load_form
from smerteagent.core.scoring.result import ScoreResult


def score(library: FormLibrary, form: str, answers: dict[str, object], sex: str | None = None) -> ScoreResult:
    return library.get(form).score(answers, sex)


def planned(library: FormLibrary, battery: str, finished: dict[str, ScoreResult]) -> list[str]:
    return [p.form_id for p in plan_battery(library.batteries[battery], finished, {})]


def test_phq4_half_already_positive_with_one_item_missing(library: FormLibrary) -> None:
    result = score(library, "phq4", {"q1": 0, "q2": 0, "q3": 3})
    assert "depression_positive" in result.flags
    assert result.results["depression"] is None and result.results["total"] is None  # never zero-filled
    assert "incomplete" in result.flags and result.missing == ("q4",)
    assert result.status == "withheld"


def test_phq4_half_not_yet_decided_is_undecided_not_raised(library: FormLibrary) -> None:
    result = score(library, "phq4", {"q1": 0, "q2": 0, "q3": 1})
    assert "depression_positive" not in result.flags
    assert "depression_positive" in result.undecided_flags
    assert "anxiety_positive" not in result.undecided_flags  # 0 + 0 decides it


@pytest.mark.parametrize("battery", ["gp_first_back", "follow_up", "physio_first_visit"])
@pytest.mark.parametrize("q3", [1, 3])
def test_partial_phq4_adds_phq9_in_every_battery(library: FormLibrary, battery: str, q3: int) -> None:
    finished = {"phq4": score(library, "phq4", {"q1": 0, "q2": 0, "q3": q3})}
    if battery == "physio_first_visit":
        finished["startback"] = score(library, "startback", {**{f"q{i}": 1 for i in range(1, 9)}, "q9": 4})
    plan = planned(library, battery, finished)
    assert "phq9" in plan and "gad7" not in plan


def test_phq4_decided_negative_adds_nothing(library: FormLibrary) -> None:
    finished = {"phq4": score(library, "phq4", {"q1": 0, "q2": 0, "q3": 0})}
    assert "phq9" in planned(library, "gp_first_back", finished)  # q4 = 3 would be positive: ask
    finished = {"phq4": score(library, "phq4", {"q1": 0, "q2": 0, "q3": 0, "q4": 2})}
    assert "phq9" not in planned(library, "gp_first_back", finished)


def test_asq_bands_decided_by_the_answers_given(library: FormLibrary) -> None:
    assert score(library, "asq", {"q2": 1, "q3": 0, "q4": 0, "q5": 0}).band == "non_acute_positive"
    assert score(library, "asq", {"q2": 1, "q5": 0}).band == "non_acute_positive"
    assert score(library, "asq", {"q5": 1}).band == "acute_positive"
    assert score(library, "asq", {"q1": 0, "q2": 0, "q3": 0}).band is None  # q4 yes would make it positive


def test_cssrs_severity_and_band_not_changed_by_q1(library: FormLibrary) -> None:
    result = score(library, "cssrs_screener", {"q2": 1, "q3": 0, "q4": 0, "q5": 0, "q6": 0})
    assert result.results["ideation_severity"] == 2
    assert result.band == "low"
    assert result.missing == ("q1",) and "incomplete" in result.flags


def test_cssrs_intent_decides_high_whatever_is_missing(library: FormLibrary) -> None:
    result = score(library, "cssrs_screener", {"q2": 1, "q4": 1})
    assert result.band == "high"
    assert "suicide_risk_imminent" in result.flags
    assert score(library, "cssrs_screener", {"q4": 1}).band == "high"


def test_band_from_a_withheld_total_when_every_completion_agrees(library: FormLibrary) -> None:
    result = score(library, "phq9", {f"q{i}": 3 for i in range(1, 9)})
    assert result.results["total"] is None and result.band == "severe"
    assert "suicide_item_missing" in result.flags and "suicide_risk" in result.undecided_flags
    assert score(library, "phq9", {f"q{i}": 1 for i in range(1, 9)}).band is None  # 8..11 spans two bands


def test_odi_keeps_its_published_missing_section_rule(library: FormLibrary) -> None:
    one_missing = score(library, "odi", {f"q{i}": 1 for i in range(1, 10)})
    assert "prorated" in one_missing.flags and one_missing.results["total"] == 20.0
    two_missing = score(library, "odi", {f"q{i}": 0 for i in range(1, 9)})
    assert two_missing.results["total"] is None and "incomplete" in two_missing.flags
    assert two_missing.band == "minimal"  # at most 10 of 50 points whatever q9 and q10 are


def test_missing_lists_items_whose_skip_is_undecided(library: FormLibrary) -> None:
    result = score(library, "cssrs_screener", {"q1": 0, "q6": 0})
    assert result.missing == ("q2", "q3", "q4", "q5")
    assert result.status == "withheld"


def test_status_of_complete_and_scoreless_forms(library: FormLibrary, tmp_path: Path) -> None:
    assert score(library, "phq2", {"q1": 0, "q2": 1}).status == "scored"
    assert score(library, "auditc", {"q1": 1, "q2": 1, "q3": 1}).status == "withheld"  # sex needed
    form_file = tmp_path / "plain.json"
    form_file.write_text(
        json.dumps(
            {
                "id": "plain",
                "version": "1",
                "title": {"da": "Spørgsmål", "en": "Questions"},
                "source": "imported",
                "licence": {"wording": "official", "terms": "own"},
                "items": [{"id": "a", "type": "yes_no", "text": {"da": "A", "en": "A"}}],
                "scoring": {},
            }
        ),
        encoding="utf-8",
    )
    plain = load_form(form_file)
    assert plain.score({}).status == "unscored"
    assert plain.score({"a": 1}).to_json()["status"] == "unscored"


@pytest.mark.parametrize(
    ("sex", "answers", "audit"),
    [
        (None, {"q1": 1, "q2": 1, "q3": 1}, True),  # 3 with the sex unknown: the rule that misses nobody
        (None, {"q1": 1, "q2": 1, "q3": 0}, False),
        ("male", {"q1": 1, "q2": 1, "q3": 1}, False),
        ("female", {"q1": 1, "q2": 1, "q3": 1}, True),
        ("male", {"q1": 2, "q2": 1, "q3": 1}, True),
        ("male", {"q1": 1, "q2": 0}, True),  # q3 could still make it 4 or more: ask
        ("male", {"q1": 1, "q2": 0, "q3": 0}, False),
        ("male", {"q1": 0}, False),  # never drinks: q2 and q3 are skipped
    ],
)
def test_auditc_follow_up(library: FormLibrary, sex: str | None, answers: dict[str, object], audit: bool) -> None:
    plan = plan_battery(library.batteries["pain_clinic_intake"], {"auditc": score(library, "auditc", answers, sex)}, {})
    added = [p for p in plan if p.form_id == "audit"]
    assert bool(added) is audit
    if audit and sex is None:
        assert added[0].reason is not None and "unknown" in added[0].reason.en


def test_non_safety_rule_waits_for_a_decided_condition(library: FormLibrary) -> None:
    answers = {"q1": 1, "q2": 1, "q3": 1, "q4": 1, "q5": 1, "q6": 1, "q7": 1, "q8": 0}  # q9 decides medium/high
    startback = score(library, "startback", answers)
    assert startback.band is None
    assert "pcs" not in planned(library, "physio_first_visit", {"startback": startback})
