"""Pre-filled answers are stored like any answer, with where they came from; a changed one loses its mark."""

from __future__ import annotations

from smerteagent.core.patients import Patient, PatientInput
from smerteagent.storage.screening_session import ScreeningSession
from smerteagent.storage.services import Services


def test_age_item_stored_with_its_origin_and_resumed(services: Services) -> None:
    patient: Patient = services.patients.add(PatientInput("Åse", "Ærø", cpr="070761-4285"))[0]  # over 45
    session = ScreeningSession.start(services, patient, "pain_clinic", form_id="ort")
    record = services.screenings.responses(patient.id)[0]
    assert record.answers == {"q7": 0} and record.origins == {"q7": "context"}
    assert session.flow.item.id == "q1"
    resumed = ScreeningSession.resume(services, patient, session.encounter.id)
    while resumed.flow.item.id != "q7":
        resumed.answer(0)
        resumed.advance()
    assert resumed.flow.origin() == "context"
    resumed.answer(1)
    record = services.screenings.get(record.id)
    assert record.answers["q7"] == 1 and "q7" not in record.origins


def test_psfs_activities_follow_the_patient_to_the_next_visit(services: Services) -> None:
    patient: Patient = services.patients.add(PatientInput("Bo", "Ås", cpr="070761-4285"))[0]
    first = ScreeningSession.start(services, patient, "physiotherapy", form_id="psfs")
    for value in ("Gå 1 km", 3, "Sidde en time", 6):
        first.answer(value)
        first.advance()
    while first.advance() is None:
        pass
    second = ScreeningSession.start(services, patient, "physiotherapy", form_id="psfs")
    assert second.flow.item.id == "q1_activity" and second.flow.current_answer() == "Gå 1 km"
    stored = next(r for r in services.screenings.responses(patient.id) if r.status == "draft")
    assert stored.answers == {"q1_activity": "Gå 1 km", "q2_activity": "Sidde en time"}
    assert stored.origins == {"q1_activity": "previous", "q2_activity": "previous"}
