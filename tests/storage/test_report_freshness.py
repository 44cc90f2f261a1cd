"""The journal note and the clinician summary are computed from the record as it stands: a PHQ-4 part asking
for GAD-7 stops asking once GAD-7 is complete, a recorded suicide-risk action replaces the demand (issue 15
item 7)."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from smerteagent import i18n
from smerteagent.core.careplan.plan import CarePlan
from smerteagent.core.patients import Patient, PatientInput
from smerteagent.reports import clinician_summary_pdf
from smerteagent.storage.report_inputs import report_inputs
from smerteagent.storage.services import Services

PHQ4_ANXIOUS = {"q1": 2, "q2": 2, "q3": 0, "q4": 0}


def complete(services: Services, patient: Patient, form_id: str, answers: dict[str, int], encounter: int = 0) -> int:
    """Complete ``form_id`` in ``encounter`` (0: a new visit); returns the encounter."""
    encounter = encounter or services.screenings.start_encounter(patient.id, "gp").id
    response = services.screenings.start_response(encounter, form_id)
    for item, value in answers.items():
        services.screenings.answer(response.id, item, value)
    services.screenings.complete(response.id, None)
    return encounter


def note(services: Services, patient: Patient) -> str:
    i18n.set_language("da")
    return report_inputs(services, patient).journal(patient, None, "da", date.today())


def added(services: Services) -> Patient:
    patient, _warnings = services.patients.add(PatientInput("Åse", "Ærø", cpr="070761-4285", sex="female"))
    return patient


def summary_text(services: Services, patient: Patient) -> str:
    plan = services.careplans.current(patient.id) or services.careplans.save(CarePlan(patient.id))
    pdf = clinician_summary_pdf(plan, patient, report_inputs(services, patient), "da")
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def test_phq4_stops_asking_for_gad7_once_gad7_is_complete_at_a_later_visit(services: Services) -> None:
    patient = added(services)
    complete(services, patient, "phq4", PHQ4_ANXIOUS)
    assert "udfyld GAD-7" in summary_text(services, patient)
    complete(services, patient, "gad7", {f"q{i}": 1 for i in range(1, 8)})
    later = summary_text(services, patient)
    assert "udfyld GAD-7" not in later and "fulgt op med GAD-7" in later
    complete(services, patient, "phq4", PHQ4_ANXIOUS)  # a new positive PHQ-4: its GAD-7 is still to come
    assert "udfyld GAD-7" in summary_text(services, patient)


def test_phq4_in_a_battery_with_gad7_tells_the_follow_up_instead_of_asking(services: Services) -> None:
    patient = added(services)
    visit = complete(services, patient, "phq4", PHQ4_ANXIOUS)
    complete(services, patient, "gad7", {f"q{i}": 1 for i in range(1, 8)}, encounter=visit)
    written = note(services, patient)
    assert "udfyld GAD-7" not in written
    assert "Angstdelen (GAD-2) er positiv (≥ 3) — fulgt op med GAD-7" in written


def test_the_summary_shows_the_recorded_action_instead_of_the_demand(services: Services) -> None:
    patient = added(services)
    complete(services, patient, "phq9", {**{f"q{i}": 0 for i in range(1, 9)}, "q9": 1})
    assert "vurder selvmordsrisiko nu" in summary_text(services, patient)
    alert = services.screenings.open_alerts(patient.id)[0]
    services.screenings.record_safety_action(alert.response_id, alert.flag, "safety_plan_made", "med datteren")
    after = summary_text(services, patient)
    assert "vurder selvmordsrisiko nu" not in after
    assert f"handling registreret {date.today():%d.%m.%Y} af" in after
    assert "Sikkerhedsplan lavet sammen med patienten (med datteren)" in after
    assert "Tanker om død eller selvskade (PHQ-9 spørgsmål 9)" in after  # the finding itself stays
