"""The audit trail: who did what to which record, when — each event chained to the previous by hash.

An event's hash covers the previous event's hash, its time, actor, action, record type, record id and
details, so editing any of these, or deleting or inserting an event in the middle, breaks the chain at a
nameable event. What a chain alone cannot show is the newest events being cut off: ``verify`` reports the
head hash so it can be written down, and a later ``verify --anchor`` proves the chain still contains it.
Nor can it show an event appended with a valid hash by someone who knows the rule: with the clinic's audit
key (:mod:`smerteagent.storage.audit_key`) every event also carries a seal that only the key can make.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from smerteagent.core.errors import SmerteAgentError
from smerteagent.i18n import _
from smerteagent.storage.audit_key import KEY_CHECK_WINDOW, AuditKeyProblem, fingerprint, refuse_foreign_key, seal
from smerteagent.storage.database import reading_session, writing_session
from smerteagent.storage.models import AuditEventRow

GENESIS = "0" * 64
KEY_INFO = "audit_key"  # where a session finds the clinic's audit key (sessionmaker info), if one is kept
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
        "handover",
        "return",
        "pin_failed",
        "pin_unlocked",
        "switch_user",
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
    previous_hash: str = ""
    hash: str = ""
    seal: str | None = None


@dataclass(frozen=True)
class ChainBreak:
    """The first event where the chain does not hold, and why."""

    event_id: int
    at: datetime
    problem: str

    def __str__(self) -> str:
        return f"event {self.event_id} at {self.at.isoformat(sep=' ')}: {self.problem}"


@dataclass(frozen=True)
class ChainReport:
    """What ``verify`` found: how many events, the head (newest) event and hash, the first break if any."""

    count: int
    head_id: int | None
    head_hash: str
    first_break: ChainBreak | None
    anchor_found: bool | None = None
    sealed: int = 0  # events carrying a seal
    sealed_from: int | None = None  # the first sealed event: every later one must be sealed too
    key_checked: bool = False  # the seals were checked with the audit key (else only their presence)

    @property
    def intact(self) -> bool:
        return self.first_break is None and self.anchor_found is not False


EDITED = "its hash does not match its content: the event was edited"
BAD_SEAL = "its seal does not match the audit key: the event was appended or changed by someone without the key"
UNSEALED = "it has no seal although the events before it have: appended or rewritten without the audit key"
NO_SEALS = (
    "no event carries a seal although an audit key was given: the seals were removed, or the trail was never "
    "sealed with this key"
)
UNLINKED = (
    "it does not follow the event before it (previous hash differs): "
    "an event before it was deleted or inserted, or the one before was edited and re-hashed"
)


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
    *,
    at: datetime | None = None,
) -> AuditEventRow:
    """Append one event in the caller's transaction (which holds the write lock, so the chain stays linear);
    ``at`` is for a service with its own clock (the login back-off), else now."""
    assert action in ACTIONS, action
    if session.get_bind().dialect.name == "postgresql":
        session.connection().exec_driver_sql("LOCK TABLE audit_events IN SHARE ROW EXCLUSIVE MODE")
    latest = session.execute(select(AuditEventRow.hash, AuditEventRow.seal).order_by(AuditEventRow.id.desc()).limit(1))
    last = latest.first()
    previous = last.hash if last is not None else GENESIS
    audit_key: bytes | None = session.info.get(KEY_INFO)
    if audit_key is None and last is not None and last.seal is not None:
        raise AuditKeyProblem(
            _("the audit trail is sealed with the clinic's audit key and this workstation has none "
              "(--audit-key-file or SMERTEAGENT_AUDIT_KEY_FILE, see docs/security.md); nothing was saved")
        )  # fmt: skip
    at = at or datetime.now()
    record_key = None if record_id is None else str(record_id)
    detail = detail or {}
    digest = event_hash(previous, at, actor, action, (record_type, record_key), detail)
    row = AuditEventRow(
        at=at,
        actor=actor,
        action=action,
        record_type=record_type,
        record_id=record_key,
        detail=detail,
        previous_hash=previous,
        hash=digest,
        seal=None if audit_key is None else seal(audit_key, digest),
    )
    session.add(row)
    return row


def _event(row: AuditEventRow) -> AuditEvent:
    return AuditEvent(row.id, row.at, row.actor, row.action, row.record_type, row.record_id, row.detail,
                      row.previous_hash, row.hash, row.seal)  # fmt: skip


def check_key(session: Session, audit_key: bytes | None) -> None:
    """On opening: a wrong key file is said at once. The newest sealed events must include one this key made
    (not just the newest, which may be a forgery that ``audit verify`` is there to name)."""
    if audit_key is None:
        return
    recent = session.execute(
        select(AuditEventRow.hash, AuditEventRow.seal).order_by(AuditEventRow.id.desc()).limit(KEY_CHECK_WINDOW)
    ).all()
    refuse_foreign_key(audit_key, [(row.hash, row.seal) for row in recent])


def events_for(session: Session, record_type: str, record_id: object) -> list[AuditEvent]:
    rows = session.scalars(
        select(AuditEventRow)
        .where(AuditEventRow.record_type == record_type, AuditEventRow.record_id == str(record_id))
        .order_by(AuditEventRow.id)
    )
    return [_event(r) for r in rows]


def _seal_problem(event: AuditEvent, audit_key: bytes | None, sealing: bool) -> str | None:
    if event.seal is None:
        return UNSEALED if sealing else None
    if audit_key is not None and not hmac.compare_digest(event.seal, seal(audit_key, event.hash)):
        return BAD_SEAL
    return None


def check_chain(events: Iterable[AuditEvent], anchor: str | None = None, audit_key: bytes | None = None) -> ChainReport:
    """Walk the events oldest first; the first edited, deleted, inserted or (with the key) unsealed event
    stops the walk. Without the key a seal's presence is checked, not its value."""
    expected, count, head_id, anchor_found = GENESIS, 0, None, None if anchor is None else False
    sealed, sealed_from, last = 0, None, None
    for event in events:
        recomputed = event_hash(event.previous_hash, event.at, event.actor, event.action,
                                (event.record_type, event.record_id), event.detail)  # fmt: skip
        problem = EDITED if recomputed != event.hash else UNLINKED if event.previous_hash != expected else None
        problem = problem or _seal_problem(event, audit_key, sealed_from is not None)
        if problem is not None:
            return ChainReport(count, head_id, expected, ChainBreak(event.id, event.at, problem), anchor_found,
                               sealed, sealed_from, audit_key is not None)  # fmt: skip
        expected, head_id, count, last = event.hash, event.id, count + 1, event
        if event.seal is not None:
            sealed, sealed_from = sealed + 1, sealed_from or event.id
        if anchor is not None:
            anchor_found = anchor_found or event.hash == anchor.strip().lower()
    unsealed = ChainBreak(last.id, last.at, NO_SEALS) if audit_key is not None and last and not sealed else None
    return ChainReport(count, head_id, expected, unsealed, anchor_found, sealed, sealed_from, audit_key is not None)


class AuditService:
    """The audit trail for the faces: record an event of their own, verify the chain, export a period."""

    def __init__(self, sessions: sessionmaker[Session], actor: Callable[[], str]) -> None:
        self._sessions = sessions
        self._actor = actor
        self._key: bytes | None = sessions.kw.get("info", {}).get(KEY_INFO)

    @property
    def key_fingerprint(self) -> str | None:
        """Which audit key this workstation seals with (None: none), safe to show."""
        return None if self._key is None else fingerprint(self._key)

    def record(
        self, action: str, record_type: str, record_id: object = None, detail: dict[str, Any] | None = None
    ) -> int:
        """One event in its own transaction, for actions no other service performs (login, lock, a copied note);
        returns the event's id."""
        if action not in ACTIONS:
            raise SmerteAgentError(f"unknown audit action {action!r}; known: {', '.join(sorted(ACTIONS))}")
        with writing_session(self._sessions) as session:
            row = record_event(session, self._actor(), action, record_type, record_id, detail)
            session.flush()
            return row.id

    def verify(self, anchor: str | None = None) -> ChainReport:
        """Check the whole chain; with ``anchor`` (an earlier head hash) also that it is still in the chain."""
        with reading_session(self._sessions) as session:
            rows = session.scalars(select(AuditEventRow).order_by(AuditEventRow.id).execution_options(yield_per=2000))
            try:
                return check_chain((_event(row) for row in rows), anchor, self._key)
            finally:
                rows.close()  # the walk may stop early; PostgreSQL's server-side cursor must still close

    def sealed(self) -> bool:
        """Whether the trail is sealed already (its newest event carries a seal)."""
        with reading_session(self._sessions) as session:
            latest = select(AuditEventRow.seal).order_by(AuditEventRow.id.desc()).limit(1)
            return session.scalar(latest) is not None

    def events(self, start: datetime | None = None, end: datetime | None = None) -> list[AuditEvent]:
        """Events with ``start <= at < end``, oldest first."""
        with reading_session(self._sessions) as session:
            return [_event(row) for row in session.scalars(self._between(start, end))]

    def export(self, start: datetime | None, end: datetime | None, target: str) -> list[AuditEvent]:
        """The events of a period for someone outside the clinic; the export itself is audited."""
        with writing_session(self._sessions) as session:
            found = [_event(row) for row in session.scalars(self._between(start, end))]
            self._record_export(session, start, end, len(found), target)
        return found

    def events_between(self, start: datetime | None, end: datetime | None) -> list[AuditEvent]:
        """The events of a period, read only: for an export to a file, audited by :meth:`record_export` once
        the file is written (a file that cannot be written leaves no export event)."""
        with reading_session(self._sessions) as session:
            return [_event(row) for row in session.scalars(self._between(start, end))]

    def record_export(self, start: datetime | None, end: datetime | None, events: int, target: str) -> None:
        with writing_session(self._sessions) as session:
            self._record_export(session, start, end, events, target)

    def _record_export(self, session: Session, start: datetime | None, end: datetime | None, events: int,
                       target: str) -> None:  # fmt: skip
        period = {"from": start.isoformat() if start else None, "to": end.isoformat() if end else None}
        record_event(session, self._actor(), "export", "audit_trail", None,
                     {**period, "events": events, "to_file": target})  # fmt: skip

    @staticmethod
    def _between(start: datetime | None, end: datetime | None) -> Any:
        statement = select(AuditEventRow).order_by(AuditEventRow.id)
        if start is not None:
            statement = statement.where(AuditEventRow.at >= start)
        if end is not None:
            statement = statement.where(AuditEventRow.at < end)
        return statement
