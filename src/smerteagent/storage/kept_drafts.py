"""Unsaved work kept private to one clinician: when another clinician switches user at the lock, the first
one's open care-plan changes are kept here (never listed for anyone else) and handed back, once, at their
next login. Keeping and handing back are audited in the same transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from smerteagent.core.careplan.plan import CarePlan
from smerteagent.core.careplan.snapshot import KeptPlan, SnapshotError, plan_from_json, plan_to_json
from smerteagent.storage.audit import record_event
from smerteagent.storage.database import reading_session, writing_session
from smerteagent.storage.models import KeptDraftRow, PatientRow, UserRow
from smerteagent.storage.patients import NotFound

CARE_PLAN = "care_plan"


class KeptDraftService:
    def __init__(self, sessions: sessionmaker[Session], actor: Callable[[], str]) -> None:
        self._sessions = sessions
        self._actor = actor

    def keep_plan(self, user_id: int, plan: CarePlan) -> int:
        """Keep ``plan`` (as shown in the editor, saved or not) for the clinician ``user_id``; its id."""
        with writing_session(self._sessions) as session:
            if session.get(PatientRow, plan.patient_id) is None:
                raise NotFound("patient", plan.patient_id)
            if session.get(UserRow, user_id) is None:
                raise NotFound("account", user_id)
            row = KeptDraftRow(user_id=user_id, patient_id=plan.patient_id, kind=CARE_PLAN,
                               payload=plan_to_json(plan), kept_at=datetime.now())  # fmt: skip
            session.add(row)
            session.flush()
            record_event(session, self._actor(), "create", "kept_draft", row.id,
                         {"patient": plan.patient_id, "kind": CARE_PLAN, "for_user": user_id})  # fmt: skip
            return row.id

    def kept_plans(self, user_id: int) -> list[KeptPlan]:
        """The care plans kept for ``user_id`` only, oldest first (one that no longer reads back is skipped
        and left in place: never shown half)."""
        statement = (
            select(KeptDraftRow)
            .where(KeptDraftRow.user_id == user_id, KeptDraftRow.kind == CARE_PLAN)
            .order_by(KeptDraftRow.kept_at, KeptDraftRow.id)
        )
        kept = []
        with reading_session(self._sessions) as session:
            for row in session.scalars(statement):
                try:
                    kept.append(KeptPlan(row.id, row.user_id, plan_from_json(row.payload), row.kept_at))
                except SnapshotError:
                    continue
        return kept

    def take(self, kept_id: int, user_id: int) -> None:
        """The kept work is back in its clinician's editor: removed, audited. Only its owner takes it."""
        with writing_session(self._sessions) as session:
            row = session.get(KeptDraftRow, kept_id)
            if row is None or row.user_id != user_id:
                raise NotFound("kept_draft", kept_id)
            record_event(session, self._actor(), "delete", "kept_draft", row.id,
                         {"patient": row.patient_id, "kind": row.kind, "taken_back": True})  # fmt: skip
            session.delete(row)
