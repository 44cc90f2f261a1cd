"""The audit trail: who did what to which record, when — each event chained to the previous by hash."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from smerteagent.storage.models import AuditEventRow

GENESIS = "0" * 64
ACTIONS = frozenset(
    {
        "create",
        "update",
        "delete",
        "view",
        "print",
        "export",
        "login",
        "lock",
        "answer",
        "complete",
        "restore",
    }
)


@dataclass(frozen=True)
class AuditEvent:
    id: int
    at: datetime
    actor: str
    action: str
    record_type: str
    record_id: str | None
    detail: dict[str, Any]


def event_hash(
    previous: str,
    at: datetime,
    actor: str,
    action: str,
    record: tuple[str, str | None],
    detail: dict[str, Any],
) -> str:
    payload = json.dumps([previous, at.isoformat(), actor, action, *record, detail], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record_event(
    session: Session,
    actor: str,
    action: str,
    record_type: str,
    record_id: object = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one event in the caller's transaction (which holds the write lock, so the chain stays linear)."""
    assert action in ACTIONS, action
    if session.get_bind().dialect.name == "postgresql":
        session.connection().exec_driver_sql("LOCK TABLE audit_events IN SHARE ROW EXCLUSIVE MODE")
    previous = session.scalar(select(AuditEventRow.hash).order_by(AuditEventRow.id.desc()).limit(1)) or GENESIS
    at = datetime.now()
    key = None if record_id is None else str(record_id)
    detail = detail or {}
    digest = event_hash(previous, at, actor, action, (record_type, key), detail)
    session.add(
        AuditEventRow(
            at=at,
            actor=actor,
            action=action,
            record_type=record_type,
            record_id=key,
            detail=detail,
            previous_hash=previous,
            hash=digest,
        )
    )


def events_for(session: Session, record_type: str, record_id: object) -> list[AuditEvent]:
    rows = session.scalars(
        select(AuditEventRow)
        .where(AuditEventRow.record_type == record_type, AuditEventRow.record_id == str(record_id))
        .order_by(AuditEventRow.id)
    )
    return [AuditEvent(r.id, r.at, r.actor, r.action, r.record_type, r.record_id, r.detail) for r in rows]
