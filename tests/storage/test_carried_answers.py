"""Answers a follow-up shares with the questionnaire that called it (PHQ-4's GAD-2 and PHQ-2 parts in GAD-7 and
PHQ-9) are stored in the follow-up's own response, exactly as given, and a resumed screening starts after them."""

from __future__ import annotations

from smerteagent.core.patients import Patient, PatientInput
from smerteagent.storage.screening_session import ScreeningSession
from smerteagent.storage.services import Services


def test_carried_answers_are_stored_and_resume_skips_them(services: Services) -> None:
    patient: Patient = services.patients.add(PatientInput("Åse", "Ærø", cpr="070761-4285"))[0]
    battery = ScreeningSession.start(services, patient, "gp", battery_id="gp_first_back", context={})
    while battery.flow.form.id != "phq4":  # STarT Back, PEG, PSFS left unanswered: completed as incomplete
        while battery.advance() is None:
            pass
    for value in (2, 2, 3, 2):  # anxious and depressed: GAD-7 and PHQ-9 follow
        battery.answer(value)
        battery.advance()
    assert battery.flow.form.id == "gad7" and battery.flow.item.id == "q3", "GAD-7 starts at its third item"
    stored = {r.form_id: r.answers for r in services.screenings.responses(patient.id) if r.status == "draft"}
    assert stored["phq9"] == {"q1": 3, "q2": 2} and stored["gad7"] == {"q1": 2, "q2": 2}
    resumed = ScreeningSession.resume(services, patient, battery.encounter.id)
    assert (resumed.flow.form.id, resumed.flow.item.id) == ("gad7", "q3")


def test_resumed_screening_still_asks_what_a_partial_phq4_left_undecided(services: Services) -> None:
    patient: Patient = services.patients.add(PatientInput("Åse", "Ærø", cpr="070761-4285"))[0]
    battery = ScreeningSession.start(services, patient, "gp", battery_id="follow_up", context={})
    while battery.flow.form.id != "phq4":
        while battery.advance() is None:
            pass
    for value in (0, 0, 1):  # q4 left unanswered: the depression part could still be positive
        battery.answer(value)
        battery.advance()
    while battery.advance() is None:
        pass
    assert "phq9" in [p.form_id for p in battery.flow.planned]
    resumed = ScreeningSession.resume(services, patient, battery.encounter.id)
    assert "phq9" in [p.form_id for p in resumed.flow.planned]
