"""Care plans in versions: save a draft, freeze it when printed, the next edit starts a new version;
two workstations cannot overwrite each other; every field comes back exactly as saved."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from smerteagent.core.careplan.plan import (
    Action,
    CarePlan,
    Goal,
    PlannedMedication,
    SafetyPlan,
    TaperingPlan,
    ValueRating,
)
from smerteagent.core.careplan.tapering import TaperStep
from smerteagent.core.errors import ConflictError
from smerteagent.core.patients import PatientInput
from smerteagent.storage.careplans import PlanProblem
from smerteagent.storage.services import Services, open_services


@pytest.fixture
def patient_id(services: Services) -> int:
    patient, _ = services.patients.add(PatientInput("Søren", "Ærø", cpr="070761-4285"))
    return patient.id


def full_plan(patient_id: int) -> CarePlan:
    return CarePlan(
        patient_id,
        values=(ValueRating("family", 9, 4, chosen=True, note="Børnebørnene"), ValueRating("work_education", 6, 5)),
        goals=(Goal("family", "Gå tur med hunden i 30 min", "PSFS", 3, 7, date(2027, 3, 1)),),
        actions=(Action("Daglig gåtur", "patient", "hver dag"), Action("Henvisning til fysioterapi", "gp")),
        treatments=("Patientuddannelse",),
        medications=(
            PlannedMedication(
                "Oxycodon",
                "10 mg x 2",
                20,
                date(2026, 1, 5),
                date(2027, 1, 5),
                TaperingPlan(20, 10, 14, date(2026, 12, 1), followed_up_by="Egen læge", strengths=(1.0, 5.0)),
            ),
        ),
        safety_plan=SafetyPlan(("Søvnløshed",), ("Ringe til datteren",), ("Datter Åse",), ("Egen læge",)),
        follow_up_on=date(2027, 1, 15),
        follow_up_by="Egen læge",
        consent_given=True,
        medication_reviewed=True,
        abuse_stance="Ingen tegn på misbrug; aftale om én ordinerende læge",
        notes="Æ, ø og å bevares",
    )


def test_round_trip_keeps_every_field(services: Services, patient_id: int) -> None:
    saved = services.careplans.save(full_plan(patient_id))
    loaded = services.careplans.current(patient_id)
    assert loaded is not None
    expected = replace(full_plan(patient_id), created_at=loaded.created_at, revision=loaded.revision)
    assert loaded == expected and saved == loaded
    assert loaded.medications[0].tapering is not None
    assert [s.daily_dose for s in loaded.medications[0].tapering.schedule()][:3] == [20, 18, 16]


def test_an_edited_tapering_schedule_is_kept_row_by_row(services: Services, patient_id: int) -> None:
    day = date(2026, 12, 1)
    rows = (TaperStep(day, 20), TaperStep(day + timedelta(days=14), 15), TaperStep(day + timedelta(days=42), 7.5))
    medication = replace(full_plan(patient_id).medications[0], tapering=TaperingPlan(20, 25, 14, day, steps=rows))
    services.careplans.save(replace(full_plan(patient_id), medications=(medication,)))
    loaded = services.careplans.current(patient_id)
    assert loaded is not None and loaded.medications[0].tapering is not None
    assert loaded.medications[0].tapering.schedule() == list(rows)


def test_printing_freezes_and_the_next_edit_is_a_new_version(services: Services, patient_id: int) -> None:
    first = services.careplans.save(full_plan(patient_id))
    frozen = services.careplans.freeze(patient_id)
    assert frozen.frozen and frozen.number == 1
    second = services.careplans.save(replace(frozen, notes="Version 2", status="draft"))
    assert second.number == 2 and not second.frozen
    versions = services.careplans.versions(patient_id)
    assert [(v.number, v.status, v.notes) for v in versions] == [
        (1, "frozen", first.notes), (2, "draft", "Version 2"),
    ]  # fmt: skip


def test_two_workstations_cannot_overwrite_each_other(services: Services, patient_id: int, database_url: str) -> None:
    draft = services.careplans.save(full_plan(patient_id))
    other = open_services(database_url, services.forms, actor="other")
    try:
        theirs = other.careplans.current(patient_id)
        assert theirs is not None
        other.careplans.save(replace(theirs, notes="saved there"))
    finally:
        other.close()
    with pytest.raises(ConflictError):
        services.careplans.save(replace(draft, notes="saved here"))
    current = services.careplans.current(patient_id)
    assert current is not None and current.notes == "saved there"


def test_invalid_plan_is_refused(services: Services, patient_id: int) -> None:
    bad = CarePlan(patient_id, values=(ValueRating("family", 11, 4, chosen=True),),
                   goals=(Goal("leisure", "Svømme"),), actions=(Action("Noget", "nobody"),))  # fmt: skip
    with pytest.raises(PlanProblem):
        services.careplans.save(bad)
    assert services.careplans.current(patient_id) is None


def test_a_version_saved_elsewhere_while_printing_is_not_frozen(services: Services, patient_id: int) -> None:
    printed = services.careplans.save(full_plan(patient_id))
    newer = services.careplans.save(replace(printed, notes="Ændret på en anden arbejdsplads"))
    with pytest.raises(ConflictError):
        services.careplans.freeze(patient_id, "print", printed=printed)
    assert [v.status for v in services.careplans.versions(patient_id)] == ["draft"]
    assert services.careplans.freeze(patient_id, "print", printed=newer).frozen


def test_the_patients_own_words_and_chosen_charts_are_kept(services: Services, patient_id: int) -> None:
    words = "Lege med børnebørnene\nog gå til håndbold om lørdagen"
    saved = services.careplans.save(replace(full_plan(patient_id), own_words=words, charts=("odi", "peg")))
    again = services.careplans.current(patient_id)
    assert again is not None and again.own_words == words and again.charts == ("odi", "peg")
    assert saved == again
    unchanged = services.careplans.save(replace(again, notes="ny note"))
    assert unchanged.own_words == words and unchanged.charts == ("odi", "peg")
