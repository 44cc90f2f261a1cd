"""The handout (issue 15 item 8): a realistic full plan fits on two A4 pages; the patient's own words, the
clinic's name, address and phone are printed; charts only of the measures the patient chose, never a single
dot, never an abuse, alcohol or suicide instrument."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime
from typing import Any

import pytest
from pypdf import PdfReader

from smerteagent.core.careplan.medication import Catalogue
from smerteagent.core.careplan.plan import (
    Action,
    CarePlan,
    Goal,
    PlannedMedication,
    SafetyPlan,
    TaperingPlan,
    ValueRating,
)
from smerteagent.core.careplan.suggestions import bundled_recommendations
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.history import InstrumentHistory, build_history
from smerteagent.core.patients import Patient
from smerteagent.core.settings import Settings
from smerteagent.reports import render_patient_plan
from tests.reports.conftest import TODAY

DAYS = [datetime(2025, 9, 1, 10), datetime(2025, 11, 3, 9), datetime(2026, 1, 12, 14), datetime(2026, 3, 2, 11)]
NEVER_ON_THE_HANDOUT = ("asq", "cssrs_screener", "ort", "ort_oud", "cage_aid", "dast10", "audit", "auditc")
OWN_WORDS = "Lege med børnebørnene i haven og kunne bære dem.\nKomme tilbage til kontoret to dage om ugen."


def page_texts(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def clinic() -> Settings:
    return Settings(clinic_name="Lægerne i Åbyhøj", clinic_address="Åbyhøjgade 12, 8230 Åbyhøj",
                    clinic_phone="+45 86 15 22 33")  # fmt: skip


@pytest.fixture
def full_plan() -> CarePlan:
    """Values in the patient's own words, 3 goals, 4 actions, treatment, 2 drugs with a taper, a safety plan
    and follow-up: what a full consultation's plan holds."""
    wording = bundled_recommendations().suggest(["low_back_new"], "high", "da")
    oxycodone = PlannedMedication(
        "Oxycodon", "10 mg morgen og aften", 20, date(2025, 5, 1), date(2026, 6, 1),
        TaperingPlan(20, 10, 14, date(2026, 3, 9), followed_up_by="gp", follow_up_on=date(2026, 4, 6)),
        indication="Lænderygsmerter",
    )  # fmt: skip
    return CarePlan(
        patient_id=1,
        number=3,
        values=(
            ValueRating("family", 10, 4, chosen=True, note="Være der for børnebørnene"),
            ValueRating("health_body", 8, 3, chosen=True, note="Kunne gå en lang tur igen"),
            ValueRating("work_education", 7, 4, chosen=True, note="Tilbage på kontoret"),
            ValueRating("leisure", 5, 5),
        ),
        own_words=OWN_WORDS,
        goals=(
            Goal("family", "Lege med børnebørnene en time uden pause", "PSFS: lege", 3, 7, date(2026, 6, 1)),
            Goal("health_body", "Gå tur med hunden i 30 minutter", "Minutter", 10, 30, date(2026, 5, 1)),
            Goal("work_education", "Arbejde to dage om ugen på kontoret", "Dage pr. uge", 0, 2, date(2026, 8, 1)),
        ),
        actions=(
            Action("Henvisning til fysioterapeut: superviseret træning", "gp", "inden 2 uger"),
            Action("Kursus: Lær at tackle kroniske smerter", "municipality", "forår 2026"),
            Action("Gåtur hver dag, øg 5 minutter om ugen", "patient", "fra i dag"),
            Action("Samtale med arbejdsgiveren om delvis raskmelding", "patient", "inden 1. april"),
        ),
        treatments=tuple(s.text for s in wording[:3]),
        medications=(oxycodone, PlannedMedication("Paracetamol", "1 g x 3", 3000, indication="Smerter")),
        safety_plan=SafetyPlan(
            warning_signs=("Jeg isolerer mig og sover dårligt", "Jeg holder op med at gå ture"),
            coping=("Gå en tur med hunden", "Ringe til min søster", "Lytte til musik"),
            people=("Søster Åse, 20 30 40 50", "Naboen Jørgen"),
            professionals=("Egen læge", "Psykiatrisk akutmodtagelse"),
        ),
        follow_up_on=date(2026, 4, 6),
        follow_up_by="gp",
        consent_given=True,
        medication_reviewed=True,
        created_at=datetime(2026, 3, 2, 10, 30),
    )


@pytest.fixture
def every_history(library: FormLibrary) -> list[InstrumentHistory]:
    """Every instrument answered at every visit with its highest answers: each result, band and flag there is,
    as the patient's paper receives them (only the results the patient may read)."""
    found = []
    for form in library.forms.values():
        results = {r.id: r.range[1] for r in form.definition.scoring.results}
        found.append(build_history(form, [(d, results) for d in DAYS], "da", reader="patient"))
    return found


@pytest.fixture
def render(patient: Patient, clinic: Settings, catalogue: Catalogue, safety_contacts: list[dict[str, Any]]) -> Any:
    def rendered(plan: CarePlan, histories: list[InstrumentHistory], language: str = "da") -> bytes:
        return render_patient_plan(plan, patient, settings=clinic, catalogue=catalogue, histories=histories,
                                   safety_contacts=safety_contacts, language=language, today=TODAY)  # fmt: skip

    return rendered


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_full_plan_with_two_chosen_charts_fits_on_two_pages(
    render: Any, full_plan: CarePlan, every_history: list[InstrumentHistory], language: str
) -> None:
    texts = page_texts(render(replace(full_plan, charts=("odi", "startback")), every_history, language))
    assert len(texts) <= 2, f"{len(texts)} pages"
    text = " ".join(texts)
    for shown in ("Lege med børnebørnene en time", "Arbejde to dage om ugen", "Samtale med arbejdsgiveren",
                  "Oxycodon", "Paracetamol", "Søster Åse", "ODI", "STarT Back"):  # fmt: skip
        assert shown in text, shown
    tapering = full_plan.medications[0].tapering
    assert tapering is not None
    for step in tapering.schedule():
        assert step.starts_on.strftime("%d.%m.%Y" if language == "da" else "%Y-%m-%d") in text, step


def test_without_a_choice_no_chart_is_printed(
    render: Any, full_plan: CarePlan, every_history: list[InstrumentHistory]
) -> None:
    text = " ".join(page_texts(render(full_plan, every_history)))
    assert "Dine resultater over tid" not in text
    for title in ("ODI", "STarT Back", "PEG", "RMDQ"):
        assert f"{title} " not in text, title


def test_charts_only_of_what_the_patient_chose_and_never_a_single_dot(
    render: Any, full_plan: CarePlan, every_history: list[InstrumentHistory], library: FormLibrary
) -> None:
    one_visit = build_history(library.get("peg"), [(DAYS[0], {"average": 6, "enjoyment": 7, "activity": 5})], "da",
                              reader="patient")  # fmt: skip
    histories = [h for h in every_history if h.form_id != "peg"] + [one_visit]
    text = " ".join(page_texts(render(replace(full_plan, charts=("odi", "peg")), histories)))
    assert "Dine resultater over tid" in text and "ODI" in text
    assert "PEG" not in text, "one screening is a dot, not a course"
    assert "STarT Back" not in text, "not chosen"


def test_abuse_alcohol_and_suicide_instruments_never_reach_the_handout(
    render: Any, full_plan: CarePlan, library: FormLibrary
) -> None:
    """Even chosen, and even when a history for the clinician's eyes is handed over by mistake."""
    clinician_eyes = []
    for form_id in NEVER_ON_THE_HANDOUT:
        form = library.get(form_id)
        results = {r.id: r.range[1] for r in form.definition.scoring.results}
        clinician_eyes.append(build_history(form, [(d, results) for d in DAYS], "da", reader="clinician"))
        clinician_eyes[-1] = replace(clinician_eyes[-1], reader="patient")
    text = " ".join(page_texts(render(replace(full_plan, charts=NEVER_ON_THE_HANDOUT), clinician_eyes)))
    assert "Dine resultater over tid" not in text
    for form_id in NEVER_ON_THE_HANDOUT:
        title = library.get(form_id).definition
        assert (title.short_title or title.title).get("da") not in text, form_id


def test_own_words_and_the_clinic_with_its_phone_are_printed(
    render: Any, full_plan: CarePlan, every_history: list[InstrumentHistory]
) -> None:
    texts = page_texts(render(full_plan, every_history))
    assert "Med dine egne ord" in texts[0]
    assert "Lege med børnebørnene i haven og kunne bære dem." in texts[0]
    assert "Komme tilbage til kontoret to dage om ugen." in texts[0]
    assert "Lægerne i Åbyhøj" in texts[0] and "Åbyhøjgade 12, 8230 Åbyhøj" in texts[0]
    for text in texts:
        assert "Tlf. +45 86 15 22 33" in text, "the clinic's phone on every page"


def test_the_clinician_summary_carries_the_clinics_name_and_phone(
    full_plan: CarePlan, patient: Patient, clinic: Settings, catalogue: Catalogue, library: FormLibrary
) -> None:
    from smerteagent.reports import render_clinician_summary

    pdf = render_clinician_summary(full_plan, patient, settings=clinic, catalogue=catalogue, results={},
                                   forms=library.forms, language="da", today=TODAY)  # fmt: skip
    for text in page_texts(pdf):
        assert "Lægerne i Åbyhøj · Tlf. +45 86 15 22 33" in text
