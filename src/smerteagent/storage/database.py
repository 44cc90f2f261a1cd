"""Opening the database safely: where it is, how SQLite is tuned, integrity, schema version, migrations.

Opening never writes to a database it does not understand: a corrupt file, or one made by a newer
SmerteAgent, is refused with a clear message and left exactly as it is. Before a migration the SQLite
file is backed up.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from smerteagent.core.errors import StorageUnavailable
from smerteagent.paths import package_folder
from smerteagent.storage import encryption, integrity
from smerteagent.storage.location import resolve_url

MIGRATIONS = package_folder("smerteagent.storage", "migrations")
READ_ONLY = "smerteagent_read_only"
ENCRYPTED_CACHE_KIB = 32 * 1024


_SQLITE_MESSAGES = (
    ("database is locked", "locked"),
    ("database table is locked", "locked"),
    ("disk is full", "disk_full"),
    ("database or disk is full", "disk_full"),
    ("readonly database", "read_only"),
    ("file is not a database", "corrupt"),
    ("malformed", "corrupt"),
    ("unable to open database file", "unreachable"),
    ("disk i/o error", "io_error"),
    ("connection refused", "unreachable"),
    ("failed to resolve host", "unreachable"),
    ("could not translate host name", "unreachable"),
    ("name or service not known", "unreachable"),
    ("timeout expired", "unreachable"),
    ("could not connect", "unreachable"),
    ("password authentication failed", "unreachable"),
    ("no such column", "schema_mismatch"),
    ("no such table", "schema_mismatch"),
)
_POSTGRES_STATES = {"42703": "schema_mismatch", "42P01": "schema_mismatch"}  # undefined column, undefined table


PATH_NOTE = "smerteagent_path"  # set on a driver error by the engine it came from: the SQLite file


def classify(error: BaseException, path: Path | None = None) -> StorageUnavailable | None:
    """The environment's fault (locked, full, read-only, corrupt) as StorageUnavailable naming the file
    and the precise cause; None for our bugs."""
    original = getattr(error, "orig", error)
    path = path or getattr(original, PATH_NOTE, None)
    message = str(original).lower()
    state = getattr(original, "sqlstate", None)
    if state in _POSTGRES_STATES:
        return StorageUnavailable(_POSTGRES_STATES[state], str(original).splitlines()[0])
    for fragment, reason in _SQLITE_MESSAGES:
        if fragment in message:
            precise, where = integrity.refine(reason, path)
            first_line = str(original).splitlines()[0]
            return StorageUnavailable(precise, f"{where}: {first_line}" if where else first_line)
    return None


def driver_errors() -> tuple[type[Exception], ...]:
    """The database errors of SQLAlchemy and the drivers: sqlite3, and sqlcipher3 once it is loaded."""
    errors: tuple[type[Exception], ...] = (OperationalError, DBAPIError, sqlite3.DatabaseError)
    cipher = sys.modules.get("sqlcipher3")
    return (*errors, cipher.DatabaseError) if cipher is not None else errors


@contextmanager
def storage_errors() -> Iterator[None]:
    """Translate environment failures into StorageUnavailable; let programming errors through."""
    try:
        yield
    except driver_errors() as error:
        translated = classify(error)
        if translated is None:
            raise
        raise translated from error


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection for reads only: no write lock on SQLite; environment failures as StorageUnavailable."""
    with storage_errors(), engine.connect() as connection:
        connection.execution_options(**{READ_ONLY: True})
        yield connection


@contextmanager
def reading_session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """An ORM session for reads only (see :func:`reading`)."""
    with storage_errors(), sessions() as session:
        session.connection(execution_options={READ_ONLY: True})
        yield session


@contextmanager
def writing_session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """One write transaction (committed at the end, rolled back on error), storage failures made clear: the
    one implementation every service's writes go through."""
    with storage_errors(), sessions.begin() as session:
        yield session


def private_file(path: Path) -> None:
    """A new database file (and a new folder for it) readable by its owner only: patient data is not for
    the other accounts on a shared PC. An existing file keeps the permissions the clinic gave it."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))  # an empty file is an empty SQLite database


@dataclass
class WriteGuard:
    """Set once damage is found: from then on every write is refused, reads still work."""

    problem: str | None = None


def _tune_sqlite(engine: Engine, guard: WriteGuard, path: Path | None, *, encrypted: bool = False) -> None:
    # Runs after the SQLCipher dialect's own "connect" hook (PRAGMA key): journal_mode reads page 1,
    # which needs the key. SQLCipher's log would print a wrong key to stderr; we report it ourselves.
    # An encrypted page is decrypted and authenticated each time it is read into the page cache; a larger
    # cache (filled only as pages are used) keeps search as fast as on a plain file, which the OS caches.
    pragmas: tuple[str, ...] = ("foreign_keys=ON", "busy_timeout=5000", "journal_mode=WAL", "synchronous=FULL")
    if encrypted:
        pragmas = ("cipher_log_level=NONE", *pragmas, f"cache_size=-{ENCRYPTED_CACHE_KIB}")

    @event.listens_for(engine, "connect")
    def connect(dbapi_connection: Any, _record: object) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" below controls transactions
        cursor = dbapi_connection.cursor()
        for pragma in pragmas:
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def begin(connection: Any) -> None:
        # Writers take the write lock at the start, so two processes never deadlock upgrading a read
        # lock; readers (execution option read_only) start a plain snapshot and never block a writer.
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        if guard.problem is not None and not read_only:
            raise StorageUnavailable("corrupt", guard.problem)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    @event.listens_for(engine, "handle_error")
    def note_file(context: Any) -> None:
        # The classifier names the file and tells a read-only file from its folder, a full disk from a lost -wal.
        if path is not None and isinstance(context.original_exception, Exception):
            with suppress(AttributeError):
                setattr(context.original_exception, PATH_NOTE, path)


def _sqlite_key(path: Path, passphrase: str | None) -> str | None:
    """The key to open ``path`` with: required for an encrypted file (its raw key, derived once), the
    passphrase for a new one (SQLCipher picks its salt), none for a plain file."""
    if encryption.is_encrypted(path):
        if passphrase is None:
            raise StorageUnavailable("passphrase_needed")
        return encryption.file_key(path, passphrase)
    return passphrase if encryption.is_new(path) else None


def _check_key(engine: Engine, path: Path) -> None:
    """Open the first connection now, so a wrong passphrase is named as such, before anything reads."""
    try:
        with engine.connect():
            pass
    except DBAPIError as error:
        engine.dispose()
        if "file is not a database" in str(error.orig):
            raise StorageUnavailable("wrong_passphrase") from None
        translated = classify(error)
        if translated is None:
            raise
        raise translated from None


def _refuse_unsound(path: Path) -> None:
    """Header and size: a file that is not a database, or cut short, is refused before SQLite sees it; an
    empty file beside backups is a lost register (a new one has neither). A killed conversion's copy goes."""
    from smerteagent.storage.backup import list_backups
    from smerteagent.storage.conversion import discard_leftover

    if not path.is_file():
        return
    discard_leftover(path)
    if path.stat().st_size == 0:
        integrity.refuse_empty_with_backups(path, list_backups(path))
        return
    problem = integrity.header_problem(path)
    if problem is not None:
        raise problem


@dataclass
class Database:
    """One database by URL; ``open()`` checks and migrates it before anything else touches it.

    ``url`` never holds the passphrase of an encrypted SQLite file; ``passphrase`` is kept (out of
    ``repr``) for the backups, which are encrypted with it too.
    """

    url: str
    engine: Engine
    passphrase: str | None = field(default=None, repr=False)
    guard: WriteGuard = field(default_factory=WriteGuard)

    @classmethod
    def connect(cls, url: str | None = None, *, create: bool = True, passphrase: str | None = None) -> Database:
        """An engine for ``url``; a SQLite file (and its folder) is created only when ``create`` is true.

        An encrypted file is opened with ``passphrase`` (else SMERTEAGENT_DB_PASSPHRASE); a new SQLite
        file is created encrypted when a passphrase is given; a plain file is opened as it is.
        """
        resolved = resolve_url(url)
        key, path = None, None
        try:
            parsed = make_url(resolved)
            backend = parsed.get_backend_name()
            if backend == "sqlite" and parsed.database not in (None, "", ":memory:"):
                path = Path(parsed.database.removeprefix("file:").split("?")[0])
                if not create and not path.is_file():
                    raise StorageUnavailable("unreachable", f"no database file at {path}")
                _refuse_unsound(path)
                passphrase = encryption.resolve_passphrase(passphrase)
                key = _sqlite_key(path, passphrase)
                private_file(path)
            if key is None:
                engine = create_engine(resolved, future=True, pool_pre_ping=backend != "sqlite")
            else:  # the key travels inside the URL object only, which renders it as ***
                keyed = parsed.set(drivername=encryption.DRIVER, password=key)
                engine = create_engine(keyed, future=True, poolclass=QueuePool)
        except (ArgumentError, NoSuchModuleError, ImportError) as error:
            raise StorageUnavailable("unsupported", f"{type(error).__name__}: {str(error).splitlines()[0]}") from None
        except PermissionError as error:
            raise StorageUnavailable("read_only", str(error)) from None
        except OSError as error:
            raise StorageUnavailable("unreachable", str(error)) from None
        guard = WriteGuard()
        if backend == "sqlite":
            _tune_sqlite(engine, guard, path, encrypted=key is not None)
        if key is not None and path is not None:
            _check_key(engine, path)
        return cls(resolved, engine, passphrase if key is not None else None, guard)

    @property
    def encrypted(self) -> bool:
        return self.passphrase is not None

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        database = make_url(self.url).database
        return Path(database) if self.is_sqlite and database not in (None, "", ":memory:") else None

    @property
    def display_name(self) -> str:
        return str(self.sqlite_path) if self.sqlite_path else make_url(self.url).render_as_string(hide_password=True)

    def integrity_problems(self) -> list[str]:
        """SQLite's full integrity_check (empty list when healthy), recorded beside the file; damage found
        stops every write at once. PostgreSQL checks its own pages."""
        if not self.is_sqlite:
            return []
        with reading(self.engine) as connection:
            # The check reads every page; a small cache keeps it from filling this connection's page cache.
            cache_size = connection.exec_driver_sql("PRAGMA cache_size").scalar()
            connection.exec_driver_sql("PRAGMA cache_size = -256")
            rows = connection.exec_driver_sql("PRAGMA integrity_check").fetchall()
            connection.exec_driver_sql(f"PRAGMA cache_size = {int(cache_size or -2000)}")
        problems = [str(row[0]) for row in rows]
        problems = [] if problems == ["ok"] else problems
        if problems:
            self.guard.problem = problems[0]
        if self.sqlite_path is not None:
            integrity.record(self.sqlite_path, problems)
        return problems

    def refuse_known_damage(self) -> None:
        """The cheap part of opening: damage the last full check of this file found is refused at once."""
        path = self.sqlite_path
        damage = integrity.last_damage(path) if path is not None else None
        if damage is not None:
            raise StorageUnavailable("corrupt", damage)

    def current_revision(self) -> str | None:
        with reading(self.engine) as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def has_data(self) -> bool:
        with reading(self.engine) as connection:
            return bool(inspect(connection).get_table_names())

    def dispose(self) -> None:
        self.engine.dispose()
