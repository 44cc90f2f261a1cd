"""Taking a patient's QuestionnaireResponses in from a FHIR file — one workflow for the CLI and the app.

Each response is checked on its own (see :mod:`smerteagent.core.interop.fhir_response_import`); the ones
that fit are stored as completed responses with their original date and source, scored with the form and
the patient's sex, and their flags raised (a critical flag shows the red banner like any other); the
ones that do not are listed with the reason. A file that cannot be read stores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from smerteagent.core.interop.fhir_input import FhirInputError, read_json
from smerteagent.core.interop.fhir_response_import import (
    Refusal,
    Refused,
    bundle_cprs,
    read_response,
    responses_in,
)
from smerteagent.core.scoring.result import ScoreResult
from smerteagent.storage.services import Services


@dataclass(frozen=True)
class TakenResponse:
    """A response stored: where it was in the file, its new id, form, date and score."""

    where: str
    response_id: int
    form_id: str
    authored: str
    score: ScoreResult | None
    ignored: tuple[str, ...] = ()


@dataclass
class ResponsesImport:
    """What an import took, what it refused and why, and what it already had."""

    file: str
    taken: list[TakenResponse] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    already_stored: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "taken": [{"where": t.where, "response_id": t.response_id, "form": t.form_id, "authored": t.authored,
                       "results": dict(t.score.results) if t.score else {}, "band": t.score.band if t.score else None,
                       "flags": list(t.score.flags) if t.score else [], "ignored": list(t.ignored)}
                      for t in self.taken],
            "refused": [{"where": r.where, "reason": r.reason} for r in self.refused],
            "already_stored": list(self.already_stored),
        }  # fmt: skip


class NoResponses(FhirInputError):
    """The file holds no QuestionnaireResponse at all."""


def import_responses(services: Services, patient_id: int, path: Path) -> ResponsesImport:
    """Read ``path`` (a QuestionnaireResponse or a Bundle) and store each fitting response for the patient."""
    document = read_json(path)
    found = list(responses_in(document))
    if not found:
        kind = document.get("resourceType") if isinstance(document, dict) else type(document).__name__
        raise NoResponses(str(path), f"no QuestionnaireResponse in it (a {kind!s:.40})")
    patient = services.patients.get(patient_id, audit=False)
    cprs = bundle_cprs(document)
    report = ResponsesImport(str(path))
    for where, resource in found:
        try:
            response = read_response(where, resource, services.forms.forms, path.name, cprs, patient.cpr)
        except Refused as why:
            report.refused.append(Refusal(where, str(why)))
            continue
        stored = services.screenings.import_completed(patient_id, response.form_id, response.answers,
                                                      response.authored, response.source)  # fmt: skip
        if stored is None:
            report.already_stored.append(where)
            continue
        report.taken.append(TakenResponse(where, stored.id, stored.form_id, response.authored.isoformat(
            timespec="seconds"), stored.score, response.ignored))  # fmt: skip
    return report
