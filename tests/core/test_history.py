"""Score history: band lines only where the form states them plainly, series in time order."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.history import Point, build_history, thresholds

JAN, FEB, MAR = datetime(2024, 1, 10), datetime(2024, 2, 10), datetime(2024, 3, 10)


def values(library: FormLibrary, form_id: str) -> list[float]:
    return [t.value for t in thresholds(library.get(form_id).definition, "en")]


def test_phq9_thresholds_follow_its_bands(library: FormLibrary) -> None:
    found = thresholds(library.get("phq9").definition, "en")
    assert [t.value for t in found] == [4, 9, 14, 19]
    assert [t.band_below for t in found] == ["minimal", "mild", "moderate", "moderately_severe"]
    assert found[1].label == "Mild depression"


def test_odi_thresholds(library: FormLibrary) -> None:
    assert values(library, "odi") == [20, 40, 60, 80]


def test_sex_dependent_bands_give_no_line(library: FormLibrary) -> None:
    assert values(library, "auditc") == []


def test_no_line_after_a_rule_on_another_result(library: FormLibrary) -> None:
    assert values(library, "startback") == [3]


def test_a_rule_on_the_band_result_alone_is_passed_over(library: FormLibrary) -> None:
    assert values(library, "dast10") == [2, 5, 8]


def test_strict_bound_and_forms_without_bands(library: FormLibrary) -> None:
    assert values(library, "ompsq_sf") == [50]
    assert values(library, "psfs") == []


def test_series_sorted_by_time_and_missing_values_skipped(library: FormLibrary) -> None:
    entries = [(MAR, {"total": 9}), (JAN, {"total": 14}), (FEB, {"total": None})]
    history = build_history(library.get("phq9"), entries, "en")
    (series,) = history.series
    assert series.points == (Point(JAN, 14.0), Point(MAR, 9.0))
    assert (series.result_id, series.low, series.high, series.higher_is) == ("total", 0, 27, "worse")
    assert history.title == "PHQ-9"
    assert [t.value for t in history.thresholds_for("total")] == [4, 9, 14, 19]


def test_change_since_last(library: FormLibrary) -> None:
    entries = [(JAN, {"total": 5, "psychosocial": 2}), (FEB, {"total": 3, "psychosocial": None})]
    history = build_history(library.get("startback"), entries, "en")
    assert history.change_since_last() == {"total": -2.0, "psychosocial": None}


def test_results_without_values_give_no_series_nor_lines(library: FormLibrary) -> None:
    history = build_history(library.get("startback"), [(JAN, {"total": None, "psychosocial": 2})], "en")
    assert [s.result_id for s in history.series] == ["psychosocial"]
    assert history.thresholds == ()
    assert history.thresholds_for("psychosocial") == ()
    assert build_history(library.get("phq9"), [], "en").series == ()


def test_labels_follow_the_language(library: FormLibrary) -> None:
    form = library.get("startback")
    danish = build_history(form, [(JAN, {"total": 5, "psychosocial": 2})], "da")
    english = build_history(form, [(JAN, {"total": 5, "psychosocial": 2})], "en")
    assert [s.label for s in danish.series] == ["Samlet score", "Psykosocial delscore"]
    assert [s.label for s in english.series] == ["Overall score", "Psychosocial subscore"]
    assert danish.thresholds[0].label == "Lav risiko"


def test_real_scores_feed_the_history(library: FormLibrary) -> None:
    form = library.get("psfs")
    result = form.score({"q1": 4, "q2": 6})
    history = build_history(form, [(JAN, result.results)], "en")
    # "Activities rated" counts answers: how complete the form was, not how the patient is, so it is not charted.
    assert [(s.result_id, s.points[0].value) for s in history.series] == [("total", 5.0)]
    assert history.series[0].higher_is == "better"


def test_hidden_results_are_left_out_and_the_full_title_stands_in(library: FormLibrary) -> None:
    form = library.get("startback")
    total, psychosocial = form.definition.scoring.results
    scoring = form.definition.scoring.model_copy(
        update={"results": [total, psychosocial.model_copy(update={"hidden": True})]}
    )
    definition = form.definition.model_copy(update={"scoring": scoring, "short_title": None})
    history = build_history(replace(form, definition=definition), [(JAN, {"total": 5, "psychosocial": 2})], "en")
    assert [s.result_id for s in history.series] == ["total"]
    assert history.title == definition.title.en


def test_psfs_activities_are_charted_by_name_wherever_they_were_rated(library: FormLibrary) -> None:
    psfs = library.get("psfs")
    visits = [
        (datetime(2026, 1, 5), {"q1_activity": "Gå 1 km", "q1": 3, "q2_activity": "Løfte en pose", "q2": 2}),
        (datetime(2026, 3, 5), {"q1_activity": "Løfte en pose", "q1": 6, "q2_activity": "gå  1 KM", "q2": 5}),
    ]
    entries = [(when, psfs.score(answers).results) for when, answers in visits]
    history = build_history(psfs, entries, "da", visits)
    activities = {s.label: [p.value for p in s.points] for s in history.series if s.result_id.startswith("activity:")}
    assert activities == {"Gå 1 km": [3.0, 5.0], "Løfte en pose": [2.0, 6.0]}
    walking = next(s for s in history.series if s.label == "Gå 1 km")
    assert (walking.low, walking.high, walking.higher_is) == (0.0, 10.0, "better")
    assert history.change_since_last()[walking.result_id] == 2.0
