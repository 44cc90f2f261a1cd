"""The app's first screen without SQLAlchemy: the patient list and its search, read with ``sqlite3`` (or
``sqlcipher3``, the same interface, for an encrypted file).

Importing SQLAlchemy's ORM and mapping our tables costs about as much as starting Qt and showing a window
(benchmarks/startup.py), so the app opens a SQLite file through this reader first and builds the
services (:func:`smerteagent.storage.services.open_services`) behind it.

The reader is made only when every cheap check that opening a database runs has passed on the file as it
is: no copy left by a killed conversion, not empty, a sound header and size, no damage found by the last
full integrity check, the passphrase of an encrypted file (when it is known already: else the app asks it
first), the schema this program knows (no migration due), and the clinic's audit key (if one is kept) fits
the audit trail. Otherwise, and for a server database (PostgreSQL), it is None and the app waits for the
services, whose opening refuses the file with its usual message (or opens it). The reader opens
the file read-only and writes nothing (no audit event: listing and searching are not audited; opening a
patient goes through the services and is). Search and the recent list run the very statements the patient
service runs (:mod:`smerteagent.storage.search`).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from smerteagent.core.patients import PatientSummary
from smerteagent.core.settings import Settings
from smerteagent.storage import encryption, integrity
from smerteagent.storage.audit_key import KEY_CHECK_WINDOW, load_key, refuse_foreign_key
from smerteagent.storage.preview import sqlite_file
from smerteagent.storage.revisions import HEAD
from smerteagent.storage.search import DEFAULT_LIMIT, RECENT_SQL, patient_search, row_count

LEFTOVER_SUFFIX = ".converting"  # storage.conversion.working_file: a conversion's copy beside the database
BUSY_TIMEOUT_S = 5.0  # as the services' busy_timeout: a bounded wait on a locked file
ENCRYPTED_CACHE_KIB = 32 * 1024  # as the services' encrypted connections: search as fast as on a plain file


class ListReader:
    """Recent patients and search over one checked, plain SQLite file, read-only; one caller at a time
    (the GUI thread), whichever thread opened it."""

    def __init__(self, path: Path, connection: Any) -> None:  # sqlite3's, or sqlcipher3's for an encrypted file
        self.path = path
        self._connection = connection
        self._lock = threading.Lock()

    def recent(self, limit: int = DEFAULT_LIMIT, offset: int = 0) -> list[PatientSummary]:
        """Most recent activity first (as PatientService.recent)."""
        limit, offset = row_count("limit", limit), row_count("offset", offset)
        return self._summaries(RECENT_SQL, {"limit": limit, "offset": offset})

    def search(self, query: str, limit: int = DEFAULT_LIMIT) -> list[PatientSummary]:
        """Patients whose name or CPR contains every word of ``query`` (as PatientService.search)."""
        statement = patient_search("sqlite", query, limit)
        if statement is None:
            return self.recent(limit)
        return self._summaries(statement.sql, statement.parameters)

    def settings(self) -> Settings:
        """The clinic's settings as SettingsService.load reads them."""
        with self._lock:
            rows = self._connection.execute("SELECT key, value FROM settings").fetchall()
        return Settings.from_stored({key: None if value is None else json.loads(value) for key, value in rows})

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def _summaries(self, sql: str, parameters: dict[str, object]) -> list[PatientSummary]:
        with self._lock:
            rows = self._connection.execute(sql, parameters).fetchall()
        return [
            PatientSummary(pid, cpr, given, family, date.fromisoformat(born) if born else None, sex,
                           datetime.fromisoformat(active))
            for pid, cpr, given, family, born, sex, active in rows
        ]  # fmt: skip


def open_list_reader(url: str, passphrase: str | None = None, audit_key_file: Path | None = None) -> ListReader | None:
    """A reader over the SQLite file of ``url`` once the cheap checks pass; None whenever the services must
    decide (a server, a new or empty file, damage, a lock, an older schema, an encrypted file whose passphrase
    is not known or wrong, a wrong audit key...)."""
    path = sqlite_file(url)
    if path is None or not path.is_file() or Path(f"{path}{LEFTOVER_SUFFIX}").exists():
        return None
    connection: Any = None
    try:
        if path.stat().st_size == 0 or integrity.header_problem(path) is not None:
            return None
        if integrity.last_damage(path) is not None:
            return None
        audit_key = load_key(audit_key_file)
        if encryption.is_encrypted(path):
            chosen = encryption.resolve_passphrase(passphrase)
            if chosen is None:
                return None
            connection = encryption.connect(path, chosen, read_only=True, timeout=BUSY_TIMEOUT_S,
                                            check_same_thread=False)  # fmt: skip
            connection.execute(f"PRAGMA cache_size = -{ENCRYPTED_CACHE_KIB}")
        else:
            connection = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S,
                                         check_same_thread=False)  # fmt: skip
        if connection.execute("SELECT version_num FROM alembic_version").fetchall() != [(HEAD,)]:
            connection.close()
            return None
        if audit_key is not None:
            newest = connection.execute(
                "SELECT hash, seal FROM audit_events ORDER BY id DESC LIMIT ?", (KEY_CHECK_WINDOW,)
            ).fetchall()
            refuse_foreign_key(audit_key, newest)
        reader = ListReader(path, connection)
        reader.settings()  # read once here, so a settings table it cannot read sends the app the long way
        return reader
    except Exception:  # any doubt at all: the services open the file and say what is wrong (or open it)
        if connection is not None:
            connection.close()
        return None
