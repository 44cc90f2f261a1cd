"""The patient's plan PDF of a patient with every instrument answered (twice, so every chart is drawn) prints
only what the patient is meant to read; the clinician summary keeps the rest."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from smerteagent.core.careplan.plan import CarePlan, SafetyPlan
from smerteagent.core.careplan.suggestions import bundled_recommendations
from smerteagent.core.forms.model import Text
from smerteagent.core.patients import Patient, PatientInput
from smerteagent.core.scoring.engine import CompiledForm
from smerteagent.reports import clinician_summary_pdf, patient_plan_pdf
from smerteagent.storage.models import ResponseRow
from smerteagent.storage.report_inputs import report_inputs
from smerteagent.storage.services import Services


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def answer_everything(services: Services, patient: Patient, form: CompiledForm, highest: bool) -> None:
    """Every item, the highest (or lowest) answer it can take: every band and flag is reached by someone."""
    encounter = services.screenings.start_encounter(patient.id, "pain_clinic")
    response = services.screenings.start_response(encounter.id, form.id)
    for item in form.definition.items:
        options = form.options.get(item.id)
        values = [o.value for o in options] if options else [item.min or 0, item.max or 0]
        value: int | str = "Gå tur" if item.type == "text" else (max(values) if highest else min(values))
        services.screenings.answer(response.id, item.id, value)
    services.screenings.complete(response.id, "female")


def texts(form: CompiledForm, for_patient: bool, language: str) -> set[str]:
    """Result labels and band labels of ``form`` that the patient may (or may not) read."""
    definition, found = form.definition, set()
    for result in definition.scoring.results:
        if result.label and definition.result_for_patient(result) == for_patient:
            found.add(result.label.get(language))
    band_result = next((r for r in definition.scoring.results if r.id == definition.scoring.band_result), None)
    results_shown = band_result is not None and definition.result_for_patient(band_result)
    for band in definition.scoring.bands:
        if (results_shown and band.label.for_patient) == for_patient:
            found.add(band.label.get(language))
    labels: list[Text] = [f.message for f in definition.scoring.flags]
    labels += [b.advice for b in definition.scoring.bands if b.advice]
    if not for_patient:  # flag messages and band advice are the clinician's, whatever the form
        found |= {t.get(language) for t in labels}
    return found


@pytest.fixture
def everything(services: Services) -> tuple[Patient, CarePlan]:
    patient, _ = services.patients.add(PatientInput("Åse", "Ærø", cpr="070761-4285", sex="female"))
    for highest in (False, True):
        for form in services.forms.forms.values():
            answer_everything(services, patient, form, highest)
        if not highest:  # the first visit a month ago: two days make a course the handout may chart
            with Session(services.database.engine) as session, session.begin():  # SQLite and PostgreSQL alike
                for row in session.scalars(select(ResponseRow)):
                    row.completed_at = row.completed_at and row.completed_at - timedelta(days=30)
    every = bundled_recommendations().suggest(bundled_recommendations().pain_types, "high", "da")
    plan = CarePlan(
        patient.id,
        treatments=tuple(s.text for s in every),
        follow_up_on=date(2027, 1, 15),
        charts=tuple(services.forms.forms),
    )  # every chart chosen: still only the patient's are drawn
    plan = replace(plan, safety_plan=SafetyPlan(("Søvnløshed",), ("Gå en tur",), ("Datter",), ("Egen læge",)))
    return patient, services.careplans.save(plan)


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_patient_plan_has_none_of_the_clinician_only_texts(
    services: Services, everything: tuple[Patient, CarePlan], language: str
) -> None:
    patient, plan = everything
    pdf = text_of(patient_plan_pdf(plan, patient, report_inputs(services, patient), language))
    forms = services.forms.forms.values()
    allowed = set().union(*(texts(f, True, language) for f in forms))
    forbidden = set().union(*(texts(f, False, language) for f in forms)) - allowed
    forbidden |= {"klinikken indsætter", "the clinic adds", "patienten", "the patient "}
    forbidden |= {s.text for s in bundled_recommendations().suggest(["generalised"], "high", language)}
    titles = {(f.definition.short_title or f.definition.title).get(language) for f in forms}
    charted = {
        (f.definition.short_title or f.definition.title).get(language)
        for f in forms
        if any(f.definition.result_for_patient(r) for r in f.definition.scoring.results)
    }
    phq9 = services.forms.get("phq9").definition.scoring.bands[3].label.get(language)
    assert phq9 in forbidden and phq9.startswith(("Moderat svær", "Moderately severe"))
    found = sorted(t for t in forbidden if t.lower() in pdf.lower())
    assert not found, f"clinician-only text on the patient's paper: {found}"
    shown_titles = {t for t in titles if f"{t} " in pdf}
    assert shown_titles <= charted and {"STarT Back", "ODI", "PEG"} <= shown_titles
    assert "Fysioterapi, der også tager hånd om tanker og bekymringer" in pdf or language == "en"


def test_the_clinician_summary_keeps_the_clinical_results(
    services: Services, everything: tuple[Patient, CarePlan]
) -> None:
    patient, plan = everything
    summary = text_of(clinician_summary_pdf(plan, patient, report_inputs(services, patient), "da"))
    for shown in ("PHQ-9", "C-SSRS", "ORT", "DAST-10", "AUDIT", "Svær depression"):
        assert shown in summary
    assert "overvej tværfagligt forløb" in summary
