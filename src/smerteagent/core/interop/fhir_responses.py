"""A patient's questionnaires as FHIR R4: a Bundle of the Patient, QuestionnaireResponses and Observations.

Answers go out exactly as stored (the option's coding, or the whole number or text); each reported result
becomes an Observation derived from its response, coded with the result's LOINC code where the form has
one. A result the engine withheld (an item unanswered) still goes out, without a value and with a
``dataAbsentReason``, so that the band and the raised flags it carries are never lost; a form whose bands
grade no reported result (ASQ) gets one band-and-flags Observation instead. The band is the
``interpretation`` and each raised flag a ``component`` — a suicide-risk flag must survive every export.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Protocol

from smerteagent.core.careplan.plan import CarePlan
from smerteagent.core.interop.fhir_common import (
    CPR_SYSTEM,
    Json,
    answer_system,
    canonical,
    coding,
    result_system,
    stable_uuid,
)
from smerteagent.core.interop.fhir_record import record_entries
from smerteagent.core.patients import PatientSummary
from smerteagent.core.scoring.engine import CompiledForm
from smerteagent.core.scoring.result import ScoreResult

SURVEY = {"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "survey"}
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
# A result id is ``[a-z][a-z0-9_]*``, so this code of the result system can never be a result's.
BAND_AND_FLAGS = "band-and-flags"


class StoredResponse(Protocol):
    """What the mapping reads of a stored response (storage's ResponseRecord has these)."""

    @property
    def id(self) -> int: ...
    @property
    def form_id(self) -> str: ...
    @property
    def form_version(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def answers(self) -> Mapping[str, int | str]: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def completed_at(self) -> datetime | None: ...
    @property
    def score(self) -> ScoreResult | None: ...


def _instant(moment: datetime) -> str:
    """FHIR dateTime with seconds; a stored local time is written with the machine's offset."""
    return moment.astimezone().isoformat(timespec="seconds")


def patient_resource(patient: PatientSummary) -> Json:
    name = {"family": patient.family_name, "given": patient.given_name.split() or [patient.given_name]}
    resource: Json = {"resourceType": "Patient", "name": [name]}
    if patient.cpr:
        resource["identifier"] = [{"system": CPR_SYSTEM, "value": patient.cpr}]
    if patient.sex:
        resource["gender"] = patient.sex
    if patient.birth_date:
        resource["birthDate"] = patient.birth_date.isoformat()
    return resource


def _key(patient: PatientSummary, response: StoredResponse) -> tuple[object, ...]:
    return (patient.cpr or f"id-{patient.id}", "response", response.id, response.created_at.isoformat())


def _answer(form: CompiledForm | None, form_id: str, item_id: str, value: int | str) -> Json:
    if isinstance(value, str):
        return {"valueString": value}
    options = {o.value: o for o in (form.options.get(item_id, ()) if form else ())}
    option = options.get(value)
    if option is None:
        return {"valueInteger": value}
    if option.codes:
        return {"valueCoding": coding(option.codes[0])}
    return {"valueCoding": {"system": answer_system(form_id), "code": str(value), "display": option.da}}


def questionnaire_response(
    response: StoredResponse, form: CompiledForm | None, patient_url: str, patient: PatientSummary
) -> Json:
    """The response with its answers in form order (items a newer form no longer has come last)."""
    order = list(form.items) if form else []
    item_ids = [i for i in order if i in response.answers] + sorted(set(response.answers) - set(order))
    items = []
    for item_id in item_ids:
        item: Json = {
            "linkId": item_id,
            "answer": [_answer(form, response.form_id, item_id, response.answers[item_id])],
        }
        if form and item_id in form.items:
            item["text"] = next(i.text.da for i in form.definition.items if i.id == item_id)
        items.append(item)
    resource: Json = {
        "resourceType": "QuestionnaireResponse",
        "identifier": {"system": "urn:smerteagent:response", "value": str(response.id)},
        "questionnaire": f"{canonical(response.form_id)}|{response.form_version}",
        "status": "completed" if response.status == "complete" else "in-progress",
        "subject": {"reference": patient_url},
        "authored": _instant(response.completed_at or response.created_at),
    }
    if items:
        resource["item"] = items
    return resource


def _result_code(form: CompiledForm | None, form_id: str, result_id: str) -> Json:
    codings: list[Json] = []
    if form is not None:
        for result in form.definition.scoring.results:
            if result.id == result_id:
                codings += [coding(c) for c in result.codes]
    codings.append({"system": result_system(form_id), "code": result_id})
    return {"coding": codings, "text": f"{form_id} {result_id}"}


def _declared(form: CompiledForm | None) -> set[str]:
    """The reported (not hidden) results the form defines; empty when the form is not known."""
    if form is None:
        return set()
    return {r.id for r in form.definition.scoring.results if not r.hidden}


def _grades(form: CompiledForm | None, score: ScoreResult) -> bool:
    """Whether the response has a band or flags to carry, or its form could give it some."""
    if score.band is not None or score.flags or form is None:
        return True
    return bool(form.definition.scoring.bands or form.definition.scoring.flags)


def _observation(response: StoredResponse, code: Json, patient_url: str, response_url: str) -> Json:
    return {
        "resourceType": "Observation", "status": "final", "category": [{"coding": [SURVEY]}], "code": code,
        "subject": {"reference": patient_url},
        "effectiveDateTime": _instant(response.completed_at or response.created_at),
        "derivedFrom": [{"reference": response_url}],
    }  # fmt: skip


def _absent(observation: Json, text: str) -> None:
    observation["dataAbsentReason"] = {"coding": [{"system": DATA_ABSENT, "code": "unknown"}], "text": text}


def observations(
    response: StoredResponse, form: CompiledForm | None, urls: tuple[str, str], patient: PatientSummary
) -> list[tuple[str, Json]]:
    """(fullUrl, Observation) for each reported result of a completed response, and its band and flags.

    Exactly one Observation carries the band and the flags: the graded result's (``band_result``, else
    ``total``) — with a ``dataAbsentReason`` when that result was withheld — or, when no reported result
    is graded, a band-and-flags Observation whose value is the band.
    """
    score = response.score
    if score is None:
        return []
    patient_url, response_url = urls
    graded = (form.definition.scoring.band_result if form else None) or "total"
    declared = _declared(form)
    found, carried = [], False
    for result_id, value in score.results.items():
        if value is None and result_id not in declared:
            continue  # not a result of this form (the engine always reports a ``total`` key)
        observation = _observation(response, _result_code(form, response.form_id, result_id), patient_url,
                                   response_url)  # fmt: skip
        if value is None:
            _absent(observation, "score withheld: not every question it needs was answered")
        else:
            observation["valueQuantity"] = {"value": value, "unit": "{score}", "system": "http://unitsofmeasure.org",
                                            "code": "{score}"}  # fmt: skip
        if result_id == graded:
            _grade(observation, score, response.form_id)
            carried = True
        found.append((stable_uuid(*_key(patient, response), "observation", result_id), observation))
    if not carried and _grades(form, score):
        found.append(_band_and_flags(response, form, urls, patient, score))
    return found


def _band_and_flags(
    response: StoredResponse, form: CompiledForm | None, urls: tuple[str, str], patient: PatientSummary,
    score: ScoreResult,
) -> tuple[str, Json]:  # fmt: skip
    """The band (as value and interpretation) and the flags of a response whose bands grade no reported result."""
    codings = [coding(c) for c in form.definition.codes] if form is not None else []
    codings.append({"system": result_system(response.form_id), "code": BAND_AND_FLAGS})
    code = {"coding": codings, "text": f"{response.form_id} band and flags"}
    observation = _observation(response, code, *urls)
    if score.band is not None:
        observation["valueCodeableConcept"] = {"coding": [_band_coding(response.form_id, score.band)]}
    else:
        _absent(observation, "no band: not every question it needs was answered, or the form has none")
    _grade(observation, score, response.form_id)
    return stable_uuid(*_key(patient, response), "observation", BAND_AND_FLAGS), observation


def _band_coding(form_id: str, band: str) -> Json:
    return {"system": f"{result_system(form_id)}:band", "code": band}


def _grade(observation: Json, score: ScoreResult, form_id: str) -> None:
    if score.band is not None:
        observation["interpretation"] = [{"coding": [_band_coding(form_id, score.band)]}]
    if score.flags:
        observation["component"] = [
            {"code": {"coding": [{"system": "urn:smerteagent:flag", "code": flag}]}, "valueBoolean": True}
            for flag in score.flags
        ]


def patient_bundle(
    patient: PatientSummary,
    responses: Iterable[StoredResponse],
    forms: Mapping[str, CompiledForm],
    plan: CarePlan | None = None,
) -> Json:
    """A collection Bundle; the same records give the same fullUrls on every export. With ``plan``, its drugs,
    consent, medication review and received letters come along (supervision checkpoints)."""
    patient_url = stable_uuid(patient.cpr or f"id-{patient.id}", "patient")
    entries: list[Json] = [{"fullUrl": patient_url, "resource": patient_resource(patient)}]
    for response in responses:
        form = forms.get(response.form_id)
        if form is not None and form.version != response.form_version:
            form = form if set(response.answers) <= set(form.items) else None
        response_url = stable_uuid(*_key(patient, response))
        entries.append({"fullUrl": response_url,
                        "resource": questionnaire_response(response, form, patient_url, patient)})  # fmt: skip
        for url, observation in observations(response, form, (patient_url, response_url), patient):
            entries.append({"fullUrl": url, "resource": observation})
    if plan is not None:
        for url, resource in record_entries(plan, patient_url, patient.cpr or f"id-{patient.id}"):
            entries.append({"fullUrl": url, "resource": resource})
    return {"resourceType": "Bundle", "type": "collection", "timestamp": _instant(datetime.now()), "entry": entries}
