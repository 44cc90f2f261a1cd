"""The visit overview after a battery: every result with its band, STarT Back's matched treatment, and every
flag — critical first, never dropped once its action is recorded (it is marked handled instead)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from smerteagent.core.careplan.suggestions import bundled_recommendations
from smerteagent.core.encounter_overview import encounter_overview
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.scoring.result import ScoreResult

STARTBACK_HIGH = {"q1": 1, "q2": 1, "q3": 1, "q4": 1, "q5": 1, "q6": 1, "q7": 1, "q8": 1, "q9": 4}


@dataclass(frozen=True)
class Record:
    id: int
    form_id: str
    score: ScoreResult | None


def scored(library: FormLibrary, record_id: int, form_id: str, answers: dict[str, int]) -> Record:
    return Record(record_id, form_id, library.forms[form_id].score(answers))


def test_startback_high_risk_brings_its_matched_treatment(library: FormLibrary) -> None:
    records = [scored(library, 1, "startback", STARTBACK_HIGH)]
    overview = encounter_overview(records, library.forms, bundled_recommendations(), "da")
    [line] = overview.lines
    assert line.finished and line.band_severity in {"warning", "critical"}
    assert overview.startback_band_label == line.band_label and "høj" in (line.band_label or "").lower()
    expected = [s.text for s in bundled_recommendations().suggest([], "high", "da") if s.kind == "matched"]
    assert overview.matched_treatment == expected[0]


def test_critical_flags_come_first_and_stay_when_handled(library: FormLibrary) -> None:
    phq4 = scored(library, 1, "phq4", {"q1": 2, "q2": 2, "q3": 0, "q4": 0})
    phq9 = scored(library, 2, "phq9", {f"q{n}": 0 for n in range(1, 9)} | {"q9": 1})
    overview = encounter_overview(
        [phq4, phq9], library.forms, bundled_recommendations(), "da", handled={(2, "suicide_risk")}
    )
    flags = overview.flags_by_severity()
    assert flags[0][1].severity == "critical" and flags[0][0] == "PHQ-9" and flags[0][1].handled
    assert any(title == "PHQ-4" and not flag.handled for title, flag in flags)


def test_a_draft_is_shown_as_unfinished_and_no_startback_means_no_matched_treatment(library: FormLibrary) -> None:
    overview = encounter_overview([Record(1, "phq9", None)], library.forms, bundled_recommendations(), "en")
    assert [line.finished for line in overview.lines] == [False]
    assert overview.matched_treatment is None and overview.startback_band_label is None


@dataclass(frozen=True)
class Stored:
    id: int
    form_id: str
    score: ScoreResult | None
    encounter_id: int = 1
    created_at: datetime = datetime(2026, 3, 2, 10)
    completed_at: datetime | None = None


def test_a_flag_asking_for_gad7_says_it_was_followed_up_once_gad7_is_complete(library: FormLibrary) -> None:
    """Issue 15 item 7: 'udfyld GAD-7' is gone once GAD-7 has a complete response in the visit."""
    phq4 = Stored(1, "phq4", library.forms["phq4"].score({"q1": 2, "q2": 2, "q3": 0, "q4": 0}))
    gad7 = Stored(2, "gad7", library.forms["gad7"].score({f"q{n}": 1 for n in range(1, 8)}))
    asking = encounter_overview([phq4], library.forms, bundled_recommendations(), "da", completed=[phq4])
    assert "udfyld GAD-7" in asking.flags_by_severity()[0][1].text
    both = [phq4, gad7]
    overview = encounter_overview(both, library.forms, bundled_recommendations(), "da", completed=both)
    [(title, flag)] = overview.flags_by_severity()
    assert title == "PHQ-4" and flag.text == "Angstdelen (GAD-2) er positiv (≥ 3) — fulgt op med GAD-7"


def test_phq4s_band_advice_counts_as_followed_up_once_each_positive_part_has_its_instrument(
    library: FormLibrary,
) -> None:
    """The PHQ-4 row said 'udfyld GAD-7/PHQ-9 ved positiv del' after both were done: the band's advice depends
    on which part is positive, so it is followed up when every raised part's instrument is complete."""
    from smerteagent.core.flag_status import band_followed_up

    phq4 = Stored(1, "phq4", library.forms["phq4"].score({"q1": 2, "q2": 2, "q3": 2, "q4": 1}))
    assert phq4.score is not None and phq4.score.band == "moderate"
    assert set(phq4.score.flags) == {"anxiety_positive", "depression_positive"}
    gad7 = Stored(2, "gad7", library.forms["gad7"].score({f"q{n}": 1 for n in range(1, 8)}))
    phq9 = Stored(3, "phq9", library.forms["phq9"].score({f"q{n}": 1 for n in range(1, 10)}))
    assert band_followed_up(phq4, [phq4, gad7], library.forms, "da") == ()  # PHQ-9 still to do
    assert band_followed_up(phq4, [phq4, gad7, phq9], library.forms, "da") == ("GAD-7", "PHQ-9")
    calm = Stored(4, "phq4", library.forms["phq4"].score({"q1": 1, "q2": 1, "q3": 1, "q4": 1}))
    assert band_followed_up(calm, [calm, gad7, phq9], library.forms, "da") == ()  # nothing was asked for
