"""The register as CSV: one row per response, stable column names, pseudonymised on request.

Pseudonymisation replaces the CPR number with HMAC-SHA256 under a key only the clinic holds: the same
patient gets the same pseudonym in every export made with that key, and nobody without the key can
recover or test a CPR number. Names are never exported; the age at the response replaces the birth date.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TextIO

from smerteagent.core.cpr import format_cpr
from smerteagent.core.patients import age_on
from smerteagent.core.scoring.engine import CompiledForm

COLUMNS = (
    "response_id", "patient", "sex", "age", "encounter_id", "setting", "clinician", "form", "form_version",
    "status", "started_at", "completed_at", "total", "band", "flags", "missing", "results", "answers",
)  # fmt: skip
MIN_KEY_BYTES = 16


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
        identifier = f"cpr:{row.cpr}" if row.cpr else f"id:{row.patient_id}"
        return hmac.new(self._key, identifier.encode("utf-8"), hashlib.sha256).hexdigest()


def columns(form: CompiledForm | None) -> list[str]:
    """The fixed columns, plus one per item and result when the export is of one form."""
    extra: list[str] = []
    if form is not None:
        extra = [f"item.{item_id}" for item_id in form.items]
        extra += [f"result.{r.id}" for r in form.definition.scoring.results if not r.hidden]
    return [*COLUMNS, *extra]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _values(row: RegisterRow, pseudonymise: Pseudonymiser | None) -> list[str]:
    patient = pseudonymise(row) if pseudonymise else (format_cpr(row.cpr) or f"id:{row.patient_id}")
    results = row.results or {}
    day = (row.completed_at or row.created_at).date()
    values: list[Any] = [
        row.response_id, patient, row.sex, age_on(row.birth_date, day), row.encounter_id, row.setting, row.clinician,
        row.form_id, row.form_version, row.status, row.created_at, row.completed_at, results.get("total"), row.band,
        "|".join(row.flags), "|".join(row.missing), json.dumps(results, sort_keys=True, ensure_ascii=False),
        json.dumps(row.answers, sort_keys=True, ensure_ascii=False),
    ]  # fmt: skip
    return [_cell(v) for v in values]


def write_register(
    rows: Iterable[RegisterRow],
    out: TextIO,
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
            line += [_cell(row.answers.get(item_id)) for item_id in form.items]
            line += [_cell((row.results or {}).get(name.removeprefix("result."))) for name in header[len(line) :]]
        writer.writerow(line)
        count += 1
    return count
