"""The patient register: add, edit, find and delete patients; every change and view is audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Date, DateTime, Engine, Integer, String, Table, TextualSelect, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from smerteagent.core.cpr import format_cpr
from smerteagent.core.errors import ConflictError, SmerteAgentError
from smerteagent.core.patients import Patient, PatientInput, PatientSummary, ValidPatient, validate_patient
from smerteagent.core.text import fold
from smerteagent.i18n import N_, _
from smerteagent.storage.audit import record_event
from smerteagent.storage.database import reading, reading_session, writing_session
from smerteagent.storage.models import PatientRow
from smerteagent.storage.search import DEFAULT_LIMIT, RECENT_SQL, patient_search, row_count, search_key

_TYPES = {"id": Integer, "cpr": String, "given_name": String, "family_name": String, "birth_date": Date,
          "sex": String, "last_activity_at": DateTime}  # fmt: skip


def summary_statement(sql: str) -> TextualSelect:
    """A raw SELECT of search.COLUMNS, typed so that dates come back as dates on every database."""
    return text(sql).columns(**{name: kind() for name, kind in _TYPES.items()})


class NotFound(SmerteAgentError):
    def __init__(self, what: str, key: object) -> None:
        super().__init__(f"no {what} {key!r}")
        self.what = what
        self.key = key


class DuplicateCpr(SmerteAgentError):
    """A CPR number already registered: names the existing patient so the user can open them instead."""

    def __init__(self, existing: PatientSummary) -> None:
        super().__init__(
            _("CPR {cpr} is already registered for {name} (patient {id})").format(
                cpr=format_cpr(existing.cpr), name=existing.name, id=existing.id
            )
        )
        self.existing = existing


def summary_from_row(row: Any) -> PatientSummary:
    return PatientSummary(
        row.id, row.cpr, row.given_name, row.family_name, row.birth_date, row.sex, row.last_activity_at
    )


def patient_from_row(row: PatientRow) -> Patient:
    return Patient(
        id=row.id, cpr=row.cpr, given_name=row.given_name, family_name=row.family_name,
        birth_date=row.birth_date, sex=row.sex, last_activity_at=row.last_activity_at, no_cpr=row.no_cpr,
        contact=row.contact, note=row.note, created_at=row.created_at, updated_at=row.updated_at,
        version=row.version,
    )  # fmt: skip


def _apply(row: PatientRow, valid: ValidPatient) -> None:
    row.given_name, row.family_name, row.cpr = valid.given_name, valid.family_name, valid.cpr
    row.sex, row.birth_date, row.no_cpr = valid.sex, valid.birth_date, valid.no_cpr
    row.contact, row.note = valid.contact, valid.note
    row.search_text = search_key(valid.given_name, valid.family_name, valid.cpr)
    row.given_key, row.family_key = fold(valid.given_name), fold(valid.family_name)


class PatientService:
    """Patients for the UI and CLI; returns core dataclasses, never rows."""

    def __init__(self, sessions: sessionmaker[Session], actor: Callable[[], str]) -> None:
        self._sessions = sessions
        self._engine: Engine = sessions.kw["bind"]
        self._actor = actor

    def add(self, details: PatientInput) -> tuple[Patient, tuple[str, ...]]:
        """Validate and store a new patient; returns it with any warnings (e.g. modulus 11)."""
        valid = validate_patient(details)
        now = datetime.now()
        try:
            with writing_session(self._sessions) as session:
                self._refuse_duplicate(session, valid.cpr, None)
                row = PatientRow(created_at=now, updated_at=now, last_activity_at=now)
                _apply(row, valid)
                session.add(row)
                session.flush()
                record_event(session, self._actor(), "create", "patient", row.id)
                patient = patient_from_row(row)
        except IntegrityError:
            self._raise_duplicate(valid.cpr)
            raise
        return patient, valid.warnings

    def update(self, patient_id: int, details: PatientInput, expected_version: int) -> tuple[Patient, tuple[str, ...]]:
        """Save edits made to version ``expected_version``; a newer version on disk raises ConflictError."""
        valid = validate_patient(details)
        try:
            with writing_session(self._sessions) as session:
                row = self._row(session, patient_id)
                if row.version != expected_version:
                    raise ConflictError(N_("patient"), patient_id)
                self._refuse_duplicate(session, valid.cpr, patient_id)
                _apply(row, valid)
                row.updated_at = row.last_activity_at = datetime.now()
                session.flush()
                record_event(session, self._actor(), "update", "patient", patient_id)
                patient = patient_from_row(row)
        except StaleDataError:
            raise ConflictError(N_("patient"), patient_id) from None
        except IntegrityError:
            self._raise_duplicate(valid.cpr)
            raise
        return patient, valid.warnings

    def delete(self, patient_id: int, expected_version: int) -> None:
        try:
            with writing_session(self._sessions) as session:
                row = self._row(session, patient_id)
                if row.version != expected_version:
                    raise ConflictError(N_("patient"), patient_id)
                session.delete(row)
                record_event(session, self._actor(), "delete", "patient", patient_id)
        except StaleDataError:
            raise ConflictError(N_("patient"), patient_id) from None

    def get(self, patient_id: int, *, audit: bool = True) -> Patient:
        """One patient; opening a record is a 'view' in the audit trail."""
        with writing_session(self._sessions) as session:
            patient = patient_from_row(self._row(session, patient_id))
            if audit:
                record_event(session, self._actor(), "view", "patient", patient_id)
        return patient

    def find_by_cpr(self, cpr_digits: str) -> PatientSummary | None:
        with reading_session(self._sessions) as session:
            row = session.execute(select(PatientRow).where(PatientRow.cpr == cpr_digits)).scalar_one_or_none()
            return None if row is None else summary_from_row(row)

    def recent(self, limit: int = DEFAULT_LIMIT, offset: int = 0) -> list[PatientSummary]:
        """The patient list: most recent activity first."""
        limit, offset = row_count("limit", limit), row_count("offset", offset)
        sql = summary_statement(RECENT_SQL)
        with reading(self._engine) as connection:
            return [summary_from_row(r) for r in connection.execute(sql, {"limit": limit, "offset": offset})]

    def search(self, query: str, limit: int = DEFAULT_LIMIT) -> list[PatientSummary]:
        """Patients whose name or CPR contains every word of ``query``; empty query lists recent ones.
        A query with a NUL or other control character, or broken text, is refused naming the problem."""
        statement = patient_search(self._engine.dialect.name, query, limit)
        if statement is None:
            return self.recent(limit)
        with reading(self._engine) as connection:
            rows = connection.execute(summary_statement(statement.sql), statement.parameters)
            return [summary_from_row(r) for r in rows]

    def count(self) -> int:
        with reading_session(self._sessions) as session:
            return session.scalar(select(func.count()).select_from(PatientRow)) or 0

    def touch(self, session: Session, patient_id: int) -> None:
        """Mark activity (a screening, a plan) so the patient rises in the list."""
        session.execute(
            cast(Table, PatientRow.__table__)
            .update()
            .where(PatientRow.id == patient_id)
            .values(last_activity_at=datetime.now())
        )

    def _row(self, session: Session, patient_id: int) -> PatientRow:
        row = session.get(PatientRow, patient_id)
        if row is None:
            raise NotFound("patient", patient_id)
        return row

    def _refuse_duplicate(self, session: Session, cpr: str | None, own_id: int | None) -> None:
        if cpr is None:
            return
        row = session.execute(select(PatientRow).where(PatientRow.cpr == cpr)).scalar_one_or_none()
        if row is not None and row.id != own_id:
            raise DuplicateCpr(summary_from_row(row))

    def _raise_duplicate(self, cpr: str | None) -> None:
        existing = self.find_by_cpr(cpr) if cpr else None
        if existing is not None:
            raise DuplicateCpr(existing) from None
