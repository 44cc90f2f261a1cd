"""Encryption at rest for SQLite files with SQLCipher; the passphrase lives only in memory.

SQLCipher 4 derives the page key from the passphrase with PBKDF2-HMAC-SHA512 (256,000 iterations) and a
random salt kept in the file's first 16 bytes, and encrypts and authenticates every page (AES-256,
HMAC-SHA512), the WAL's pages included. That derivation is deliberately slow (~0.1 s), and SQLCipher
would repeat it for every connection; so for an existing file this module derives the same key once per
process (the same PBKDF2 with the file's salt, ``hashlib``) and hands SQLCipher the raw key.

The passphrase reaches the program at run time only: from ``SMERTEAGENT_DB_PASSPHRASE``,
``--passphrase-file`` or the app's prompt. ``sqlcipher3`` is imported only when an encrypted file is
actually opened, so a plain database starts as fast as before.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Any

from smerteagent.core.errors import SmerteAgentError, StorageUnavailable
from smerteagent.storage.file_head import read_head
from smerteagent.storage.integrity import looks_random

PASSPHRASE_VARIABLE = "SMERTEAGENT_DB_PASSPHRASE"
PLAIN_HEADER = b"SQLite format 3\x00"
MIN_NEW_PASSPHRASE = 12
KDF_ITERATIONS = 256_000  # SQLCipher 4's defaults: PBKDF2-HMAC-SHA512, 32-byte key, 16-byte salt
KEY_BYTES, SALT_BYTES = 32, 16
MIN_PAGE = 512  # SQLite's smallest page size; an encrypted file is a whole number of pages
DRIVER = "sqlite+pysqlcipher"


class PassphraseError(SmerteAgentError):
    """A new passphrase that is too weak to encrypt with."""


def resolve_passphrase(given: str | None) -> str | None:
    """The passphrase given, else SMERTEAGENT_DB_PASSPHRASE; an empty one counts as none (SQLCipher's
    empty key means 'not encrypted')."""
    chosen = given if given else os.environ.get(PASSPHRASE_VARIABLE)
    return chosen or None


def is_encrypted(path: Path) -> bool:
    """Whole pages (SQLCipher writes nothing else) of noise without SQLite's plain header: encrypted; a text
    file, a zeroed or damaged SQLite file of the same size is not (any other file is left to SQLite to judge)."""
    try:
        header, size = read_head(path, 1040)  # not open()/close(): that would drop SQLite's locks (file_head)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return False
    plain = header[: len(PLAIN_HEADER)] == PLAIN_HEADER
    return not plain and size >= MIN_PAGE and size % MIN_PAGE == 0 and looks_random(header[16:])


def is_new(path: Path) -> bool:
    """No file yet, or an empty one: the next open chooses whether it is encrypted."""
    return not path.exists() or path.stat().st_size == 0


def check_new_passphrase(passphrase: str | None) -> str:
    """A passphrase fit to encrypt with; a short one would make the encryption easy to guess."""
    if not passphrase:
        raise StorageUnavailable("passphrase_needed")
    if len(passphrase) < MIN_NEW_PASSPHRASE or "\x00" in passphrase:
        raise PassphraseError(
            f"a new passphrase needs at least {MIN_NEW_PASSPHRASE} characters (several unrelated words are "
            "easiest to keep) and no NUL character"
        )
    return passphrase


class _DerivedKeys:
    """Raw keys already derived in this process, by passphrase and salt; a second caller waits for the
    first instead of deriving again (the derivation runs without the GIL)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[tuple[str, bytes], str] = {}

    def get(self, passphrase: str, salt: bytes) -> str:
        with self._lock:
            if (passphrase, salt) not in self._keys:
                key = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ITERATIONS, KEY_BYTES)
                self._keys[passphrase, salt] = f"x'{key.hex()}{salt.hex()}'"
            return self._keys[passphrase, salt]


_DERIVED = _DerivedKeys()


def file_key(path: Path, passphrase: str) -> str:
    """The key to give SQLCipher for an existing encrypted file: raw (with the file's salt), derived once."""
    salt, _size = read_head(path, SALT_BYTES)
    return _DERIVED.get(passphrase, salt)


def warm_up(url: str, passphrase: str | None) -> None:
    """Derive the key of an encrypted SQLite file now, when its passphrase is known (the app calls this
    on a thread at start, so the derivation runs beside the first paint instead of after it)."""
    chosen = resolve_passphrase(passphrase)
    if chosen is None or not url.startswith("sqlite:///") or "?" in url:
        return
    path = Path(url.removeprefix("sqlite:///"))
    try:
        if is_encrypted(path):
            file_key(path, chosen)
    except OSError:
        return  # the start-up proper reports an unreadable file


def literal(text: str) -> str:
    """``text`` as an SQL string literal: PRAGMA key takes no bound parameters."""
    return "'" + text.replace("'", "''") + "'"


def key_statements(key: str) -> list[str]:
    """What every connection to an encrypted file runs first: silence SQLCipher's own stderr log
    (a wrong key is reported to the user by us), then the key (a passphrase, or a raw ``x'…'`` key)."""
    return ["PRAGMA cipher_log_level = NONE", f"PRAGMA key = {literal(key)}"]


def connect(path: Path, passphrase: str, *, read_only: bool = False, **options: Any) -> Any:
    """A keyed ``sqlcipher3`` connection, checked: a wrong passphrase raises ``wrong_passphrase``.
    ``options`` go to the driver's connect (timeout, check_same_thread)."""
    import sqlcipher3

    target = f"file:{path}?mode=ro" if read_only else f"file:{path}"
    connection = sqlcipher3.connect(target, uri=True, **options)
    try:
        for statement in key_statements(file_key(path, passphrase)):
            connection.execute(statement)
        verify_key(connection, path)
    except BaseException:
        connection.close()
        raise
    return connection


def verify_key(connection: Any, path: Path) -> None:
    """SQLCipher checks the key on the first read of page 1; a wrong one reads as 'not a database'."""
    import sqlcipher3

    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as error:
        if "file is not a database" in str(error):
            raise StorageUnavailable("wrong_passphrase", str(path)) from None
        raise


def connect_any(path: Path, passphrase: str | None, *, read_only: bool = False) -> Any:
    """A connection to a plain file (standard sqlite3) or an encrypted one (keyed); no passphrase for an
    encrypted file is ``passphrase_needed``."""
    if is_encrypted(path):
        chosen = resolve_passphrase(passphrase)
        if chosen is None:
            raise StorageUnavailable("passphrase_needed", str(path))
        return connect(path, chosen, read_only=read_only)
    import sqlite3

    return sqlite3.connect(f"file:{path}?mode=ro" if read_only else f"file:{path}", uri=True)
