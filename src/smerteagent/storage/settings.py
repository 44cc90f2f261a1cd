"""Clinic settings stored in the database, so every workstation shares them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from smerteagent.core.accounts import NotAllowed
from smerteagent.core.settings import Settings
from smerteagent.i18n import _
from smerteagent.storage.audit import record_event
from smerteagent.storage.database import reading_session, writing_session
from smerteagent.storage.models import SettingRow


class SettingsService:
    def __init__(self, sessions: sessionmaker[Session], actor: Callable[[], str],
                 may_change: Callable[[], bool] = lambda: True) -> None:  # fmt: skip
        self._sessions = sessions
        self._actor = actor
        self._may_change = may_change

    def load(self) -> Settings:
        with reading_session(self._sessions) as session:
            return Settings.from_stored({row.key: row.value for row in session.scalars(select(SettingRow))})

    def save(self, settings: Settings) -> None:
        """Store every setting that differs from what is stored, and audit what changed; in the app only an
        administrator may (the settings include the PIN that guards the patient's mode)."""
        if not self._may_change():
            raise NotAllowed(_("change the clinic's settings"))
        before = asdict(self.load())
        changed = {key: value for key, value in asdict(settings).items() if before.get(key) != value}
        if not changed:
            return
        with writing_session(self._sessions) as session:
            for key, value in changed.items():
                session.merge(SettingRow(key=key, value=value))
            record_event(session, self._actor(), "update", "settings", None, {"changed": sorted(changed)})
