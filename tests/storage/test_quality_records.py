"""The quality report's bulk reader, on SQLite and PostgreSQL: the records come back as the services wrote
them (screenings with totals and suicide flags, actions, dated plans with their supervision fields)."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import date, datetime, timedelta

import pytest

from smerteagent.core.careplan.plan import CarePlan, InformedConsent, PlannedMedication, ReceivedLetter
from smerteagent.core.patients import PatientInput
from smerteagent.core.quality.outcomes import OUTCOME_FORMS
from smerteagent.core.quality.rules import bundled_rules
from smerteagent.storage.quality import QualityRecords, _builder
from smerteagent.storage.services import Services


def _complete(services: Services, patient_id: int, form: str, answers: dict[str, int]) -> int:
    encounter = services.screenings.start_encounter(patient_id, "pain_clinic")
    response = services.screenings.start_response(encounter.id, form)
    for item, value in answers.items():
        services.screenings.answer(response.id, item, value)
    return services.screenings.complete(response.id, "female").id


def test_the_reader_returns_what_the_services_wrote(services: Services) -> None:
    patient, _ = services.patients.add(PatientInput("Åse", "Ærø", cpr="070761-4285"))
    other, _ = services.patients.add(PatientInput("Bo", "Holm", cpr="010190-1234"))
    flagged = _complete(services, patient.id, "phq9", {**{f"q{i}": 1 for i in range(1, 9)}, "q9": 2})
    _complete(services, patient.id, "peg", {"q1": 7, "q2": 6, "q3": 5})
    _complete(services, patient.id, "psfs", {"q1": 5})
    services.screenings.record_safety_action(flagged, "suicide_risk", "assessed_no_acute_risk")
    today = date.today()
    drug = PlannedMedication("Oxycodon", "10 mg x 2", 20, today - timedelta(days=100), today, None, "Rygsmerter",
                             today, "God effekt")  # fmt: skip
    consent = InformedConsent(today, "Opioidbehandling", ("dependence", "driving"), "Holm")
    letter = ReceivedLetter(today, "Afd. X", assessed_by="Holm", assessed_on=today, action="Ingen")
    services.careplans.save(CarePlan(patient.id, medications=(drug,), consent=consent, letters=(letter,),
                                     medication_reviewed_on=today))  # fmt: skip
    forms = bundled_rules().forms() | OUTCOME_FORMS
    records = QualityRecords(services.database).records(today - timedelta(days=30), today, forms)
    assert [r.patient_id for r in records] == [patient.id], f"{other.id} was not seen"
    record = records[0]
    assert [s.form_id for s in record.screenings] == ["phq9", "peg"], "psfs is read by no rule"
    assert "suicide_risk" in record.screenings[0].flags and record.screenings[1].total == 6
    assert (flagged, "suicide_risk") in record.actions
    plan = record.plan_on(today)
    assert plan is not None and plan.medications == (drug,) and plan.consent == consent
    assert plan.letters == (letter,) and plan.medication_reviewed_on == today
    assert record.plan_on(today - timedelta(days=1)) is None


def test_plans_made_without_their_init_equal_plans_made_with_it() -> None:
    made = datetime(2026, 1, 10, 9)
    built = _builder(CarePlan)(patient_id=7, number=2, status="frozen", created_at=made)
    assert built == CarePlan(7, number=2, status="frozen", created_at=made)
    assert hash(built.medications) == hash(()) and built.letters == () and built.consent is None
    with pytest.raises(FrozenInstanceError):
        built.status = "draft"  # type: ignore[misc]
    with pytest.raises(TypeError, match="patient_id"):
        _builder(CarePlan)(number=2, created_at=made)  # no silent default for a field without one
    with pytest.raises(TypeError, match="unknown_field"):
        _builder(PlannedMedication)(name="Oxycodon", unknown_field=1)
