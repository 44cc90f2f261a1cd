"""What the supervision checkpoints read from a care plan, as FHIR R4 resources in the patient's Bundle:
each drug as a MedicationStatement (indication, start, last effect evaluation and the next), the informed
consent as a Consent (what it covers, the risks explained, who obtained it), the medication review as a
Procedure, and every received discharge summary or letter as a DocumentReference with its assessment."""

from __future__ import annotations

from datetime import date, datetime, time

from smerteagent.core.careplan.plan import CarePlan, InformedConsent, PlannedMedication, ReceivedLetter
from smerteagent.core.interop.fhir_common import Json, stable_uuid

RISK_SYSTEM = "urn:smerteagent:consent-risk"
LETTER_SYSTEM = "urn:smerteagent:letter-kind"
MEDICATION_REVIEW = {"system": "http://snomed.info/sct", "code": "182836005", "display": "Review of medication"}


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _instant(value: date) -> str:
    return datetime.combine(value, time(12)).astimezone().isoformat(timespec="seconds")


def medication_statement(medication: PlannedMedication, subject: str) -> Json:
    drug = {"text": medication.name}
    resource: Json = {"resourceType": "MedicationStatement", "status": "active", "medicationCodeableConcept": drug,
                      "subject": {"reference": subject}}  # fmt: skip
    if medication.started_on:
        resource["effectivePeriod"] = {"start": _day(medication.started_on)}
    if medication.dose_text:
        resource["dosage"] = [{"text": medication.dose_text}]
    if medication.indication:
        resource["reasonCode"] = [{"text": medication.indication}]
    notes = []
    if medication.evaluated_on or medication.evaluation_result:
        notes.append(f"effect evaluated {_day(medication.evaluated_on) or '-'}: {medication.evaluation_result or '-'}")
    if medication.re_evaluate_on:
        notes.append(f"next evaluation {_day(medication.re_evaluate_on)}")
    if notes:
        resource["note"] = [{"text": text} for text in notes]
    return resource


def consent_resource(consent: InformedConsent, subject: str) -> Json:
    codes: list[Json] = [{"text": consent.covers}] if consent.covers else []
    codes += [{"coding": [{"system": RISK_SYSTEM, "code": risk}]} for risk in consent.risks]
    provision: Json = {"type": "permit"}
    if codes:
        provision["code"] = codes
    if consent.by:
        informant = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                                 "code": "INF", "display": "informant"}]}  # fmt: skip
        provision["actor"] = [{"role": informant, "reference": {"display": consent.by}}]
    return {
        "resourceType": "Consent", "status": "active",
        "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "treatment"}]},
        "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0", "display": "Patient Consent"}]}],
        "patient": {"reference": subject}, "dateTime": _instant(consent.given_on),
        "policyRule": {"text": "Sundhedsloven §§ 15-16 (informeret samtykke)"}, "provision": provision,
    }  # fmt: skip


def review_procedure(reviewed_on: date, subject: str) -> Json:
    return {"resourceType": "Procedure", "status": "completed", "code": {"coding": [MEDICATION_REVIEW]},
            "subject": {"reference": subject}, "performedDateTime": _day(reviewed_on)}  # fmt: skip


def letter_reference(letter: ReceivedLetter, subject: str) -> Json:
    resource: Json = {
        "resourceType": "DocumentReference", "status": "current",
        "type": {"coding": [{"system": LETTER_SYSTEM, "code": letter.kind}]}, "subject": {"reference": subject},
        "date": _instant(letter.received_on), "author": [{"display": letter.sender}],
        "content": [{"attachment": {"title": f"{letter.kind} from {letter.sender}"}}],
    }  # fmt: skip
    if letter.assessed_on:
        resource["authenticator"] = {"display": letter.assessed_by or "-"}
        resource["description"] = f"assessed {_day(letter.assessed_on)}: {letter.action or '-'}"
    else:
        resource["description"] = "not assessed"
    return resource


def record_entries(plan: CarePlan, subject: str, key: str) -> list[tuple[str, Json]]:
    """The plan's supervision resources with stable fullUrls (``key``: the patient's own key)."""
    found = [(stable_uuid(key, "plan", plan.number, "drug", index), medication_statement(m, subject))
             for index, m in enumerate(plan.medications)]  # fmt: skip
    if plan.consent is not None:
        found.append((stable_uuid(key, "plan", plan.number, "consent"), consent_resource(plan.consent, subject)))
    if plan.medication_reviewed_on is not None:
        procedure = review_procedure(plan.medication_reviewed_on, subject)
        found.append((stable_uuid(key, "plan", plan.number, "review"), procedure))
    for index, letter in enumerate(plan.letters):
        found.append((stable_uuid(key, "plan", plan.number, "letter", index), letter_reference(letter, subject)))
    return found
