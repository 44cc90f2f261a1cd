"""Reading a database's header while SQLite has it open must not drop SQLite's locks: on POSIX, closing any
descriptor of a file releases all the process's locks on it, and a command run beside the app would then
delete the -wal and -shm files the app still writes through (its writes lost)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import PatientInput
from smerteagent.storage import encryption, integrity
from smerteagent.storage.file_head import _held, read_head
from smerteagent.storage.list_reader import open_list_reader
from smerteagent.storage.services import open_services

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX advisory locks (Windows locks belong to a handle)")


def _open_in_wal(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=wal")
    connection.execute("CREATE TABLE t (x)")
    connection.execute("INSERT INTO t VALUES (1)")
    connection.commit()
    connection.execute("SELECT * FROM t").fetchall()
    return connection


def _another_process_opens_and_closes(path: Path) -> None:
    code = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('SELECT * FROM t').fetchall(); c.close()"
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, timeout=60)


@pytest.mark.parametrize(
    "read",
    [
        lambda path: integrity.header_problem(path),
        lambda path: encryption.is_encrypted(path),
        lambda path: integrity.wal_cut_short(path),
        lambda path: [read_head(path, 100) for _ in range(3)],
    ],
    ids=["header_problem", "is_encrypted", "wal_cut_short", "read_head"],
)
def test_reading_the_header_beside_an_open_connection_keeps_its_wal(tmp_path: Path, read) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "register.sqlite"
    connection = _open_in_wal(path)
    read(path)
    _another_process_opens_and_closes(path)
    assert Path(f"{path}-wal").exists(), "the other process took itself for the last user"
    connection.execute("INSERT INTO t VALUES (2)")
    connection.commit()
    assert sqlite3.connect(path).execute("SELECT count(*) FROM t").fetchone() == (2,), "a write was lost"
    connection.close()


def test_the_descriptor_kept_for_an_open_database_is_let_go_once_sqlite_closes_it(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite"
    connection = _open_in_wal(path)
    assert read_head(path, 16)[0] == b"SQLite format 3\x00"
    key = (path.stat().st_dev, path.stat().st_ino)
    assert key in _held
    connection.close()
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).close()
    read_head(other, 16)  # any later read lets go of descriptors no longer shared
    assert key not in _held and (other.stat().st_dev, other.stat().st_ino) not in _held


def test_a_command_run_beside_the_app_does_not_take_the_apps_writes(tmp_path: Path, forms: FormLibrary) -> None:
    """As the app opens a register (the list reader, then the services with their checks and daily backup),
    a command in a terminal opens and closes it, then the app writes: the write is in the register."""
    url = f"sqlite:///{tmp_path / 'clinic.sqlite'}"
    open_services(url, forms).close()
    reader = open_list_reader(url)
    assert reader is not None
    services = open_services(url, forms)
    command = [sys.executable, "-c", "from smerteagent.cli.main import main; main()", "--db", url, "settings", "show"]
    subprocess.run(command, check=True, timeout=120, capture_output=True, env={**os.environ, "HOME": str(tmp_path)})
    services.patients.add(PatientInput("Efter", "Kommandoen", no_cpr=True))
    services.close()
    reader.close()
    again = open_services(url, forms, daily_backup=False)
    assert [p.family_name for p in again.patients.search("Kommandoen")] == ["Kommandoen"]
    again.close()
