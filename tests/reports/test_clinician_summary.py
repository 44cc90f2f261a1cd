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


def test_the_summary_tells_what_became_of_the_flags_and_cssrs_as_it_reports_itself(
    patient: Patient, settings: Settings, catalogue: Catalogue, library: FormLibrary, plan_with_safety: CarePlan
) -> None:
    """Issue 15 item 7: a recorded action replaces 'assess suicide risk now' (when, by whom, what); PHQ-4's
    'complete the GAD-7' is gone once GAD-7 was completed; C-SSRS has no empty total."""
    from datetime import datetime

    from smerteagent.core.flag_status import FlagStatus
    from smerteagent.core.safety import SafetyAction

    phq9 = library.get("phq9").score({**{f"q{i}": 0 for i in range(1, 9)}, "q9": 1})
    cssrs = library.get("cssrs_screener").score({"q1": 1, "q2": 0, "q6": 0})
    phq4 = library.get("phq4").score({"q1": 2, "q2": 2, "q3": 0, "q4": 0})
    gad7 = library.get("gad7").score({f"q{i}": 1 for i in range(1, 8)})
    results = {"phq9": phq9, "cssrs_screener": cssrs, "phq4": phq4, "gad7": gad7}
    when = datetime(2026, 3, 2, 10)
    acted = SafetyAction(7, "phq9", "suicide_risk", "safety_plan_made", "med datteren", "lene", when)
    statuses = {
        "phq9": [FlagStatus("suicide_risk", action=acted)],
        "cssrs_screener": [FlagStatus("suicide_risk", action=replace(acted, response_id=8, form_id="cssrs_screener"))],
        "phq4": [FlagStatus("anxiety_positive", followed_up_by=("GAD-7",))],
    }
    pdf = render_clinician_summary(plan_with_safety, patient, settings=settings, catalogue=catalogue,
                                   results=results, forms=library.forms, language="da", today=TODAY,
                                   flag_statuses=statuses)  # fmt: skip
    (text,) = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]
    assert "vurder selvmordsrisiko nu" not in text and "udfyld GAD-7" not in text
    assert "Tanker om død eller selvskade (PHQ-9 spørgsmål 9) — handling registreret 02.03.2026 af lene" in text
    assert "Sikkerhedsplan lavet sammen med patienten (med datteren)" in text
    assert "Angstdelen (GAD-2) er positiv (≥ 3) — fulgt op med GAD-7" in text
    assert "—" not in text.split("C-SSRS")[1].split("Lav risiko")[0]  # no "total —": its own result and band
    assert "Sværhedsgrad af selvmordstanker 1" in text.replace("\n", " ")
    # without a status the flag still asks, in full: nothing is hidden
    pdf = render_clinician_summary(plan_with_safety, patient, settings=settings, catalogue=catalogue,
                                   results=results, forms=library.forms, language="da", today=TODAY)  # fmt: skip
    assert "vurder selvmordsrisiko nu" in " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())


def test_the_summary_lists_consent_abuse_stance_review_and_taper_dates(
    summarise: Any, plan_with_safety: CarePlan
) -> None:
    from smerteagent.core.careplan.plan import InformedConsent

    oxycodone = replace(plan_with_safety.medications[0], indication="Rygsmerter", evaluated_on=date(2026, 2, 1),
                        evaluation_result="God effekt", re_evaluate_on=date(2026, 6, 1))  # fmt: skip
    shown = replace(plan_with_safety, medications=(oxycodone, *plan_with_safety.medications[1:]),
                    abuse_stance="Ingen tegn på misbrug", medication_reviewed_on=date(2026, 3, 2),
                    consent=InformedConsent(date(2026, 3, 2), "Opioidbehandling", ("driving",), "Holm"))  # fmt: skip
    (text,) = summarise(shown)
    assert "Informeret samtykke 02.03.2026 (Holm): Opioidbehandling; risici forklaret: Bilkørsel" in text
    assert "Stillingtagen til misbrug: Ingen tegn på misbrug" in text
    assert "Medicin gennemgået 02.03.2026" in text
    evaluated = "effekt senest vurderet 01.02.2026: God effekt; næste vurdering 01.06.2026"
    assert f"Oxycodon: indikation Rygsmerter; {evaluated}" in text
    assert "Oxycodon: udtrapning fra 09.03.2026 til" in text
    (english,) = summarise(shown, "en")
    assert "Stance on abuse: Ingen tegn på misbrug" in english
    assert "Oxycodon: tapering from 2026-03-09 to 2026-07-27" in english  # 10 % steps; the summary's own dates
