"""Backups of the SQLite file with SQLite's online backup API: consistent even while the app writes.

Backups rotate (the newest ``KEEP`` are kept), are taken before every migration and once a day, and a
restore first backs up the file it replaces, so a restore can itself be undone.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from smerteagent.core.errors import StorageUnavailable
from smerteagent.storage.database import storage_errors

KEEP = 14
DAILY = timedelta(hours=24)


def backups_dir(database_file: Path) -> Path:
    return database_file.parent / "backups"


def list_backups(database_file: Path) -> list[Path]:
    """Backups of this database, newest first."""
    folder = backups_dir(database_file)
    if not folder.is_dir():
        return []
    pattern = re.compile(rf"^{re.escape(database_file.stem)}-\d{{8}}-\d{{6}}-\d{{6}}-[a-z0-9.-]+\.sqlite$")
    found = [p for p in folder.iterdir() if pattern.match(p.name)]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def _copy(source: Path, target: Path) -> None:
    with storage_errors():
        source_connection = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        target_connection = sqlite3.connect(target)
        try:
            with target_connection:
                source_connection.backup(target_connection, pages=256)  # bounded memory on large files
        finally:
            source_connection.close()
            target_connection.close()


def backup(database_file: Path, reason: str, target: Path | None = None) -> Path:
    """Copy the live database to ``target`` (default: a new file in the backups folder) and rotate."""
    if target is None:
        folder = backups_dir(database_file)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = folder / f"{database_file.stem}-{stamp}-{reason}.sqlite"
    _copy(database_file, target)
    for old in list_backups(database_file)[KEEP:]:
        old.unlink(missing_ok=True)
    return target


def daily_backup_due(database_file: Path) -> bool:
    newest = next(iter(list_backups(database_file)), None)
    return newest is None or datetime.now() - datetime.fromtimestamp(newest.stat().st_mtime) > DAILY


def check_file(path: Path) -> list[str]:
    """quick_check of any SQLite file, opened read-only; a non-database gives one problem line."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = connection.execute("PRAGMA quick_check").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        return [str(error)]
    problems = [str(row[0]) for row in rows]
    return [] if problems == ["ok"] else problems


def restore(database_file: Path, source: Path) -> Path | None:
    """Replace the database with a checked backup; returns the safety copy of what was replaced."""
    problems = check_file(source)
    if problems:
        raise StorageUnavailable("corrupt", f"the backup {source} is damaged too: {problems[0]}")
    safety = None
    if database_file.exists() and not check_file(database_file):
        safety = backup(database_file, "before-restore")
    elif database_file.exists():
        safety = database_file.with_name(f"{database_file.name}.damaged-{datetime.now():%Y%m%d-%H%M%S}")
        database_file.rename(safety)
        for suffix in ("-wal", "-shm"):  # kept beside the damaged copy: the WAL may hold the latest answers
            journal = Path(f"{database_file}{suffix}")
            if journal.exists():
                journal.rename(Path(f"{safety}{suffix}"))
    _copy(source, database_file)
    return safety
