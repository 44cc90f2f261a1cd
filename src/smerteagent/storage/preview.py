"""A first look at the patient list straight from the SQLite file, with the standard library only.

SQLAlchemy and the forms take a few hundred milliseconds to load; this read lets the window show the
most recent patients before they have. It opens the file read-only, only when its schema is the one this
program knows, and changes nothing; the full checks (integrity, backup, migration) follow as usual.
An encrypted file is previewed only when its passphrase is already known (else None at once: the app
asks for it first).
"""

from __future__ import annotations

import json
import sqlite3
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from smerteagent.core.errors import StorageUnavailable
from smerteagent.core.patients import PatientSummary
from smerteagent.storage import encryption
from smerteagent.storage.revisions import HEAD

PREVIEW_SQL = (
    "SELECT id, cpr, given_name, family_name, birth_date, sex, last_activity_at FROM patients "
    "ORDER BY last_activity_at DESC, id DESC LIMIT ?"
)


def sqlite_file(url: str) -> Path | None:
    """The file of a plain SQLite URL or path; None for anything else (PostgreSQL, URI options)."""
    if url.startswith("sqlite:///") and "?" not in url:
        return Path(url.removeprefix("sqlite:///"))
    if "://" not in url:
        return Path(url).expanduser()
    return None


def _open(path: Path, passphrase: str | None) -> Any:
    """A read-only connection; None for an encrypted file whose passphrase is not known yet."""
    if not encryption.is_encrypted(path):
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    chosen = encryption.resolve_passphrase(passphrase)
    return None if chosen is None else encryption.connect(path, chosen, read_only=True)


def _errors() -> tuple[type[Exception], ...]:
    cipher = sys.modules.get("sqlcipher3")
    found: tuple[type[Exception], ...] = (sqlite3.Error, StorageUnavailable, ValueError, TypeError)
    return (*found, cipher.Error) if cipher is not None else found


def recent_patients(
    url: str, limit: int = 50, passphrase: str | None = None
) -> tuple[list[PatientSummary], bool] | None:
    """(most recent patients, mask CPR?) — or None when a preview is not possible or not safe."""
    path = sqlite_file(url)
    if path is None or not path.is_file():
        return None
    try:
        connection = _open(path, passphrase)
        if connection is None:
            return None
        try:
            if connection.execute("SELECT version_num FROM alembic_version").fetchone() != (HEAD,):
                return None
            rows = connection.execute(PREVIEW_SQL, (limit,)).fetchall()
            masked = connection.execute("SELECT value FROM settings WHERE key = 'mask_cpr_in_lists'").fetchone()
        finally:
            connection.close()
        patients = [
            PatientSummary(pid, cpr, given, family, date.fromisoformat(born) if born else None, sex,
                           datetime.fromisoformat(active))
            for pid, cpr, given, family, born, sex, active in rows
        ]  # fmt: skip
    except _errors():
        return None
    return patients, bool(masked and json.loads(masked[0]) is True)
