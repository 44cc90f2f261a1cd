"""Acknowledged medication warnings: who went on despite which warning, and why (audited)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from smerteagent.core.careplan.medication import Acknowledgement, MedicationWarning
from smerteagent.storage.audit import record_event
from smerteagent.storage.database import reading_session, writing_session
from smerteagent.storage.models import MedicationAcknowledgementRow, PatientRow
from smerteagent.storage.patients import NotFound


class MedicationAckService:
    def __init__(self, sessions: sessionmaker[Session], actor: Callable[[], str]) -> None:
        self._sessions = sessions
        self._actor = actor

    def acknowledge(self, patient_id: int, warning: MedicationWarning, reason: str) -> Acknowledgement:
        """Store the acknowledgement and its audit event in one transaction; ``reason`` is already checked."""
        at, actor = datetime.now(), self._actor()
        with writing_session(self._sessions) as session:
            if session.get(PatientRow, patient_id) is None:
                raise NotFound("patient", patient_id)
            row = MedicationAcknowledgementRow(patient_id=patient_id, warning_key=warning.key,
                                               warning_id=warning.kind, drugs=list(warning.drugs), reason=reason,
                                               actor=actor, at=at)  # fmt: skip
            session.add(row)
            session.flush()
            record_event(session, actor, "update", "patient", patient_id,
                         {"medication_warning_acknowledged": warning.kind, "drugs": list(warning.drugs),
                          "reason": reason})  # fmt: skip
        return Acknowledgement(warning.key, warning.kind, warning.drugs, reason, actor, at)

    def for_patient(self, patient_id: int) -> dict[str, Acknowledgement]:
        """The latest acknowledgement of each warning (by its key) for a patient."""
        statement = (
            select(MedicationAcknowledgementRow)
            .where(MedicationAcknowledgementRow.patient_id == patient_id)
            .order_by(MedicationAcknowledgementRow.at, MedicationAcknowledgementRow.id)
        )
        with reading_session(self._sessions) as session:
            return {r.warning_key: Acknowledgement(r.warning_key, r.warning_id, tuple(r.drugs), r.reason, r.actor,
                                                   r.at) for r in session.scalars(statement)}  # fmt: skip
