"""The register as CSV: one row per response, stable column names, pseudonymised on request.

Pseudonymisation replaces the CPR number with HMAC-SHA256 under a key only the clinic holds: the same
patient gets the same pseudonym in every export made with that key, and nobody without the key can
recover or test a CPR number. Names are never exported; the age at the response replaces the birth date.
A pseudonymised export also leaves out what could name or single out a person: free-text answers (PSFS
activities, comments), the clinician, and times of day (dates only); the database ids of responses and
encounters become keyed hashes too, so exports made with different keys cannot be linked through them.

Every text cell that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return) gets a leading ``'``: patient free text must never run as a formula in Excel.
Numbers are written as numbers (``-1`` stays ``-1``); only text is guarded.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from smerteagent.core.cpr import format_cpr
from smerteagent.core.patients import age_on
from smerteagent.core.scoring.engine import CompiledForm

COLUMNS = (
    "response_id", "patient", "sex", "age", "encounter_id", "setting", "clinician", "form", "form_version",
    "status", "started_at", "completed_at", "total", "band", "flags", "missing", "results", "answers",
)  # fmt: skip
MIN_KEY_BYTES = 16
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """``text`` with a leading ``'`` if a spreadsheet would otherwise take it for a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


@dataclass(frozen=True)
class RegisterRow:
    """One stored response with what the export needs of its encounter and patient."""

    response_id: int
    patient_id: int
    cpr: str | None
    birth_date: date | None
    sex: str | None
    encounter_id: int
    setting: str
    clinician: str | None
    form_id: str
    form_version: str
    status: str
    created_at: datetime
    completed_at: datetime | None
    answers: dict[str, Any]
    results: dict[str, Any] | None
    band: str | None
    flags: list[str]
    missing: list[str]


class Pseudonymiser:
    """Keyed hash of a patient's identifier; the key is never written anywhere by this program."""

    def __init__(self, key: bytes) -> None:
        if len(key) < MIN_KEY_BYTES:
            raise ValueError(f"the pseudonymisation key must be at least {MIN_KEY_BYTES} bytes")
        self._key = key

    def __call__(self, row: RegisterRow) -> str:
        return self.patient(row.patient_id, row.cpr)

    def patient(self, patient_id: int, cpr: str | None) -> str:
        return self._hash(f"cpr:{cpr}" if cpr else f"id:{patient_id}")

    def record(self, kind: str, record_id: int) -> str:
        """A database id (``response``, ``encounter``) as a keyed hash: stable per key, unlinkable across keys."""
        return self._hash(f"{kind}:{record_id}")

    def _hash(self, identifier: str) -> str:
        return hmac.new(self._key, identifier.encode("utf-8"), hashlib.sha256).hexdigest()


def columns(form: CompiledForm | None) -> list[str]:
    """The fixed columns, plus one per item and result when the export is of one form."""
    extra: list[str] = []
    if form is not None:
        extra = [f"item.{item_id}" for item_id in form.items]
        extra += [f"result.{r.id}" for r in form.definition.scoring.results if not r.hidden]
    return [*COLUMNS, *extra]


def _cell(value: Any) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int | float):
        return value
    return spreadsheet_safe(str(value))


def _numeric(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers without free text (what a pseudonymised export may carry)."""
    return {item: value for item, value in answers.items() if not isinstance(value, str)}


def _values(row: RegisterRow, pseudonymise: Pseudonymiser | None) -> list[str | int | float]:
    results = row.results or {}
    day = (row.completed_at or row.created_at).date()
    started: datetime | date = row.created_at
    completed: datetime | date | None = row.completed_at
    if pseudonymise is None:
        patient = format_cpr(row.cpr) or f"id:{row.patient_id}"
        ids: tuple[object, object] = (row.response_id, row.encounter_id)
        clinician, answers = row.clinician, row.answers
    else:
        patient = pseudonymise(row)
        ids = (pseudonymise.record("response", row.response_id), pseudonymise.record("encounter", row.encounter_id))
        clinician, answers = None, _numeric(row.answers)
        started, completed = row.created_at.date(), row.completed_at.date() if row.completed_at else None
    values: list[Any] = [
        ids[0], patient, row.sex, age_on(row.birth_date, day), ids[1], row.setting, clinician,
        row.form_id, row.form_version, row.status, started, completed, results.get("total"), row.band,
        "|".join(row.flags), "|".join(row.missing), json.dumps(results, sort_keys=True, ensure_ascii=False),
        json.dumps(answers, sort_keys=True, ensure_ascii=False),
    ]  # fmt: skip
    return [_cell(v) for v in values]


def write_register(
    rows: Iterable[RegisterRow],
    out: IO[str],
    *,
    delimiter: str = ",",
    pseudonymise: Pseudonymiser | None = None,
    form: CompiledForm | None = None,
) -> int:
    """Write the header and one line per row as the rows arrive; returns the number of rows."""
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    header = columns(form)
    writer.writerow(header)
    count = 0
    for row in rows:
        line = _values(row, pseudonymise)
        if form is not None:
            answers = _numeric(row.answers) if pseudonymise is not None else row.answers
            line += [_cell(answers.get(item_id)) for item_id in form.items]
            line += [_cell((row.results or {}).get(name.removeprefix("result."))) for name in header[len(line) :]]
        writer.writerow(line)
        count += 1
    return count
