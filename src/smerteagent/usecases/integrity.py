"""The full integrity check, run off the critical path: by ``db check`` and by the app after it starts.

The check reads every page and every index (SQLite's integrity_check); damage found stops every write
of this database at once (reads still work, so the clinician can finish reading and restore a backup)
and is recorded beside the file, so the next open refuses it cheaply. A sound database then gets its
daily backup, which checks again just before it copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from smerteagent.core.errors import StorageUnavailable
from smerteagent.storage import backup
from smerteagent.storage.database import Database


@dataclass(frozen=True)
class IntegrityReport:
    """What the check found (empty: sound), and the daily backup it took (or why none was taken)."""

    problems: list[str]
    backup: Path | None = None
    backup_problem: str | None = None


def check(database: Database, *, backup_when_due: bool = False) -> IntegrityReport:
    """Full check of the database; with ``backup_when_due`` the daily backup of a sound SQLite file."""
    problems = database.integrity_problems()
    path = database.sqlite_path
    if problems or not backup_when_due or path is None or not backup.daily_backup_due(path):
        return IntegrityReport(problems)
    try:
        taken = backup.backup(path, "daily", passphrase=database.passphrase)
    except StorageUnavailable as error:
        return IntegrityReport(problems, backup_problem=str(error))
    return IntegrityReport(problems, backup=taken)
