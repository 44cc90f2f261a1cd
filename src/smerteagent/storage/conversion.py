"""Encrypting, decrypting and re-keying a SQLite database in place, safely (the administrator's tasks).

A conversion writes a new file beside the database with ``sqlcipher_export``, checks it (integrity and the
row count of every table), and only then replaces the database atomically. Every step runs while this
process holds the database exclusively: switching the journal out of WAL fails while any other program
has the file open, so nobody can write to a file that is about to be replaced. The plain file it replaces
and the plain backups hold patient data in clear: they are overwritten with zeros and deleted — which
does not reach copies an SSD or a file system keeps elsewhere (see docs/security.md).
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smerteagent.core.errors import SmerteAgentError, StorageUnavailable
from smerteagent.storage import backup
from smerteagent.storage.database import private_file, storage_errors
from smerteagent.storage.encryption import check_new_passphrase, connect, is_encrypted, literal

CHUNK = 1 << 20
STALE_WORKING = 600.0  # seconds: a conversion's copy older than this was left by a killed process


class ConversionError(SmerteAgentError):
    """A conversion that cannot start (wrong form) or whose copy did not match; nothing was replaced."""


@dataclass
class Conversion:
    """What a conversion did, for the administrator to read."""

    database: Path
    rows: int
    backup: Path | None = None
    removed: list[Path] = field(default_factory=list)  # plain backups, shredded
    rekeyed: list[Path] = field(default_factory=list)  # backups that now open with the new passphrase
    kept: list[Path] = field(default_factory=list)  # backups left as they were


def _exclusive(path: Path, key: str | None) -> Any:
    """A connection that alone holds the file: out of WAL (its content folded in), exclusive lock."""
    import sqlcipher3

    connection = connect(path, key) if key is not None else sqlcipher3.connect(str(path))
    connection.isolation_level = None
    try:
        connection.execute("PRAGMA busy_timeout = 2000")
        try:
            mode = connection.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            connection.execute("BEGIN EXCLUSIVE")
        except sqlcipher3.OperationalError as error:
            if "locked" not in str(error):
                raise
            mode = "locked"
        if str(mode).lower() != "delete":
            raise StorageUnavailable("locked", "close SmerteAgent on every workstation first")
        problems = [row[0] for row in connection.execute("PRAGMA quick_check").fetchall()]
        if problems != ["ok"]:
            raise StorageUnavailable("corrupt", problems[0])
    except BaseException:
        connection.close()
        raise
    return connection


def row_counts(connection: Any) -> dict[str, int]:
    """Rows per table (the search index's own tables included): the copy must match them all."""
    names = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in sorted(names)}


def _export(source: Any, target: Path, key: str | None) -> dict[str, int]:
    """``sqlcipher_export`` into ``target`` (encrypted with ``key``, plain for None); the source's counts."""
    target.unlink(missing_ok=True)
    private_file(target)  # created owner-only before SQLCipher fills it: the copy holds every patient
    version = source.execute("PRAGMA user_version").fetchone()[0]
    counts = row_counts(source)
    source.execute("COMMIT")  # ATTACH cannot run in a transaction; the lock is taken again at once
    source.execute("ATTACH DATABASE ? AS converted KEY ?", (str(target), key or ""))
    source.execute("BEGIN EXCLUSIVE")
    source.execute("SELECT sqlcipher_export('converted')")
    source.execute(f"PRAGMA converted.user_version = {int(version)}")
    source.execute("COMMIT")
    source.execute("DETACH DATABASE converted")
    source.execute("BEGIN EXCLUSIVE")
    return counts


def _verify(target: Path, key: str | None, expected: dict[str, int]) -> None:
    import sqlcipher3

    copy = connect(target, key) if key is not None else sqlcipher3.connect(str(target))
    try:
        problems = [row[0] for row in copy.execute("PRAGMA quick_check").fetchall()]
        counts = row_counts(copy)
    finally:
        copy.close()
    if problems != ["ok"] or counts != expected:
        target.unlink(missing_ok=True)
        raise ConversionError(f"the converted copy did not match ({problems[0]}); {target.parent} is unchanged")


def _replace(path: Path, new: Path) -> None:
    """Put ``new`` in place of ``path`` atomically, then overwrite the old content with zeros."""
    with path.open("r+b") as old:
        with new.open("rb") as written:
            os.fsync(written.fileno())
        os.chmod(new, stat.S_IMODE(os.fstat(old.fileno()).st_mode))  # the permissions the clinic gave it
        os.replace(new, path)
        _zero(old)


def _zero(file: Any) -> None:
    size = os.fstat(file.fileno()).st_size
    file.seek(0)
    for start in range(0, size, CHUNK):
        file.write(bytes(min(CHUNK, size - start)))
    file.flush()
    os.fsync(file.fileno())


def shred(path: Path) -> None:
    """Overwrite a file with zeros, then delete it (on a plain hard disk the data is then gone)."""
    with path.open("r+b") as file:
        _zero(file)
    path.unlink()


def working_file(path: Path) -> Path:
    """Where a conversion writes its copy before it replaces the database."""
    return path.with_name(f"{path.name}.converting")


def discard_leftover(path: Path, *, older_than: float = STALE_WORKING) -> Path | None:
    """The copy a killed conversion left beside the database (the database itself was never replaced):
    overwritten with zeros and deleted — a decryption's copy holds every patient in clear. A copy younger
    than ``older_than`` seconds may belong to a conversion running now, and is left to it."""
    leftover = working_file(path)
    try:
        if time.time() - leftover.stat().st_mtime < older_than:
            return None
        shred(leftover)
    except OSError:
        return None
    return leftover


def _convert(path: Path, source_key: str | None, target_key: str | None) -> int:
    """Export, verify, replace; returns the number of rows copied."""
    working = working_file(path)
    with storage_errors():
        source = _exclusive(path, source_key)
        try:
            counts = _export(source, working, target_key)
            _verify(working, target_key, counts)
            _replace(path, working)
        finally:
            source.close()
    return sum(counts.values())


def encrypt(path: Path, passphrase: str, *, keep_plain_backups: bool = False) -> Conversion:
    """Encrypt a plain database in place; its plain backups are shredded and an encrypted one taken."""
    check_new_passphrase(passphrase)
    if not path.is_file() or is_encrypted(path):
        raise ConversionError(f"{path} is not a plain SQLite database (already encrypted, or missing)")
    rows = _convert(path, None, passphrase)
    result = Conversion(path, rows)
    for old in backup.list_backups(path):
        if is_encrypted(old):
            continue
        if keep_plain_backups:
            result.kept.append(old)
        else:
            shred(old)
            result.removed.append(old)
    result.backup = backup.backup(path, "after-encrypt", passphrase=passphrase)
    return result


def decrypt(path: Path, passphrase: str) -> Conversion:
    """Store an encrypted database in clear again (its encrypted backups stay as they are)."""
    if not is_encrypted(path):
        raise ConversionError(f"{path} is not an encrypted database")
    rows = _convert(path, passphrase, None)
    return Conversion(path, rows, backup=backup.backup(path, "after-decrypt"))


def rekey(path: Path, passphrase: str, new_passphrase: str) -> Conversion:
    """Change the passphrase of the database and of its backups that open with the old one."""
    check_new_passphrase(new_passphrase)
    if not is_encrypted(path):
        raise ConversionError(f"{path} is not an encrypted database; encrypt it with 'smerteagent db encrypt'")
    with storage_errors():
        connection = _exclusive(path, passphrase)
        try:
            rows = sum(row_counts(connection).values())
            connection.execute("COMMIT")
            connection.execute(f"PRAGMA rekey = {literal(new_passphrase)}")
        finally:
            connection.close()
        connect(path, new_passphrase).close()  # the new passphrase opens it
    result = Conversion(path, rows)
    for old in backup.list_backups(path):
        (result.rekeyed if _rekey_backup(old, passphrase, new_passphrase) else result.kept).append(old)
    return result


def _rekey_backup(path: Path, passphrase: str, new_passphrase: str) -> bool:
    """Re-key one backup; False when it is plain or opens with another passphrase (left as it is)."""
    if not is_encrypted(path):
        return False
    try:
        connection = connect(path, passphrase)
    except StorageUnavailable:
        return False
    try:
        connection.execute(f"PRAGMA rekey = {literal(new_passphrase)}")
    finally:
        connection.close()
    return True
