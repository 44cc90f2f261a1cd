"""A patient's Bundle never loses a band or a flag: withheld scores and bandless forms still carry them."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.interop.fhir_responses import BAND_AND_FLAGS, patient_bundle
from smerteagent.core.patients import PatientSummary
from smerteagent.core.scoring.result import ScoreResult

PATIENT = PatientSummary(1, "0707614285", "Åse", "Ærø", date(1961, 7, 7), "female", datetime(2025, 3, 1, 9, 0))


@dataclass(frozen=True)
class Stored:
    id: int
    form_id: str
    form_version: str
    status: str
    answers: Mapping[str, int | str]
    created_at: datetime
    completed_at: datetime | None
    score: ScoreResult | None


def bundle_of(library: FormLibrary, form_id: str, answers: dict[str, int | str], fhir_r4: Any) -> list[Any]:
    """The Observations of one scored response, each checked against the R4 model."""
    form = library.get(form_id)
    moment = datetime(2025, 3, 1, 10, 30)
    response = Stored(7, form_id, form.version, "complete", answers, moment, moment, form.score(answers))
    bundle = patient_bundle(PATIENT, [response], library.forms)
    importlib.import_module("fhir.resources.R4B.bundle").Bundle.model_validate(bundle)
    found = []
    for entry in bundle["entry"]:
        resource = entry["resource"]
        module = importlib.import_module(f"fhir.resources.R4B.{resource['resourceType'].lower()}")
        getattr(module, resource["resourceType"]).model_validate(resource)
        if resource["resourceType"] == "Observation":
            found.append(resource)
    return found


def flags(observation: dict[str, Any]) -> list[str]:
    return [c["code"]["coding"][0]["code"] for c in observation.get("component", []) if c["valueBoolean"]]


def band(observation: dict[str, Any]) -> str | None:
    interpretation = observation.get("interpretation")
    return interpretation[0]["coding"][0]["code"] if interpretation else None


def test_asq_acute_positive_exports_its_imminent_risk(library: FormLibrary, fhir_r4: Any) -> None:
    answers: dict[str, int | str] = {"q1": 1, "q2": 0, "q3": 0, "q4": 0, "q5": 1}
    assert library.get("asq").score(answers).band == "acute_positive"
    observations = bundle_of(library, "asq", answers, fhir_r4)
    assert len(observations) == 1  # ASQ reports no score: one band-and-flags Observation
    (graded,) = observations
    assert graded["code"]["coding"][-1]["code"] == BAND_AND_FLAGS
    assert graded["valueCodeableConcept"]["coding"][0]["code"] == "acute_positive" == band(graded)
    assert {"suicide_risk", "suicide_risk_imminent"} <= set(flags(graded))


def test_incomplete_phq9_keeps_the_suicide_flag(library: FormLibrary, fhir_r4: Any) -> None:
    answers: dict[str, int | str] = {f"q{n}": 1 for n in range(2, 9)} | {"q9": 2}  # q1 unanswered
    assert library.get("phq9").score(answers).results["total"] is None
    (total,) = bundle_of(library, "phq9", answers, fhir_r4)
    assert "valueQuantity" not in total and total["dataAbsentReason"]["coding"][0]["code"] == "unknown"
    assert total["code"]["coding"][0]["code"] == "44261-6"
    assert "suicide_risk" in flags(total) and "incomplete" in flags(total)


def test_complete_phq9_carries_band_and_flag_on_its_total(library: FormLibrary, fhir_r4: Any) -> None:
    (total,) = bundle_of(library, "phq9", {f"q{n}": 2 for n in range(1, 10)}, fhir_r4)
    assert total["valueQuantity"]["value"] == 18 and "dataAbsentReason" not in total
    assert band(total) == "moderately_severe" and flags(total) == ["suicide_risk"]


def test_a_form_without_a_total_gets_no_phantom_total(library: FormLibrary, fhir_r4: Any) -> None:
    answers: dict[str, int | str] = {"q1": 1, "q2": 1, "q3": 1, "q4": 1, "q5": 1, "q6": 1}
    observations = bundle_of(library, "cssrs_screener", answers, fhir_r4)
    codes = [o["code"]["coding"][-1]["code"] for o in observations]
    assert codes == ["ideation_severity"] and "suicide_risk" in flags(observations[0])


def test_the_supervision_fields_go_out_as_r4_resources(library: FormLibrary, fhir_r4: Any) -> None:
    from smerteagent.core.careplan.plan import CarePlan, InformedConsent, PlannedMedication, ReceivedLetter

    drug = PlannedMedication("Oxycodon", "10 mg x 2", 20, date(2026, 1, 5), date(2027, 1, 5), None, "Rygsmerter",
                             date(2026, 11, 1), "God effekt")  # fmt: skip
    plan = CarePlan(1, medications=(drug,), consent=InformedConsent(date(2026, 1, 5), "Opioidbehandling",
                                                                    ("dependence", "driving"), "Læge Holm"),
                    medication_reviewed_on=date(2026, 11, 1),
                    letters=(ReceivedLetter(date(2026, 10, 1), "Afd. X", "discharge_summary", "Holm",
                                            date(2026, 10, 3), "Ingen"),))  # fmt: skip
    bundle = patient_bundle(PATIENT, [], library.forms, plan)
    importlib.import_module("fhir.resources.R4B.bundle").Bundle.model_validate(bundle)
    resources = {entry["resource"]["resourceType"]: entry["resource"] for entry in bundle["entry"]}
    statement = resources["MedicationStatement"]
    assert statement["reasonCode"] == [{"text": "Rygsmerter"}] and statement["effectivePeriod"]["start"] == "2026-01-05"
    assert "effect evaluated 2026-11-01: God effekt" in statement["note"][0]["text"]
    risks = [c["coding"][0]["code"] for c in resources["Consent"]["provision"]["code"] if "coding" in c]
    assert risks == ["dependence", "driving"] and resources["Consent"]["dateTime"].startswith("2026-01-05")
    assert resources["Procedure"]["performedDateTime"] == "2026-11-01"
    assert resources["DocumentReference"]["description"] == "assessed 2026-10-03: Ingen"
    again = patient_bundle(PATIENT, [], library.forms, plan)
    assert [e["fullUrl"] for e in again["entry"]] == [e["fullUrl"] for e in bundle["entry"]]
