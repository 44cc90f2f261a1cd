"""Opening the storage services: the one entry every face uses to reach a checked, migrated database,
and the plain types the faces hold while they work with it."""

from __future__ import annotations

from smerteagent.storage.accounts import AccountService
from smerteagent.storage.database import Database
from smerteagent.storage.patients import NotFound
from smerteagent.storage.screenings import AnswerConflict, OpenAlert, ResponseRecord
from smerteagent.storage.services import Services, open_services, prepare

__all__ = [
    "AccountService", "AnswerConflict", "Database", "NotFound", "OpenAlert", "ResponseRecord", "Services",
    "open_services", "prepare",
]  # fmt: skip
