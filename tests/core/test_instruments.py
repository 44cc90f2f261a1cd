"""Every bundled instrument scored against its publication: both sides of each cut-off, extremes,
the missing-item rule and sex-specific variants. The citation of each rule is in the test's docstring
and in the form file's ``source``."""

from __future__ import annotations

import pytest

from smerteagent.core.errors import AnswerError
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.scoring.result import ScoreResult
from tests.core.instrument_cases import q, same, with_sum


def score(library: FormLibrary, form: str, answers: dict[str, object], sex: str | None = None) -> ScoreResult:
    return library.get(form).score(answers, sex)


def assert_band_at(library: FormLibrary, form: str, ids: list[str], highest: int, cases: dict[int, str]) -> None:
    for total, band in cases.items():
        result = score(library, form, with_sum(ids, total, highest))
        assert (result.results["total"], result.band) == (total, band), f"{form} total {total}"
        assert "incomplete" not in result.flags


def test_phq9_bands(library: FormLibrary) -> None:
    """Kroenke 2001: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-19 moderately severe, 20-27 severe."""
    cases = {0: "minimal", 4: "minimal", 5: "mild", 9: "mild", 10: "moderate", 14: "moderate"}
    cases |= {15: "moderately_severe", 19: "moderately_severe", 20: "severe", 27: "severe"}
    assert_band_at(library, "phq9", q(1, 9), 3, cases)


def test_phq9_item9_raises_suicide_risk_at_any_positive_value(library: FormLibrary) -> None:
    """Kroenke 2001: item 9 endorsed at any frequency warrants assessment of suicide risk."""
    for value, expected in ((0, False), (1, True), (2, True), (3, True)):
        result = score(library, "phq9", {**same(q(1, 8), 0), "q9": value})
        assert ("suicide_risk" in result.flags) is expected
        assert ("suicide_risk" in result.critical_flags) is expected


def test_phq9_missing_item_withholds_total_but_not_safety(library: FormLibrary) -> None:
    """PHQ-9 publishes no missing-item rule: total and band are withheld; item 9 still counts."""
    result = score(library, "phq9", {"q1": 3, "q9": 2})
    assert result.results["total"] is None and result.band is None
    assert {"incomplete", "suicide_risk"} <= set(result.flags)
    assert result.missing == tuple(q(2, 8))
    unanswered9 = score(library, "phq9", same(q(1, 8), 1))
    assert {"incomplete", "suicide_item_missing"} <= set(unanswered9.flags)
    assert "suicide_risk" not in unanswered9.flags
    assert unanswered9.missing == ("q9",)


def test_gad7_bands(library: FormLibrary) -> None:
    """Spitzer 2006: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-21 severe."""
    cases = {0: "minimal", 4: "minimal", 5: "mild", 9: "mild", 10: "moderate", 14: "moderate"}
    cases |= {15: "severe", 21: "severe"}
    assert_band_at(library, "gad7", q(1, 7), 3, cases)


def test_phq4_bands_and_subscales(library: FormLibrary) -> None:
    """Kroenke 2009: total 0-2 normal, 3-5 mild, 6-8 moderate, 9-12 severe; subscales >= 3 positive."""
    cases = {0: "normal", 2: "normal", 3: "mild", 5: "mild", 6: "moderate", 8: "moderate"}
    cases |= {9: "severe", 12: "severe"}
    assert_band_at(library, "phq4", q(1, 4), 3, cases)
    result = score(library, "phq4", {"q1": 2, "q2": 1, "q3": 1, "q4": 1})
    assert result.results == {"total": 5, "anxiety": 3, "depression": 2}
    assert "anxiety_positive" in result.flags and "depression_positive" not in result.flags
    result = score(library, "phq4", {"q1": 1, "q2": 1, "q3": 0, "q4": 3})
    assert "depression_positive" in result.flags and "anxiety_positive" not in result.flags


def test_phq4_subscale_computed_on_its_own(library: FormLibrary) -> None:
    """PRODUCT.md: each PHQ-4 subscale stands alone, so half a form still screens that half."""
    result = score(library, "phq4", {"q1": 2, "q2": 2})
    assert result.results == {"total": None, "anxiety": 4, "depression": None}
    assert result.band is None
    assert {"anxiety_positive", "incomplete"} <= set(result.flags)


@pytest.mark.parametrize("form", ["phq2", "gad2"])
def test_two_item_screens(library: FormLibrary, form: str) -> None:
    """Kroenke 2003 (PHQ-2), Kroenke 2007 (GAD-2): positive at a total of 3 or more."""
    assert_band_at(library, form, q(1, 2), 3, {0: "negative", 2: "negative", 3: "positive", 6: "positive"})


def test_startback_stratification(library: FormLibrary) -> None:
    """Hill 2008: total <= 3 low; otherwise psychosocial (items 5-9) <= 3 medium, >= 4 high.
    Item 9 counts 1 only for 'very much' (3) or 'extremely' (4)."""
    cases = [
        ({**same(q(1, 8), 0), "q9": 0}, 0, 0, "low"),
        ({**same(q(1, 8), 1), "q9": 4}, 9, 5, "high"),
        ({**same(q(5, 7), 1), "q1": 0, "q2": 0, "q3": 0, "q4": 0, "q8": 0, "q9": 3}, 4, 4, "high"),
        ({**same(q(5, 7), 1), "q1": 0, "q2": 0, "q3": 0, "q4": 0, "q8": 0, "q9": 2}, 3, 3, "low"),
        ({**same(q(1, 4), 1), **same(q(5, 8), 0), "q9": 2}, 4, 0, "medium"),
        ({**same(q(1, 3), 1), "q4": 0, "q5": 1, "q6": 1, "q7": 0, "q8": 0, "q9": 4}, 6, 3, "medium"),
        ({**same(q(1, 2), 0), **same(q(3, 8), 1), "q9": 1}, 6, 4, "high"),
    ]
    for answers, total, psychosocial, band in cases:
        result = score(library, "startback", answers)
        assert result.results == {"total": total, "psychosocial": psychosocial}
        assert result.band == band


def test_peg_mean(library: FormLibrary) -> None:
    """Krebs 2009: PEG score is the mean of its three 0-10 items; reported to 2 decimals."""
    assert score(library, "peg", {"q1": 3, "q2": 4, "q3": 5}).results["total"] == 4.0
    assert score(library, "peg", {"q1": 1, "q2": 2, "q3": 2}).results["total"] == 1.67
    assert score(library, "peg", same(q(1, 3), 10)).results["total"] == 10
    missing = score(library, "peg", {"q1": 3, "q2": 4})
    assert missing.results["total"] is None and "incomplete" in missing.flags


def test_psfs_mean_of_rated_activities(library: FormLibrary) -> None:
    """Stratford 1995: the PSFS score is the mean of the activities rated (at least one)."""
    one = score(library, "psfs", {"q1_activity": "Gå tur med hunden", "q1": 3})
    assert one.results == {"total": 3.0, "activities_rated": 1}
    three = score(library, "psfs", {"q1": 3, "q2": 4, "q3": 4})
    assert three.results == {"total": 3.67, "activities_rated": 3}
    assert score(library, "psfs", same(q(1, 5), 10)).results["total"] == 10
    none = score(library, "psfs", {})
    assert none.results == {"total": None, "activities_rated": 0}
    assert "incomplete" in none.flags


def test_odi_percentage_and_bands(library: FormLibrary) -> None:
    """Fairbank 2000 (ODI 2.1a): 100 x sum / (5 x sections answered); 0-20 minimal, 21-40 moderate,
    41-60 severe, 61-80 crippled, 81-100 bed-bound."""
    cases = {0: (0, "minimal"), 10: (20, "minimal"), 11: (22, "moderate"), 20: (40, "moderate")}
    cases |= {21: (42, "severe"), 30: (60, "severe"), 31: (62, "crippled"), 40: (80, "crippled")}
    cases |= {41: (82, "bed_bound"), 50: (100, "bed_bound")}
    for raw, (percent, band) in cases.items():
        result = score(library, "odi", with_sum(q(1, 10), raw, 5))
        assert (result.results["total"], result.band) == (percent, band)
        assert not {"prorated", "incomplete"} & set(result.flags)


def test_odi_one_section_missing_is_prorated(library: FormLibrary) -> None:
    """Fairbank 2000: with one section unanswered the denominator is 45; two or more are not scored."""
    nine = with_sum(q(1, 9), 9, 5)
    result = score(library, "odi", nine)
    assert (result.results["total"], result.band) == (20, "minimal")
    assert "prorated" in result.flags and "incomplete" not in result.flags
    result = score(library, "odi", with_sum(q(1, 9), 10, 5))
    assert (result.results["total"], result.band) == (22.22, "moderate")
    result = score(library, "odi", with_sum(q(1, 8), 10, 5))
    assert (result.results["total"], result.band) == (None, None)
    assert "incomplete" in result.flags


def test_rmdq_count_of_yes(library: FormLibrary) -> None:
    """Roland & Morris 1983: one point per statement ticked, 0-24; all statements are needed."""
    assert score(library, "rmdq", same(q(1, 24), 0)).results["total"] == 0
    assert score(library, "rmdq", same(q(1, 24), 1)).results["total"] == 24
    assert score(library, "rmdq", {**same(q(1, 24), 0), "q7": 1, "q20": 1}).results["total"] == 2
    partial = score(library, "rmdq", same(q(1, 23), 1))
    assert partial.results["total"] is None and partial.missing == ("q24",)


def test_pcs_total_subscales_and_threshold(library: FormLibrary) -> None:
    """Sullivan 1995: total 0-52; rumination 8-11, magnification 6, 7, 13, helplessness 1-5, 12;
    a total of 30 or more is clinically relevant."""
    top = score(library, "pcs", same(q(1, 13), 4))
    assert top.results == {"total": 52, "rumination": 16, "magnification": 12, "helplessness": 24}
    assert_band_at(
        library, "pcs", q(1, 13), 4, {0: "below_threshold", 29: "below_threshold", 30: "clinically_relevant"}
    )
    answers = {**same(q(1, 13), 0), "q6": 2, "q7": 1, "q13": 3, "q8": 4, "q12": 1}
    assert score(library, "pcs", answers).results == {
        "total": 11,
        "rumination": 4,
        "magnification": 6,
        "helplessness": 1,
    }


def test_was_bands(library: FormLibrary) -> None:
    """Ahlstrom 2010: 0-5 poor, 6-7 moderate, 8-9 good, 10 excellent."""
    for value, band in [(0, "poor"), (5, "poor"), (6, "moderate"), (7, "moderate"), (8, "good"), (9, "good")]:
        assert score(library, "was", {"q1": value}).band == band
    assert score(library, "was", {"q1": 10}).results["total"] == 10
    assert score(library, "was", {"q1": 10}).band == "excellent"


def test_ompsq_short_form(library: FormLibrary) -> None:
    """Linton 2011: 10 items, items 3, 4 and 8 reversed (10 - x); total 1-100; >= 50 high risk."""
    lowest = {"q1": 1, **same(q(2, 10), 0), "q3": 10, "q4": 10, "q8": 10}
    assert score(library, "ompsq_sf", lowest).results["total"] == 1
    highest = {"q1": 10, **same(q(2, 10), 10), "q3": 0, "q4": 0, "q8": 0}
    assert score(library, "ompsq_sf", highest).results["total"] == 100
    near = {"q1": 10, "q2": 10, "q3": 10, "q4": 10, "q5": 10, "q6": 10, "q7": 9, "q8": 10, "q9": 0, "q10": 0}
    result = score(library, "ompsq_sf", near)
    assert (result.results["total"], result.band) == (49, "low_risk")
    result = score(library, "ompsq_sf", {**near, "q7": 10})
    assert (result.results["total"], result.band) == (50, "high_risk")


ORT_FEMALE = [1, 2, 4, 3, 4, 5, 1, 3, 2, 1]
ORT_MALE = [3, 3, 4, 3, 4, 5, 1, 0, 2, 1]


@pytest.mark.parametrize(("sex", "points"), [("female", ORT_FEMALE), ("male", ORT_MALE)])
def test_ort_points_by_sex(library: FormLibrary, sex: str, points: list[int]) -> None:
    """Webster 2005: each 'yes' scores the published points for the patient's sex."""
    for index, expected in enumerate(points, start=1):
        answers = {**same(q(1, 10), 0), f"q{index}": 1}
        assert score(library, "ort", answers, sex).results["total"] == expected, f"q{index}"
    assert score(library, "ort", same(q(1, 10), 1), sex).results["total"] == 26


def test_ort_bands(library: FormLibrary) -> None:
    """Webster 2005: 0-3 low, 4-7 moderate, >= 8 high."""
    none = same(q(1, 10), 0)
    cases = [
        ({**none, "q1": 1, "q7": 1, "q10": 1}, "female", 3, "low"),
        ({**none, "q1": 1, "q2": 1, "q7": 1}, "female", 4, "moderate"),
        ({**none, "q1": 1, "q7": 1}, "male", 4, "moderate"),
        ({**none, "q1": 1, "q2": 1, "q7": 1}, "male", 7, "moderate"),
        ({**none, "q1": 1, "q2": 1, "q7": 1, "q10": 1}, "male", 8, "high"),
        ({**none, "q8": 1}, "male", 0, "low"),
    ]
    for answers, sex, total, band in cases:
        result = score(library, "ort", answers, sex)
        assert (result.results["total"], result.band) == (total, band)


def test_ort_without_sex(library: FormLibrary) -> None:
    """PRODUCT.md: ORT without sex has no total and raises sex_required (not incomplete)."""
    result = score(library, "ort", same(q(1, 10), 0))
    assert (result.results["total"], result.band) == (None, None)
    assert "sex_required" in result.flags and "incomplete" not in result.flags


def test_ort_oud(library: FormLibrary) -> None:
    """Cheatle 2019: nine yes/no items, 1 point each; 0-2 low, >= 3 high."""
    assert_band_at(library, "ort_oud", q(1, 9), 1, {0: "low", 2: "low", 3: "high", 9: "high"})


def test_cage_aid(library: FormLibrary) -> None:
    """Brown 1995: one 'yes' is positive, two or more strongly positive."""
    cases = {0: "negative", 1: "positive", 2: "strongly_positive", 4: "strongly_positive"}
    assert_band_at(library, "cage_aid", q(1, 4), 1, cases)


def test_auditc_cut_offs_by_sex(library: FormLibrary) -> None:
    """Bush 1998; Bradley 2003: positive at >= 4 for men and >= 3 for women."""
    for sex, cases in (("male", {3: "negative", 4: "positive"}), ("female", {2: "negative", 3: "positive"})):
        for total, band in cases.items():
            result = score(library, "auditc", with_sum(q(1, 3), total, 4), sex)
            assert (result.results["total"], result.band) == (total, band)
    no_sex = score(library, "auditc", with_sum(q(1, 3), 5, 4))
    assert (no_sex.results["total"], no_sex.band) == (5, None)
    assert "sex_required" in no_sex.flags and "incomplete" not in no_sex.flags
    assert score(library, "auditc", same(q(1, 3), 4), "female").results["total"] == 12


def test_audit_zones_and_subscales(library: FormLibrary) -> None:
    """Babor 2001 (WHO): 0-7 low risk, 8-15 hazardous, 16-19 harmful, 20-40 possible dependence;
    items 9 and 10 take 0, 2 or 4."""
    base = same(q(1, 10), 0)
    for total, band in {0: "low_risk", 7: "low_risk", 8: "hazardous", 15: "hazardous"}.items():
        result = score(library, "audit", {**base, **with_sum(q(1, 8), total, 4)})
        assert (result.results["total"], result.band) == (total, band)
    for total, band in {16: "harmful", 19: "harmful", 20: "possible_dependence"}.items():
        result = score(library, "audit", {**base, **with_sum(q(1, 8), total - 4, 4), "q10": 4})
        assert (result.results["total"], result.band) == (total, band)
    top = score(library, "audit", {**same(q(1, 8), 4), "q9": 4, "q10": 4})
    assert top.results == {"total": 40, "consumption": 12, "dependence": 12, "harm": 16}
    with pytest.raises(AnswerError) as caught:
        score(library, "audit", {"q9": 1})
    assert caught.value.item == "q9"


def test_dast10_item3_reversed(library: FormLibrary) -> None:
    """Skinner 1982: one point per 'yes' except item 3 (able to stop), which scores for 'no';
    0 none, 1-2 low, 3-5 moderate, 6-8 substantial, 9-10 severe."""
    all_no = score(library, "dast10", same(q(1, 10), 0))
    assert (all_no.results["total"], all_no.band) == (1, "low")
    clean = score(library, "dast10", {**same(q(1, 10), 0), "q3": 1})
    assert (clean.results["total"], clean.band) == (0, "none")
    worst = score(library, "dast10", {**same(q(1, 10), 1), "q3": 0})
    assert (worst.results["total"], worst.band) == (10, "severe")
    for yes_count, band in {
        2: "low",
        3: "moderate",
        5: "moderate",
        6: "substantial",
        8: "substantial",
    }.items():
        answers = {**same(q(1, 10), 0), "q3": 1, **same([i for i in q(1, 10) if i != "q3"][:yes_count], 1)}
        result = score(library, "dast10", answers)
        assert (result.results["total"], result.band) == (yes_count, band)
    nine = {**same(q(1, 10), 1), "q3": 0, "q10": 0}
    assert (score(library, "dast10", nine).results["total"], score(library, "dast10", nine).band) == (
        9,
        "severe",
    )


CSSRS_NO = {"q1": 0, "q2": 0, "q6": 0}


@pytest.mark.parametrize(
    ("answers", "severity", "band", "flags"),
    [
        (CSSRS_NO, 0, "none", set()),
        ({**CSSRS_NO, "q1": 1}, 1, "low", {"suicide_risk"}),
        ({"q1": 1, "q2": 1, "q3": 0, "q4": 0, "q5": 0, "q6": 0}, 2, "low", {"suicide_risk"}),
        ({"q1": 1, "q2": 1, "q3": 1, "q4": 0, "q5": 0, "q6": 0}, 3, "moderate", {"suicide_risk"}),
        ({"q1": 1, "q2": 1, "q3": 1, "q4": 1, "q5": 0, "q6": 0}, 4, "high", {"suicide_risk_imminent"}),
        ({"q1": 0, "q2": 1, "q3": 0, "q4": 0, "q5": 1, "q6": 0}, 5, "high", {"suicide_risk_imminent"}),
        ({**CSSRS_NO, "q6": 1, "q6b": 0}, 0, "moderate", {"suicide_risk"}),
        ({**CSSRS_NO, "q6": 1, "q6b": 1}, 0, "high", {"suicide_risk", "suicide_risk_imminent"}),
        ({**CSSRS_NO, "q3": 1}, 3, "moderate", {"suicide_risk", "inconsistent_skip"}),
        ({**CSSRS_NO, "q5": 1}, 5, "high", {"suicide_risk_imminent", "inconsistent_skip"}),
    ],
)
def test_cssrs_screener(
    library: FormLibrary, answers: dict[str, int], severity: int, band: str, flags: set[str]
) -> None:
    """Posner 2011 / C-SSRS Screen Version: 3-5 asked only after a yes to 2, 6b only after a yes to 6;
    yes to 1-2 low, 3 or lifetime behaviour moderate, 4, 5 or behaviour within 3 months high."""
    result = score(library, "cssrs_screener", answers)
    assert result.results == {"total": None, "ideation_severity": severity}
    assert result.band == band
    assert flags <= set(result.flags)
    if band in ("none", "low", "moderate"):
        assert "suicide_risk_imminent" not in result.flags
    assert "incomplete" not in result.flags


def test_cssrs_unanswered_follow_up_question(library: FormLibrary) -> None:
    """A yes to 2 makes 3-5 required; without them the band is withheld but the risk flag stands."""
    result = score(library, "cssrs_screener", {"q1": 1, "q2": 1, "q6": 0})
    assert result.band is None
    assert result.missing == ("q3", "q4", "q5")
    assert {"suicide_risk", "incomplete"} <= set(result.flags)


ASQ_NO = {"q1": 0, "q2": 0, "q3": 0, "q4": 0}


@pytest.mark.parametrize(
    ("answers", "band", "flags", "absent"),
    [
        (ASQ_NO, "negative", set(), {"suicide_risk"}),
        ({**ASQ_NO, "q5": 0}, "negative", set(), {"suicide_risk"}),
        ({**ASQ_NO, "q2": 1, "q5": 0}, "non_acute_positive", {"suicide_risk"}, {"suicide_risk_imminent"}),
        ({**ASQ_NO, "q4": 1, "q5": 1}, "acute_positive", {"suicide_risk", "suicide_risk_imminent"}, set()),
        (
            {**ASQ_NO, "q3": 9, "q5": 0},
            "non_acute_positive",
            {"suicide_risk", "declined_to_answer"},
            {"suicide_risk_imminent"},
        ),
        (
            {**ASQ_NO, "q1": 1, "q5": 9},
            "acute_positive",
            {"suicide_risk_imminent", "declined_to_answer"},
            set(),
        ),
        ({**ASQ_NO, "q5": 1}, "acute_positive", {"suicide_risk_imminent"}, set()),
    ],
)
def test_asq(library: FormLibrary, answers: dict[str, int], band: str, flags: set[str], absent: set[str]) -> None:
    """NIMH ASQ: yes or a declined answer to 1-4 is positive; 5 yes (or declined after a positive
    screen) is acute."""
    result = score(library, "asq", answers)
    assert result.band == band
    assert flags <= set(result.flags)
    assert not absent & set(result.flags)


def test_asq_positive_without_acuity_answer(library: FormLibrary) -> None:
    """A positive screen makes question 5 required; until then the risk flag is raised, band withheld."""
    result = score(library, "asq", {**ASQ_NO, "q1": 1})
    assert (result.band, result.missing) == (None, ("q5",))
    assert {"suicide_risk", "incomplete"} <= set(result.flags)
