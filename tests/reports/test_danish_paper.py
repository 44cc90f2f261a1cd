"""Each word the medical-language review found misleading on paper, and the Danish formats: dd.mm.åååå,
decimal commas, "16 %", and no English left in the Danish PDFs."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from pypdf import PdfReader

from smerteagent import i18n
from smerteagent.core.careplan.journal import ScoreLine, journal_note
from smerteagent.core.careplan.medication import Catalogue
from smerteagent.core.careplan.plan import CarePlan, Goal
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.history import InstrumentHistory
from smerteagent.core.patients import Patient, PatientSummary
from smerteagent.core.settings import Settings
from smerteagent.reports import render_clinician_summary, render_patient_plan
from tests.reports.conftest import TODAY

PATIENT = PatientSummary(1, "0707614285", "Søren", "Ærø", date(1961, 7, 7), "male", datetime(2026, 11, 23))
# English words that are not also Danish words: any of them in a Danish PDF is untranslated text.
ENGLISH = re.compile(
    r"\b(the|and|does|not|apply|with|your|you|this|that|which|from|have|has|been|page|printed|version of|"
    r"day|days|per|floor|today|draft|summary|flags?|none|yes|no)\b"
)


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def patient_plan(plan: CarePlan, patient: Patient, settings: Settings, catalogue: Catalogue, **more: Any) -> str:
    return text_of(render_patient_plan(plan, patient, settings=settings, catalogue=catalogue, language="da",
                                       today=TODAY, **more))  # fmt: skip


def test_the_patient_plan_uses_the_plain_danish_words(
    plan: CarePlan,
    patient: Patient,
    settings: Settings,
    catalogue: Catalogue,
    histories: list[InstrumentHistory],
    safety_contacts: list[dict[str, Any]],
) -> None:
    goals = (Goal("family", "Gå tur med hunden", "Minutter", 3.5, 7, date(2026, 6, 1)),)
    text = patient_plan(replace(plan, goals=goals), patient, settings, catalogue, histories=histories,
                        safety_contacts=safety_contacts)  # fmt: skip
    assert "Printet 02.03.2026" in text and "Udskrevet" not in text  # also 'discharged' or 'prescribed'
    assert "Lavet sammen med dig den" in text and "Lagt sammen" not in text  # reads 'added up'
    assert "Ved start" in text and "I dag" not in text  # a reprint's 'today' is not the goal's baseline
    assert "3,5" in text, "decimal comma"
    assert "Udtrapning af Oxycodon" in text and "Nedtrapning" not in text
    assert "MME" not in text and "(bund)" not in text
    assert "01.09.2025" in text and not re.search(r"\b\d\d\.\d\d\.\d\d\b(?!\d)", text), "four-digit years on charts"
    assert not ENGLISH.findall(text), ENGLISH.findall(text)


def test_the_safety_plan_has_a_line_for_the_number_not_a_note_to_the_clinic(
    plan: CarePlan, patient: Patient, settings: Settings, catalogue: Catalogue, safety_contacts: list[dict[str, Any]]
) -> None:
    from smerteagent.core.careplan.plan import SafetyPlan

    with_safety = replace(plan, safety_plan=SafetyPlan(("Søvnløshed",), ("Gå en tur",), ("Datter",), ("Egen læge",)))
    text = patient_plan(with_safety, patient, settings, catalogue, histories=[], safety_contacts=safety_contacts)
    assert "Regionens psykiatriske akutmodtagelse" in text and "________________" in text
    assert "klinikken indsætter" not in text


def test_the_clinician_summary_in_danish_has_no_english_and_units_after_the_number(
    plan: CarePlan, patient: Patient, settings: Settings, catalogue: Catalogue, library: FormLibrary
) -> None:
    results = {"odi": library.get("odi").score({f"q{i}": [1, 1, 1, 0, 1, 0, 1, 1, 1, 1][i - 1] for i in range(1, 11)})}

    def summary(shown: CarePlan) -> str:
        pdf = render_clinician_summary(shown, patient, settings=settings, catalogue=catalogue, results=results,
                                       forms=library.forms, language="da", today=TODAY)  # fmt: skip
        return text_of(pdf)

    text = summary(plan)
    assert "ODI 16 %" in text and "(%) 16" not in text
    assert "Morfinækvivalentpr.døgn(mg)" in text.replace(" ", "") and "MME" not in text  # narrow column wraps
    assert not ENGLISH.findall(text), ENGLISH.findall(text)
    without_drugs = summary(replace(plan, medications=()))
    assert "(ikke relevant)" in without_drugs and "does not apply" not in without_drugs  # was inside an f-string
    assert not ENGLISH.findall(without_drugs), ENGLISH.findall(without_drugs)


def test_the_journal_note_writes_numbers_and_units_the_danish_way(library: FormLibrary, catalogue: Catalogue) -> None:
    i18n.set_language("da")
    odi = library.get("odi").score({f"q{i}": [1, 1, 1, 0, 1, 0, 1, 1, 1, 1][i - 1] for i in range(1, 11)})
    peg = library.get("peg").score({"q1": 6, "q2": 7, "q3": 6})
    lines = [ScoreLine("ODI", odi, None, (), {"total": "ODI (%)"}),
             ScoreLine("PEG", peg, None, (), {"total": "PEG-score (gennemsnit 0–10)"})]  # fmt: skip
    note = journal_note(PATIENT, lines, [], None, catalogue, date(2026, 11, 23))
    assert "- ODI: 16 %" in note and "(%)" not in note
    assert "PEG-score (gennemsnit 0–10) 6,33" in note
    assert not ENGLISH.findall(note), ENGLISH.findall(note)
