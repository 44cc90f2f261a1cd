"""Report fixtures: a Danish patient's care plan with goals, opioid tapering and results over time."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

import pytest
import yaml

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
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.history import InstrumentHistory, build_history
from smerteagent.core.patients import Patient
from smerteagent.core.settings import Settings
from smerteagent.paths import bundled_forms_dir, bundled_resources_dir

TODAY = date(2026, 3, 2)
NAME = "Søren Ærø"
CPR = "070761-4285"


@pytest.fixture(scope="session")
def library() -> FormLibrary:
    loaded = FormLibrary.load([bundled_forms_dir()])
    assert loaded.errors == []
    return loaded


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return Catalogue.load(bundled_resources_dir() / "medication" / "medication.yaml")


@pytest.fixture(scope="session")
def safety_contacts() -> list[dict[str, Any]]:
    document = yaml.safe_load((bundled_resources_dir() / "careplan" / "safety_contacts.yaml").read_text("utf-8"))
    return list(document["contacts"])


@pytest.fixture
def patient() -> Patient:
    return Patient(1, "0707614285", "Søren", "Ærø", date(1961, 7, 7), "male", datetime(2026, 3, 1))


@pytest.fixture
def settings() -> Settings:
    return Settings(clinic_name="Smerteklinikken Århus", clinic_address="Nørrebrogade 44, 8000 Aarhus C")


@pytest.fixture
def histories(library: FormLibrary) -> list[InstrumentHistory]:
    days = [datetime(2025, 9, 1, 10), datetime(2025, 11, 3, 9), datetime(2026, 1, 12, 14), datetime(2026, 3, 2, 11)]
    odi = [(when, {"total": total}) for when, total in zip(days, (44, 38.5, 30, 22), strict=True)]
    startback = [
        (when, {"total": t, "psychosocial": p}) for when, t, p in zip(days, (7, 6, 4, 3), (4, 4, 2, 2), strict=True)
    ]
    return [
        build_history(library.get("odi"), odi, "da", reader="patient"),
        build_history(library.get("startback"), startback, "da", reader="patient"),
    ]


@pytest.fixture
def plan() -> CarePlan:
    """A plan without a safety plan; tests that need one add it with ``replace``."""
    oxycodone = PlannedMedication(
        "Oxycodon",
        dose_text="10 mg morgen og aften",
        daily_dose=20,
        started_on=date(2025, 5, 1),
        tapering=TaperingPlan(20, 10, 14, date(2026, 3, 9), followed_up_by="gp", follow_up_on=date(2026, 4, 6)),
    )
    return CarePlan(
        patient_id=1,
        number=2,
        values=(
            ValueRating("family", 10, 4, chosen=True, note="Være der for børnebørnene"),
            ValueRating("health_body", 8, 3, chosen=True),
            ValueRating("work_education", 6, 5),
        ),
        goals=(
            Goal("family", "Gå tur med hunden på 30 min", "PSFS: gå 30 min", 3, 7, date(2026, 6, 1)),
            Goal("health_body", "Cykle til købmanden to gange om ugen", "Gange pr. uge", 0, 2, date(2026, 5, 1)),
        ),
        actions=(
            Action("Henvisning til fysioterapeut: superviseret træning", "gp", "inden 2 uger"),
            Action("Kursus: Lær at tackle kroniske smerter", "municipality", "forår 2026"),
            Action("Gåtur hver dag, øg 5 minutter om ugen", "patient", "fra i dag"),
        ),
        treatments=("Patientuddannelse om smerter og aktivitet", "Superviseret træning to gange om ugen"),
        medications=(oxycodone, PlannedMedication("Paracetamol", "1 g x 3", 3000)),
        follow_up_on=date(2026, 4, 6),
        follow_up_by="gp",
        consent_given=True,
        medication_reviewed=True,
        created_at=datetime(2026, 3, 2, 10, 30),
        charts=("odi", "startback"),  # the patient chose to follow these two on paper
    )


@pytest.fixture
def safety_plan() -> SafetyPlan:
    return SafetyPlan(
        warning_signs=("Jeg isolerer mig og sover dårligt",),
        coping=("Gå en tur med hunden", "Ringe til min søster"),
        people=("Søster Åse, 20 30 40 50",),
        professionals=("Egen læge",),
    )


@pytest.fixture
def plan_with_safety(plan: CarePlan, safety_plan: SafetyPlan) -> CarePlan:
    return replace(plan, safety_plan=safety_plan)
