"""Backups of the SQLite file with SQLite's online backup API: consistent even while the app writes.

Backups rotate (the newest ``KEEP`` are kept), are taken before every migration and once a day, and a
restore first backs up the file it replaces, so a restore can itself be undone. A backup has the form of
its source: the backup of an encrypted database is encrypted with the same passphrase (SQLCipher's backup
between two connections keyed alike), and a restore gives back the backup's form.
"""

from __future__ import annotations

import errno
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from smerteagent.core.errors import StorageUnavailable
from smerteagent.storage import integrity
from smerteagent.storage.database import driver_errors, private_file, storage_errors
from smerteagent.storage.encryption import connect_any, file_key, is_encrypted, key_statements, resolve_passphrase

KEEP = 14
DAILY = timedelta(hours=24)
WAIT = 5.0  # seconds a backup waits for another program's lock, like every other storage operation
PARTIAL = ".partial"
STALE_PARTIAL = 3600
SQLITE_BUSY, SQLITE_LOCKED = 5, 6


def backups_dir(database_file: Path) -> Path:
    return database_file.parent / "backups"


def list_backups(database_file: Path) -> list[Path]:
    """Backups of this database that were completed, newest first."""
    folder = backups_dir(database_file)
    if not folder.is_dir():
        return []
    pattern = re.compile(rf"^{re.escape(database_file.stem)}-\d{{8}}-\d{{6}}-\d{{6}}-[a-z0-9.-]+\.sqlite$")
    found = [p for p in folder.iterdir() if pattern.match(p.name) and _complete(p)]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def _complete(path: Path) -> bool:
    """Not a copy cut short (by an older version, which wrote under the final name): empty, or with
    the rollback journal of its unfinished write beside it."""
    try:
        return path.stat().st_size > 0 and not Path(f"{path}-journal").exists()
    except OSError:
        return False


class _Stalled(Exception):
    """No page was copied for ``WAIT`` seconds: another program holds the file."""


def _bounded(wait: float) -> Callable[[int, int, int], None]:
    """A progress callback that gives up when the copy waits for a lock longer than ``wait`` seconds."""
    started = time.monotonic()

    def progress(status: int, _remaining: int, _total: int) -> None:
        if status in (SQLITE_BUSY, SQLITE_LOCKED) and time.monotonic() - started > wait:
            raise _Stalled

    return progress


def _copy(source: Path, target: Path, passphrase: str | None = None, *, check_source: bool = False) -> None:
    """Online backup of ``source`` into ``target`` in one step (one consistent snapshot: a step-wise copy
    restarts whenever the source looks changed, which a read-only WAL index makes happen on every step —
    a copy that never ends); an encrypted source gives a target keyed alike. ``check_source`` runs the
    full integrity check first: a damaged database is never copied into a backup."""
    with storage_errors(), _file_errors(target):
        source_connection = connect_any(source, passphrase, read_only=True)
        try:
            if check_source:
                _refuse_damaged(source, source_connection)
            private_file(target)  # a backup holds the same patient data: owner-only, like the database
            target_connection = _target(target, _source_key(source, passphrase))
        except BaseException:
            source_connection.close()
            raise
        try:
            with target_connection:
                source_connection.backup(target_connection, pages=-1, progress=_bounded(WAIT), sleep=0.05)
                if check_source:  # a backup is one file: opening it later leaves no -wal/-shm beside it
                    target_connection.execute("PRAGMA journal_mode = DELETE")
        except _Stalled:
            raise StorageUnavailable("locked", f"{source}: the backup waited {WAIT:.0f} s for it") from None
        finally:
            source_connection.close()
            target_connection.close()


def _refuse_damaged(source: Path, connection: Any) -> None:
    problems = integrity.full_check(connection)
    integrity.record(source, problems)
    if problems:
        raise StorageUnavailable("corrupt", f"{source}: {problems[0]}; no backup was made, the old ones are kept")


@contextmanager
def _file_errors(target: Path) -> Iterator[None]:
    """A folder or file the backup cannot write, or a full disk: one line naming it."""
    try:
        yield
    except PermissionError as error:
        raise StorageUnavailable("read_only_folder", f"{Path(error.filename or target).parent}") from None
    except OSError as error:
        if error.errno == errno.ENOSPC:
            raise StorageUnavailable("disk_full", str(target.parent)) from None
        raise StorageUnavailable("backup_failed", f"{target}: {error.strerror or error}") from None


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
    """Check the live database, copy it to ``target`` (default: a new file in the backups folder), verify
    the copy, and only then let it count and rotate: a damaged database or a bad copy leaves the old
    backups alone, and a copy cut short by a killed process keeps its ``.partial`` name, never listed."""
    if target is None:
        folder = backups_dir(database_file)
        with _file_errors(folder / "x"):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = folder / f"{database_file.stem}-{stamp}-{reason}.sqlite"
    partial = target.with_name(target.name + PARTIAL)
    _remove_stale_partials(target.parent)
    try:
        _copy(database_file, partial, passphrase, check_source=True)
        _verify(partial, passphrase)
        with _file_errors(target):
            os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    for old in list_backups(database_file)[KEEP:]:
        if old != target:
            old.unlink(missing_ok=True)
    return target


def _verify(copy: Path, passphrase: str | None) -> None:
    """The copy opens and SQLite finds every page of it sound (its content was checked in the source)."""
    problems = check_file(copy, passphrase, full=False)
    if problems:
        raise StorageUnavailable("backup_failed", f"the copy {copy} did not verify: {problems[0]}")


def _remove_stale_partials(folder: Path) -> None:
    """Copies left by a killed backup (an hour old: not one another process is writing now)."""
    if not folder.is_dir():
        return
    for leftover in folder.glob(f"*{PARTIAL}"):
        try:
            if time.time() - leftover.stat().st_mtime > STALE_PARTIAL:
                leftover.unlink()
        except OSError:
            continue


def daily_backup_due(database_file: Path) -> bool:
    newest = next(iter(list_backups(database_file)), None)
    return newest is None or datetime.now() - datetime.fromtimestamp(newest.stat().st_mtime) > DAILY


def check_file(path: Path, passphrase: str | None = None, *, full: bool = True) -> list[str]:
    """integrity_check (``full``) or quick_check of any SQLite file, opened read-only; an empty file or
    a non-database gives one problem line.

    An encrypted file without a passphrase, or with a wrong one, raises StorageUnavailable: it may be
    perfectly healthy.
    """
    if path.is_file() and path.stat().st_size == 0:
        return [f"{path} is empty (0 bytes)"]
    try:
        connection = connect_any(path, passphrase, read_only=True)
        try:
            if full:
                return integrity.full_check(connection)
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
    integrity.forget(database_file)
    return safety
