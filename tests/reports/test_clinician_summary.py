"""The clinician's one-page summary: scores with bands and flags, medication with MME and warnings, the
completeness checklist with what is missing, the plan in short — and still one page when the plan is long."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from pypdf import PdfReader

from smerteagent.core.careplan.medication import Catalogue
from smerteagent.core.careplan.plan import Action, CarePlan, PlannedMedication
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import Patient
from smerteagent.core.scoring.result import ScoreResult
from smerteagent.core.settings import Settings
from smerteagent.reports import render_clinician_summary
from tests.reports.conftest import CPR, NAME, TODAY


@pytest.fixture
def results(library: FormLibrary) -> dict[str, ScoreResult]:
    phq9 = library.get("phq9").score({f"q{i}": 1 for i in range(1, 10)})
    startback = library.get("startback").score({f"q{i}": 1 for i in range(1, 10)})
    return {"phq9": phq9, "startback": startback}


@pytest.fixture
def summarise(
    patient: Patient, settings: Settings, catalogue: Catalogue, library: FormLibrary, results: dict[str, ScoreResult]
) -> Any:
    def summary(plan: CarePlan, language: str = "da") -> list[str]:
        pdf = render_clinician_summary(plan, patient, settings=settings, catalogue=catalogue, results=results,
                                       forms=library.forms, language=language, today=TODAY)  # fmt: skip
        assert b"Helvetica" not in pdf
        return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]

    return summary


def test_one_page_with_scores_medication_and_checklist(summarise: Any, plan_with_safety: CarePlan) -> None:
    diazepam = PlannedMedication("Diazepam", daily_dose=10, started_on=date(2025, 1, 1))
    (text,) = summarise(replace(plan_with_safety, medications=(*plan_with_safety.medications, diazepam)))
    assert NAME in text and CPR in text and "Side 1 af 1" in text
    assert "PHQ-9" in text and "Let depression" in text and "Høj risiko" in text
    assert "Tanker om død eller selvskade" in text  # the PHQ-9 item 9 flag
    assert "Oxycodon" in text and "30 mg" in text  # 20 mg oxycodone x 1.5
    assert "Opioid sammen med et benzodiazepin" in text and "Diazepam: brugt i mere end 90 dage" in text
    assert "Mangler: Taget stilling til misbrug" in text
    assert "Gå tur med hunden på 30 min" in text and "Sikkerhedsplan: ja" in text


def test_a_flag_without_a_safety_plan_is_called_out(summarise: Any, plan: CarePlan) -> None:
    (text,) = summarise(plan, "en")
    assert "A suicide-risk flag was raised, but the plan has no safety plan" in text
    assert "Page 1 of 1" in text


def test_a_long_plan_still_fits_one_page(summarise: Any, plan: CarePlan) -> None:
    actions = tuple(Action(f"Opgave nummer {n} med en lidt længere beskrivelse", "patient", "snart") for n in range(60))
    pages = summarise(replace(plan, actions=actions))
    assert len(pages) == 1 and NAME in pages[0]


def test_patches_unknown_drugs_and_uncounted_opioids_in_the_summary(summarise: Any, plan: CarePlan) -> None:
    """Issue 12: Norspan 20 µg/h prints in µg per hour with 44.4 MME (Helsedirektoratet OMEQ, buprenorphine
    transdermal 2.22 per µg/h), never "20 mg pr. døgn"; an unknown drug and an uncounted opioid are named."""
    drugs = (PlannedMedication("Norspan", daily_dose=20), PlannedMedication("Zyxomol", daily_dose=5),
             PlannedMedication("Fentanyl", daily_dose=0.2))  # fmt: skip
    (text,) = summarise(replace(plan, medications=drugs))
    assert "20 µg pr. time" in text and "44,4" in text and "20 mg pr. døgn" not in text
    assert "Findes ikke i lægemiddelkataloget" in text
    assert "Zyxomol: lægemidlet findes ikke i lægemiddelkataloget" in text
    assert "ikke medregnet" in text and "Fentanyl: opioid IKKE medregnet" in text


def whole_words(pdf: bytes) -> set[str]:
    """Every word of the PDF as extracted, line by line: a word split across two lines is not in it whole."""
    words = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for line in page.extract_text().splitlines():
            words |= {w.strip(".,:;()[]\"'⚑") for w in line.split()}
    return words


@pytest.mark.parametrize("language", ["da", "en"])
def test_no_word_in_the_summary_tables_is_split_mid_word(
    patient: Patient, settings: Settings, catalogue: Catalogue, library: FormLibrary, plan: CarePlan, language: str
) -> None:
    """The clinician summary's tables once printed "Morfinækv ivalent": every column is now at least as wide
    as its longest word (or the table's text smaller), so long Danish words and drug names stay whole."""
    drugs = (PlannedMedication("Buprenorphinhydrochlorid", daily_dose=0.4),
             PlannedMedication("Oxycodonhydrochlorid", daily_dose=20, tapering=plan.medications[0].tapering),
             PlannedMedication("Morfinsulfatpentahydrat", daily_dose=30),
             PlannedMedication("Paracetamolbrusetabletter", daily_dose=3000))  # fmt: skip
    results = {form_id: library.get(form_id).score(dict.fromkeys(library.get(form_id).items, 1))
               for form_id in ("phq9", "startback", "pcs", "gad7")}  # fmt: skip
    pdf = render_clinician_summary(replace(plan, medications=drugs), patient, settings=settings, catalogue=catalogue,
                                   results=results, forms=library.forms, language=language, today=TODAY)  # fmt: skip
    words = whole_words(pdf)
    expected = {"Buprenorphinhydrochlorid", "Oxycodonhydrochlorid", "Morfinsulfatpentahydrat",
                "Paracetamolbrusetabletter"}  # fmt: skip
    expected |= {"Morfinækvivalent", "Udtrapningsplan", "Spørgeskema"} if language == "da" else {"Questionnaire"}
    assert expected <= words, sorted(expected - words)


def test_no_word_in_the_patient_plan_tables_is_split_mid_word(
    patient: Patient, settings: Settings, catalogue: Catalogue, plan: CarePlan
) -> None:
    from smerteagent.reports import render_patient_plan

    drugs = (PlannedMedication("Oxycodonhydrochloridtabletter", "1 tablet morgen og aften", 20,
                               tapering=plan.medications[0].tapering),
             PlannedMedication("Paracetamolbrusetabletter", "1 g x 3", 3000))  # fmt: skip
    pdf = render_patient_plan(replace(plan, medications=drugs), patient, settings=settings, catalogue=catalogue,
                              histories=[], safety_contacts=[], language="da", today=TODAY)  # fmt: skip
    expected = {"Oxycodonhydrochloridtabletter", "Paracetamolbrusetabletter", "Superviseret"}
    assert expected <= whole_words(pdf), sorted(expected - whole_words(pdf))
