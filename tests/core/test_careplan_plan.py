"""Treatment suggestions and the plan's completeness checklist (the supervision checkpoints)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import yaml

from smerteagent.core.careplan.completeness import PlanFacts, check, missing, needs_safety_plan
from smerteagent.core.careplan.medication import Catalogue, Medication
from smerteagent.core.careplan.suggestions import Recommendations
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.paths import bundled_resources_dir

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def recommendations() -> Recommendations:
    return Recommendations.load(bundled_resources_dir() / "careplan" / "recommendations.yaml")


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.load(bundled_resources_dir() / "medication" / "medication.yaml")


def test_startback_group_gives_its_matched_treatment_first(recommendations: Recommendations) -> None:
    high = recommendations.suggest(["low_back_new"], "high", "da")
    assert high[0].kind == "matched" and "Psykologisk informeret" in high[0].text
    assert recommendations.suggest([], "low", "en")[0].text.startswith("Advice, reassurance")
    assert [s.kind for s in recommendations.suggest([], None, "da")] == ["offer"] * 3


def test_guideline_suggestions_fit_the_pain_type_strongest_first(recommendations: Recommendations) -> None:
    generalised = recommendations.suggest(["generalised"], None, "da")
    guideline = [s for s in generalised if s.kind == "guideline"]
    assert [s.id for s in guideline] == [
        "patient_education",
        "cbt_act",
        "supervised_exercise_function",
        "work_situation",
    ]
    assert guideline[0].strength == "strong_for"
    back = [s.id for s in recommendations.suggest(["low_back_new"], None, "en") if s.kind == "guideline"]
    assert back[0] == "supervised_exercise_back" and back[-1] == "acupuncture_back"
    assert any("Lær at tackle kroniske smerter" in s.text for s in generalised)
    with pytest.raises(ValueError, match="fibro"):
        recommendations.suggest(["fibro"], None, "da")


def test_every_suggestion_has_both_languages_and_a_known_pain_type(recommendations: Recommendations) -> None:
    for suggestion in recommendations.document["suggestions"]:
        assert suggestion["da"] and suggestion["en"]
        assert set(suggestion["pain_types"]) <= set(recommendations.pain_types)


def test_every_suggestion_has_a_patient_version_in_plain_second_person(recommendations: Recommendations) -> None:
    clinician_words = ("patient", "overvej", "consider", "supervis", "primærsektor", "henblik", "indsats")
    every = recommendations.suggest(recommendations.pain_types, "high", "da")
    every += recommendations.suggest([], "low", "da") + recommendations.suggest([], "medium", "da")
    for language in ("da", "en"):
        for suggestion in recommendations.suggest(recommendations.pain_types, "high", language):
            words = suggestion.patient_text.lower()
            assert suggestion.patient_text and not any(w in words for w in clinician_words), suggestion.id
    for suggestion in every:  # chosen in either language, printed in the patient's
        assert recommendations.patient_wording(suggestion.text, "en") != suggestion.text
        assert recommendations.patient_wording(suggestion.text, "da") == suggestion.patient_text
    assert recommendations.patient_wording("Gåtur hver dag", "da") == "Gåtur hver dag", "own words stay as written"


def test_the_safety_plan_contacts_speak_to_the_patient() -> None:
    contacts = yaml.safe_load((bundled_resources_dir() / "careplan" / "safety_contacts.yaml").read_text("utf-8"))
    for contact in contacts["contacts"]:
        for language in ("da", "en"):
            assert "klinikken" not in contact[language] and "the clinic" not in contact[language], contact["id"]


def test_complete_plan_for_a_patient_on_opioids(library: FormLibrary, catalogue: Catalogue) -> None:
    results = {
        "phq9": library.get("phq9").score({f"q{i}": 0 for i in range(1, 10)}),
        "ort": library.get("ort").score({f"q{i}": 0 for i in range(1, 11)}, "female"),
    }
    medications = (Medication("Oxycodon", 20, started_on=TODAY - timedelta(days=200), has_tapering_plan=True),)
    facts = PlanFacts(results, medications, medication_reviewed=True, consent_given=True, follow_up_on=TODAY)
    assert missing(check(facts, catalogue)) == []


def test_missing_checkpoints_are_named(library: FormLibrary, catalogue: Catalogue) -> None:
    medications = (Medication("Diazepam", 10, started_on=TODAY - timedelta(days=400)),)
    unanswered9 = library.get("phq9").score({f"q{i}": 0 for i in range(1, 9)})
    facts = PlanFacts({"phq9": unanswered9}, medications)
    assert [c.id for c in missing(check(facts, catalogue))] == [
        "suicide_risk", "abuse_stance", "medication_review", "tapering_plan", "consent", "follow_up",
    ]  # fmt: skip
    assert all(c.label for c in check(facts, catalogue))


def test_abuse_and_tapering_checkpoints_apply_only_with_addictive_drugs(catalogue: Catalogue) -> None:
    facts = PlanFacts({}, (Medication("Paracetamol", 4000),))
    applies = {c.id: c.applies for c in check(facts, catalogue)}
    assert applies["abuse_stance"] is False and applies["tapering_plan"] is False


def test_open_suicide_alert_keeps_the_checkpoint_open(library: FormLibrary, catalogue: Catalogue) -> None:
    results = {"asq": library.get("asq").score({"q1": 1, "q2": 0, "q3": 0, "q4": 0, "q5": 0})}
    assert needs_safety_plan(results)
    assert [c.done for c in check(PlanFacts(results, open_safety_alerts=1), catalogue) if c.id == "suicide_risk"] == [
        False
    ]
    assert [c.done for c in check(PlanFacts(results), catalogue) if c.id == "suicide_risk"] == [True]
    assert not needs_safety_plan({"phq9": library.get("phq9").score({f"q{i}": 0 for i in range(1, 10)})})
