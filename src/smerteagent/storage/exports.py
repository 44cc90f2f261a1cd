"""Reading the register for exports, streamed in batches, and recording every export in the audit trail."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from smerteagent.core.interop.csv_export import RegisterRow
from smerteagent.storage.audit import record_event
from smerteagent.storage.database import reading_session, writing_session
from smerteagent.storage.models import EncounterRow, PatientRow, ResponseRow

BATCH = 500


class ExportService:
    """Responses with their encounter and patient for a date range; exports that take data out are audited."""

    def __init__(self, sessions: sessionmaker[Session], actor: Callable[[], str]) -> None:
        self._sessions = sessions
        self._actor = actor

    def register(
        self, start: date | None = None, end: date | None = None, *, form_id: str | None = None,
        include_drafts: bool = False,
    ) -> Iterator[RegisterRow]:  # fmt: skip
        """Responses started from ``start`` to ``end`` (both days included), oldest first, BATCH rows at a time."""
        statement = (
            select(ResponseRow, EncounterRow, PatientRow)
            .join(EncounterRow, EncounterRow.id == ResponseRow.encounter_id)
            .join(PatientRow, PatientRow.id == EncounterRow.patient_id)
            .order_by(ResponseRow.created_at, ResponseRow.id)
        )
        if start is not None:
            statement = statement.where(ResponseRow.created_at >= datetime.combine(start, time.min))
        if end is not None:
            statement = statement.where(ResponseRow.created_at < datetime.combine(end + timedelta(days=1), time.min))
        if form_id is not None:
            statement = statement.where(ResponseRow.form_id == form_id)
        if not include_drafts:
            statement = statement.where(ResponseRow.status == "complete")
        with reading_session(self._sessions) as session:
            for response, encounter, patient in session.execute(statement.execution_options(yield_per=BATCH)):
                yield _row(response, encounter, patient)

    def record_export(self, record_type: str, record_id: object, detail: dict[str, Any]) -> None:
        """One audit event per export: what went out, for whom, in which shape."""
        with writing_session(self._sessions) as session:
            record_event(session, self._actor(), "export", record_type, record_id, detail)


def _row(response: ResponseRow, encounter: EncounterRow, patient: PatientRow) -> RegisterRow:
    return RegisterRow(
        response_id=response.id, patient_id=patient.id, cpr=patient.cpr, birth_date=patient.birth_date,
        sex=patient.sex, encounter_id=encounter.id, setting=encounter.setting, clinician=encounter.clinician,
        form_id=response.form_id, form_version=response.form_version, status=response.status,
        created_at=response.created_at, completed_at=response.completed_at, answers=dict(response.answers),
        results=dict(response.results) if response.results is not None else None, band=response.band,
        flags=list(response.flags or []), missing=list(response.missing or []),
    )  # fmt: skip
