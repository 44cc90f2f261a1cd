"""Backups of the SQLite file with SQLite's online backup API: consistent even while the app writes.

Backups rotate (the newest ``KEEP`` are kept), are taken before every migration and once a day, and a
restore first backs up the file it replaces, so a restore can itself be undone. A backup has the form of
its source: the backup of an encrypted database is encrypted with the same passphrase (SQLCipher's backup
between two connections keyed alike), and a restore gives back the backup's form.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from smerteagent.core.errors import StorageUnavailable
from smerteagent.storage.database import driver_errors, private_file, storage_errors
from smerteagent.storage.encryption import connect_any, file_key, is_encrypted, key_statements, resolve_passphrase

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


def _copy(source: Path, target: Path, passphrase: str | None = None) -> None:
    """Online backup of ``source`` into ``target``; an encrypted source gives a target keyed alike."""
    with storage_errors():
        source_connection = connect_any(source, passphrase, read_only=True)
        try:
            private_file(target)  # a backup holds the same patient data: owner-only, like the database
            target_connection = _target(target, _source_key(source, passphrase))
        except BaseException:
            source_connection.close()
            raise
        try:
            with target_connection:
                source_connection.backup(target_connection, pages=256)  # bounded memory on large files
        finally:
            source_connection.close()
            target_connection.close()


def _source_key(source: Path, passphrase: str | None) -> str | None:
    """The raw key (with its salt) of an encrypted source: the backup gets the same, so the same
    passphrase opens it, without deriving a key for a new salt."""
    chosen = resolve_passphrase(passphrase)
    return file_key(source, chosen) if chosen is not None and is_encrypted(source) else None


def _target(target: Path, key: str | None) -> Any:
    """The connection a backup is written through: keyed when the source is encrypted."""
    if key is None:
        import sqlite3

        return sqlite3.connect(target)
    import sqlcipher3

    connection = sqlcipher3.connect(str(target))
    for statement in key_statements(key):
        connection.execute(statement)
    return connection


def backup(database_file: Path, reason: str, target: Path | None = None, *, passphrase: str | None = None) -> Path:
    """Copy the live database to ``target`` (default: a new file in the backups folder) and rotate."""
    if target is None:
        folder = backups_dir(database_file)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = folder / f"{database_file.stem}-{stamp}-{reason}.sqlite"
    _copy(database_file, target, passphrase)
    for old in list_backups(database_file)[KEEP:]:
        old.unlink(missing_ok=True)
    return target


def daily_backup_due(database_file: Path) -> bool:
    newest = next(iter(list_backups(database_file)), None)
    return newest is None or datetime.now() - datetime.fromtimestamp(newest.stat().st_mtime) > DAILY


def check_file(path: Path, passphrase: str | None = None) -> list[str]:
    """quick_check of any SQLite file, opened read-only; a non-database gives one problem line.

    An encrypted file without a passphrase, or with a wrong one, raises StorageUnavailable: it may be
    perfectly healthy.
    """
    try:
        connection = connect_any(path, passphrase, read_only=True)
        try:
            rows = connection.execute("PRAGMA quick_check").fetchall()
        finally:
            connection.close()
    except driver_errors() as error:
        return [str(error)]
    problems = [str(row[0]) for row in rows]
    return [] if problems == ["ok"] else problems


def _healthy(database_file: Path, passphrase: str | None) -> bool:
    """Whether the file a restore replaces is a sound database (then it is backed up first); one that
    does not open at all — garbage, or keyed otherwise — is moved aside whole instead."""
    try:
        return not check_file(database_file, passphrase)
    except StorageUnavailable as error:
        if error.reason in ("wrong_passphrase", "passphrase_needed"):
            return False
        raise


def restore(database_file: Path, source: Path, *, passphrase: str | None = None) -> Path | None:
    """Replace the database with a checked backup; returns the safety copy of what was replaced."""
    problems = check_file(source, passphrase)
    if problems:
        raise StorageUnavailable("corrupt", f"the backup {source} is damaged too: {problems[0]}")
    safety = None
    if database_file.exists() and _healthy(database_file, passphrase):
        safety = backup(database_file, "before-restore", passphrase=passphrase)
        if is_encrypted(database_file) != is_encrypted(source):  # the backup API cannot change the form
            for suffix in ("", "-wal", "-shm"):
                Path(f"{database_file}{suffix}").unlink(missing_ok=True)
    elif database_file.exists():
        safety = database_file.with_name(f"{database_file.name}.damaged-{datetime.now():%Y%m%d-%H%M%S}")
        database_file.rename(safety)
        for suffix in ("-wal", "-shm"):  # kept beside the damaged copy: the WAL may hold the latest answers
            journal = Path(f"{database_file}{suffix}")
            if journal.exists():
                journal.rename(Path(f"{safety}{suffix}"))
    _copy(source, database_file, passphrase)
    return safety
