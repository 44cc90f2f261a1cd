"""Clinician accounts: Argon2id password hashes (argon2-cffi), the first account is the administrator,
and only an administrator manages accounts. Logins, failed logins and locks go into the audit trail.

The service also holds who is logged in (:class:`Identity`): every audit event names that clinician.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from smerteagent.core.accounts import (
    ADMINISTRATOR,
    ROLES,
    Account,
    AccountError,
    LoginFailed,
    LoginThrottled,
    NotAllowed,
    backoff_seconds,
    password_problem,
    username_problem,
)
from smerteagent.i18n import _
from smerteagent.storage.audit import record_event
from smerteagent.storage.database import reading_session, writing_session
from smerteagent.storage.models import AuditEventRow, UserRow

FAILURE_WINDOW = 64  # failed logins counted back at most (the wait is capped long before)


@cache
def hasher() -> Any:
    """Argon2id, RFC 9106 low-memory profile defaults (64 MiB, t=3, p=4); imported on first use, not at start."""
    from argon2 import PasswordHasher

    return PasswordHasher()


class Identity:
    """Who acts: the logged-in account, or before any login the operating-system user (CLI, tests)."""

    def __init__(self, fallback: str) -> None:
        self.fallback = fallback
        self.account: Account | None = None

    def actor(self) -> str:
        return self.account.username if self.account else self.fallback

    def may_administer(self) -> bool:
        """A logged-in clinician needs the administrator role; without a login (the command line, run by
        someone with access to the database file itself) the operating-system user may."""
        return self.account is None or self.account.is_administrator


def _by_name(session: Session, username: str) -> UserRow | None:
    """User names compare case-insensitively in Python (SQLite's lower() knows only ASCII: 'Åse' = 'åse')."""
    wanted = username.strip().casefold()
    return next((row for row in session.scalars(select(UserRow)) if row.username.casefold() == wanted), None)


def _account(row: UserRow) -> Account:
    return Account(row.id, row.username, row.display_name, row.role, row.active)


class AccountService:
    def __init__(
        self, sessions: sessionmaker[Session], identity: Identity, clock: Callable[[], datetime] = datetime.now
    ) -> None:
        self._sessions = sessions
        self.identity = identity
        self._clock = clock
        self._unknown: dict[str, tuple[int, datetime]] = {}  # failures per typed name that is no account

    def count(self) -> int:
        """Active accounts; with none, the app asks for the first administrator at start."""
        with reading_session(self._sessions) as session:
            return session.scalar(select(func.count()).select_from(UserRow).where(UserRow.active)) or 0

    def list(self) -> list[Account]:
        with reading_session(self._sessions) as session:
            return [_account(row) for row in session.scalars(select(UserRow).order_by(UserRow.username))]

    def _require_administrator(self, what: str) -> None:
        if not self.identity.may_administer():
            raise NotAllowed(what)

    def create(self, username: str, display_name: str, password: str, role: str) -> Account:
        """The first account is always an administrator and needs no login; later ones need an administrator."""
        username = username.strip()
        problem = username_problem(username) or password_problem(password, username)
        if problem:
            raise AccountError(problem)
        if role not in ROLES:
            raise AccountError(_("Unknown role {role}").format(role=role))
        with writing_session(self._sessions) as session:
            first = not session.scalar(select(func.count()).select_from(UserRow))
            if not first:
                self._require_administrator(_("create accounts"))
            if _by_name(session, username) is not None:
                raise AccountError(_("The user name {name} is taken").format(name=username))
            row = UserRow(username=username, display_name=display_name.strip() or username,
                          role=ADMINISTRATOR if first else role, password_hash=hasher().hash(password), active=True,
                          created_at=datetime.now())  # fmt: skip
            session.add(row)
            session.flush()
            actor = username if first else self.identity.actor()
            record_event(session, actor, "create", "account", row.id, {"username": username, "role": row.role})
            return _account(row)

    def log_in(self, username: str, password: str) -> Account:
        """Check the password (Argon2id); a wrong one and an unknown user look the same from outside, and
        both are recorded in the audit trail. After a few failures in a row the next try must wait, twice as
        long after each further failure (:func:`backoff_seconds`); a refused early try is audited too."""
        with reading_session(self._sessions) as session:
            row = _by_name(session, username)
            found = _account(row) if row is not None and row.active and row.password_hash else None
            stored = row.password_hash if found and row is not None else None
            streak = self._failures(session, row) if row is not None else self._unknown.get(username.strip().casefold())
        who, record_id = (row.username, row.id) if row is not None else ("?", None)
        wait = self._wait(streak)
        if wait > 0:
            with writing_session(self._sessions) as session:
                record_event(session, who, "login", "account", record_id, {"ok": False, "throttled": True},
                             at=self._clock())  # fmt: skip
            raise LoginThrottled(wait)
        valid = False
        if stored is not None:
            from argon2.exceptions import InvalidHashError, VerificationError

            try:
                valid = hasher().verify(stored, password)
            except (VerificationError, InvalidHashError):
                valid = False
        else:
            hasher().hash(password)  # the same time spent whether or not the user exists
        with writing_session(self._sessions) as session:
            if not valid or found is None:
                # A name that is no account may be a password typed in the wrong field: never record it.
                record_event(session, who, "login", "account", record_id, {"ok": False}, at=self._clock())
            else:
                if stored is not None and hasher().check_needs_rehash(stored):
                    self._row(session, found.id).password_hash = hasher().hash(password)
                record_event(session, found.username, "login", "account", found.id, {"ok": True}, at=self._clock())
        if not valid or found is None:
            if row is None:  # no account to count against in the audit trail: counted in this process
                count = streak[0] if streak else 0
                self._unknown[username.strip().casefold()] = (count + 1, self._clock())
            raise LoginFailed()
        self.identity.account = found
        return found

    @staticmethod
    def _failures(session: Session, row: UserRow) -> tuple[int, datetime] | None:
        """Failed logins in a row for an account (from the audit trail, so every workstation and a restart
        see them) and the time of the last one; tries refused while waiting do not count."""
        events = session.scalars(
            select(AuditEventRow)
            .where(AuditEventRow.action == "login", AuditEventRow.record_type == "account",
                   AuditEventRow.record_id == str(row.id))
            .order_by(AuditEventRow.id.desc())
            .limit(FAILURE_WINDOW)
        )  # fmt: skip
        count, last = 0, None
        for event in events:
            if event.detail.get("ok"):
                break
            if not event.detail.get("throttled"):
                count, last = count + 1, last or event.at
        return (count, last) if last is not None else None

    def _wait(self, streak: tuple[int, datetime] | None) -> int:
        """Whole seconds still to wait before the next try (0: go ahead)."""
        if streak is None:
            return 0
        count, last = streak
        backoff = backoff_seconds(count)
        elapsed = max(0.0, (self._clock() - last).total_seconds())  # another workstation's clock may run ahead
        return max(0, math.ceil(backoff - elapsed))

    def lock(self, reason: str = "inactivity") -> None:
        """The screen was locked: recorded, and nobody acts until the next login."""
        account = self.identity.account
        if account is None:
            return
        self.identity.account = None  # first: nobody acts as the clinician even if the event cannot be written
        with writing_session(self._sessions) as session:
            record_event(session, account.username, "lock", "account", account.id, {"reason": reason})

    def set_password(self, account_id: int, password: str) -> None:
        """Administrators set anyone's password; every user may change their own."""
        own = self.identity.account is not None and self.identity.account.id == account_id
        if not own:
            self._require_administrator(_("set another user's password"))
        with writing_session(self._sessions) as session:
            row = self._row(session, account_id)
            problem = password_problem(password, row.username)
            if problem:
                raise AccountError(problem)
            row.password_hash = hasher().hash(password)
            record_event(session, self.identity.actor(), "update", "account", account_id, {"password": "changed"})

    def update(self, account_id: int, *, role: str | None = None, active: bool | None = None) -> Account:
        """Change a role or (de)activate an account; there is always one active administrator left."""
        self._require_administrator(_("manage accounts"))
        with writing_session(self._sessions) as session:
            row = self._row(session, account_id)
            if role is not None:
                if role not in ROLES:
                    raise AccountError(_("Unknown role {role}").format(role=role))
                row.role = role
            if active is not None:
                row.active = active
            session.flush()
            administrators = session.scalar(select(func.count()).select_from(UserRow)
                                            .where(UserRow.active, UserRow.role == ADMINISTRATOR))  # fmt: skip
            if not administrators:
                raise AccountError(_("At least one active administrator must remain"))
            record_event(session, self.identity.actor(), "update", "account", account_id,
                         {"role": row.role, "active": row.active})  # fmt: skip
            changed = _account(row)
        if self.identity.account is not None and self.identity.account.id == account_id:
            self.identity.account = changed if changed.active else None  # one's own change applies at once
        return changed

    def _row(self, session: Session, account_id: int) -> UserRow:
        row = session.get(UserRow, account_id)
        if row is None:
            raise AccountError(_("No account {id}").format(id=account_id))
        return row
