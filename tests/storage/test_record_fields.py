"""The supervision fields of a record (issue 16) come back exactly as saved: indication and effect evaluation
per drug, informed consent in detail, received letters, the date of the medication review."""

from __future__ import annotations

from datetime import date

import pytest

from smerteagent.core.careplan.plan import CarePlan, InformedConsent, PlannedMedication, ReceivedLetter
from smerteagent.core.patients import PatientInput
from smerteagent.storage.careplans import PlanProblem
from smerteagent.storage.services import Services


def test_record_fields_round_trip(services: Services) -> None:
    patient, _ = services.patients.add(PatientInput("Åse", "Ærø", cpr="070761-4285"))
    drug = PlannedMedication("Oxycodon", "10 mg x 2", 20, date(2026, 1, 5), date(2026, 9, 1), None,
                             "Rygsmerter efter operation", date(2026, 6, 1), "PEG 7 → 5; fortsætter")  # fmt: skip
    consent = InformedConsent(date(2026, 1, 5), "Opioidbehandling", ("dependence", "driving"), "Læge Holm")
    letter = ReceivedLetter(date(2026, 2, 1), "Ortopædkirurgisk afd.", "discharge_summary", "Læge Holm",
                            date(2026, 2, 3), "Ingen ændring")  # fmt: skip
    plan = CarePlan(patient.id, medications=(drug,), consent=consent, medication_reviewed_on=date(2026, 6, 1),
                    letters=(letter, ReceivedLetter(date(2026, 3, 1), "Egen læge", "letter")))  # fmt: skip
    saved = services.careplans.save(plan)
    again = services.careplans.current(patient.id)
    assert again is not None and again == saved
    assert again.medications == (drug,) and again.consent == consent
    assert again.letters[0] == letter and again.letters[1].assessed_on is None
    assert again.medication_reviewed_on == date(2026, 6, 1)
    assert again.consent_given and again.medication_reviewed, "the dated fields imply the ticks"


def test_a_letter_assessed_before_it_arrived_is_refused(services: Services) -> None:
    patient, _ = services.patients.add(PatientInput("Åse", "Ærø", cpr="070761-4285"))
    letter = ReceivedLetter(date(2026, 2, 1), "Afd. X", assessed_by="Holm", assessed_on=date(2026, 1, 31))
    with pytest.raises(PlanProblem, match="Afd\\. X"):
        services.careplans.save(CarePlan(patient.id, letters=(letter,)))
    with pytest.raises(PlanProblem, match="flying"):
        services.careplans.save(CarePlan(patient.id, consent=InformedConsent(date(2026, 1, 1), "x", ("flying",))))
