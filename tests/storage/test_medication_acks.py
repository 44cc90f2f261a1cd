"""Medication warnings on the patient's plan, acknowledged with a reason: stored, audited, still shown."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from smerteagent.core.careplan.plan import CarePlan, PlannedMedication
from smerteagent.core.patients import PatientInput
from smerteagent.storage.services import Services
from smerteagent.usecases import medication
from smerteagent.usecases.medication import PrescriptionError

TODAY = date(2026, 12, 3)


@pytest.fixture
def patient_id(services: Services) -> int:
    patient, _ = services.patients.add(PatientInput("Søren", "Ærø", cpr="070761-4285"))
    drugs = (PlannedMedication("Ketogan 60 mg", None, 60), PlannedMedication("Stesolid 10 mg", None, 10),
             PlannedMedication("Zyxomol", None, 5, TODAY - timedelta(days=100)))  # fmt: skip
    services.careplans.save(CarePlan(patient.id, medications=drugs))
    return patient.id


def test_the_patient_page_gets_every_warning_most_severe_first(services: Services, patient_id: int) -> None:
    shown = medication.patient_warnings(services, patient_id, TODAY)
    assert [s.warning.kind for s in shown] == ["opioid_with_benzodiazepine", "unclassified_drug", "reassess_daily_mme"]
    assert [s.severity for s in shown] == ["critical", "warning", "notice"]
    assert all(s.acknowledged is None for s in shown)


def test_an_acknowledgement_needs_a_reason_is_audited_and_the_warning_stays(
    services: Services, patient_id: int
) -> None:
    first = medication.patient_warnings(services, patient_id, TODAY)[0]
    with pytest.raises(PrescriptionError):
        medication.acknowledge(services, patient_id, first.warning, "   ")
    done = medication.acknowledge(services, patient_id, first.warning, "Aftalt udtrapning af Stesolid først")
    assert done.actor == "test-clinician" and done.kind == "opioid_with_benzodiazepine"
    again = medication.patient_warnings(services, patient_id, TODAY)
    assert again[0].warning == first.warning and again[0].acknowledged is not None
    assert again[0].acknowledged.reason == "Aftalt udtrapning af Stesolid først"
    assert again[1].acknowledged is None  # only the warning acknowledged
    events = services.audit.events()
    assert any(e.detail.get("medication_warning_acknowledged") == "opioid_with_benzodiazepine" for e in events)


def test_a_changed_combination_is_a_new_warning(services: Services, patient_id: int) -> None:
    first = medication.patient_warnings(services, patient_id, TODAY)[0]
    medication.acknowledge(services, patient_id, first.warning, "Vurderet")
    plan = services.careplans.current(patient_id)
    assert plan is not None
    changed = (*plan.medications, PlannedMedication("Imovane", None, 7.5))
    services.careplans.save(CarePlan(patient_id, medications=changed, revision=plan.revision, number=plan.number))
    shown = medication.patient_warnings(services, patient_id, TODAY)
    assert shown[0].warning.kind == "opioid_with_benzodiazepine" and shown[0].acknowledged is None
