"""Nothing saved is ever lost: crashes, damaged files, newer schemas, locks, backups and upgrades."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from smerteagent.core.errors import StorageUnavailable
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import PatientInput
from smerteagent.i18n import _
from smerteagent.storage import backup
from smerteagent.storage.services import Services, open_services

DATA = Path(__file__).resolve().parents[1] / "data"
CHILD = Path(__file__).with_name("answering_process.py")


def answers_after(steps: int) -> dict[str, int]:
    """The child's answers after ``steps`` commits (it answers q1..q9 cyclically, value = step % 4)."""
    state: dict[str, int] = {}
    for step in range(steps):
        state[f"q{step % 9 + 1}"] = step % 4
    return state


def kill_while_answering(url: str, cpr: str, rng: random.Random) -> tuple[int, int]:
    """Start the child, let it answer a random number of items, SIGKILL it; return how many it reported."""
    child = subprocess.Popen([sys.executable, str(CHILD), url, cpr], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    with child.stdout:
        response_id = int(child.stdout.readline().split()[1])
        reported = rng.randint(1, 40)
        for _ in range(reported):
            assert child.stdout.readline().startswith("answered")
        time.sleep(rng.uniform(0, 0.005))
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        # Everything the child printed is read, including answers committed after our last read.
        reported += sum(line.startswith("answered") for line in child.stdout)
    return response_id, reported


def test_answers_survive_sigkill(database_url: str, forms: FormLibrary) -> None:
    rng = random.Random(42)
    rounds = 12 if database_url.startswith("sqlite") else 5
    for round_number in range(rounds):
        cpr = f"0101{50 + round_number:02d}-{1000 + round_number}"
        response_id, reported = kill_while_answering(database_url, cpr, rng)
        services = open_services(database_url, forms, actor="after-crash")
        try:
            stored = services.screenings.get(response_id)
        finally:
            services.close()
        assert stored.status == "draft"
        # Every answer reported as given is there; at most one more commit raced the kill.
        assert stored.answers in (answers_after(reported), answers_after(reported + 1)), f"round {round_number}"


def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    path = tmp_path / "clinic.sqlite"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def test_damaged_file_is_refused_and_left_alone(tmp_path: Path, forms: FormLibrary) -> None:
    path = tmp_path / "damaged.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 40)
    before = path.read_bytes()
    with pytest.raises(StorageUnavailable) as caught:
        open_services(f"sqlite:///{path}", forms)
    assert caught.value.reason == "corrupt" and "restore" in str(caught.value)
    assert path.read_bytes() == before


def test_truncated_database_is_refused(sqlite_url: str, forms: FormLibrary) -> None:
    services = open_services(sqlite_url, forms)
    for index in range(300):
        services.patients.add(PatientInput("Navn", f"Nr{index}", no_cpr=True, note="x" * 500))
    services.close()
    path = sqlite_path(sqlite_url)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    Path(f"{path}-wal").unlink(missing_ok=True)
    before = path.read_bytes()
    with pytest.raises(StorageUnavailable) as caught:
        open_services(sqlite_url, forms)
    assert caught.value.reason == "corrupt"
    assert path.read_bytes() == before


def test_newer_schema_is_refused_untouched(sqlite_url: str, forms: FormLibrary) -> None:
    path = sqlite_path(sqlite_url)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    before = path.read_bytes()
    with pytest.raises(StorageUnavailable) as caught:
        open_services(sqlite_url, forms)
    assert caught.value.reason == "newer_schema" and _(StorageUnavailable.REASONS["newer_schema"]) in str(caught.value)
    assert path.read_bytes() == before


def test_an_older_schema_is_called_older_when_not_upgraded(sqlite_url: str, forms: FormLibrary) -> None:
    from smerteagent.storage.revisions import HEAD, KNOWN_REVISIONS

    path = sqlite_path(sqlite_url)
    older = KNOWN_REVISIONS[-2]
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (older,))
    with pytest.raises(StorageUnavailable) as caught:
        open_services(sqlite_url, forms, upgrade=False)
    assert caught.value.reason == "older_schema"
    assert "newer" not in str(caught.value) and "db upgrade" in str(caught.value)
    assert older in str(caught.value) and HEAD in str(caught.value)


def test_read_only_database_gives_a_clear_message(sqlite_url: str, forms: FormLibrary) -> None:
    read_only = f"sqlite:///file:{sqlite_path(sqlite_url)}?mode=ro&uri=true"
    services = open_services(read_only, forms)
    try:
        assert services.patients.recent() == []
        with pytest.raises(StorageUnavailable) as caught:
            services.patients.add(PatientInput("Skrive", "Beskyttet", no_cpr=True))
        assert caught.value.reason == "read_only" and _(StorageUnavailable.REASONS["read_only"]) in str(caught.value)
    finally:
        services.close()


def test_locked_database_gives_a_clear_message(sqlite_url: str, forms: FormLibrary) -> None:
    services = open_services(sqlite_url, forms)
    blocker = sqlite3.connect(sqlite_path(sqlite_url), isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StorageUnavailable) as caught:
            services.patients.add(PatientInput("Låst", "Base", no_cpr=True))
        assert caught.value.reason == "locked"
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    services.patients.add(PatientInput("Låst", "Base", no_cpr=True))
    assert services.patients.count() == 1
    services.close()


def test_backup_and_restore_round_trip(sqlite_url: str, forms: FormLibrary) -> None:
    path = sqlite_path(sqlite_url)
    services = open_services(sqlite_url, forms)
    services.patients.add(PatientInput("Før", "Backup", cpr="010203-4005"))
    copy = backup.backup(path, "manual")
    services.patients.add(PatientInput("Efter", "Backup", cpr="010203-4013"))
    services.close()
    kept = backup.restore(path, copy)
    assert kept is not None and kept.exists()
    services = open_services(sqlite_url, forms)
    assert [p.given_name for p in services.patients.recent()] == ["Før"]
    services.close()
    restored_again = backup.restore(path, kept)
    assert restored_again is not None
    services = open_services(sqlite_url, forms)
    assert {p.given_name for p in services.patients.recent()} == {"Før", "Efter"}
    services.close()


def test_restore_refuses_a_damaged_backup(sqlite_url: str, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"not a database at all")
    before = sqlite_path(sqlite_url).read_bytes()
    with pytest.raises(StorageUnavailable):
        backup.restore(sqlite_path(sqlite_url), damaged)
    assert sqlite_path(sqlite_url).read_bytes() == before


def test_backups_rotate(sqlite_url: str) -> None:
    path = sqlite_path(sqlite_url)
    for _round in range(backup.KEEP + 3):
        backup.backup(path, "manual")
    assert len(backup.list_backups(path)) == backup.KEEP


@pytest.mark.parametrize("snapshot", sorted(DATA.glob("schema-*.sqlite")), ids=lambda p: p.stem)
def test_every_released_schema_upgrades_with_its_data(snapshot: Path, tmp_path: Path, forms: FormLibrary) -> None:
    """Each file in tests/data was made by an earlier schema; it must open, upgrade and keep every row."""
    path = tmp_path / "old.sqlite"
    shutil.copy(snapshot, path)
    with sqlite3.connect(path) as connection:
        before = {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("patients", "encounters", "responses", "audit_events")
        }
        answers_before = connection.execute("SELECT id, answers FROM responses ORDER BY id").fetchall()
    services = open_services(f"sqlite:///{path}", forms)
    try:
        assert backup.list_backups(path), "a backup must be taken before the upgrade"
        assert services.patients.count() == before["patients"]
        found = services.patients.search("søndergård")
        assert found and found[0].family_name == "Søndergård"
        history = services.screenings.responses(found[0].id)
        assert history and history[0].score is not None
    finally:
        services.close()
    with sqlite3.connect(path) as connection:
        for table, rows in before.items():
            assert connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == rows
        assert connection.execute("SELECT id, answers FROM responses ORDER BY id").fetchall() == answers_before


def test_postgresql_upgrade_from_first_schema_keeps_data(forms: FormLibrary) -> None:
    from tests.storage.conftest import pg_server_url

    server = pg_server_url()
    if not server:
        pytest.skip("no PostgreSQL server configured")
    from sqlalchemy.engine import make_url

    from smerteagent.storage.database import Database
    from smerteagent.storage.migrate import upgrade

    name = f"smerteagent_upgrade_{os.getpid()}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        database = Database.connect(url)
        upgrade(database, "0001")
        with database.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO patients (cpr, given_name, family_name, no_cpr, search_text, given_key, family_key,"
                " created_at, updated_at, last_activity_at, version) VALUES ('0101804321', 'Åse', 'Søndergård',"
                " false, ' aase soendergaard 0101804321 ', 'aase', 'soendergaard', now(), now(), now(), 1)"
            ))  # fmt: skip
        database.dispose()
        services: Services = open_services(url, forms)
        try:
            assert [p.given_name for p in services.patients.search("søndergå")] == ["Åse"]
        finally:
            services.close()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_known_revisions_match_the_migration_scripts() -> None:
    from smerteagent.storage import migrate

    assert list(migrate.KNOWN_REVISIONS) == migrate.script_revisions()


def test_backups_of_similarly_named_databases_stay_apart(sqlite_url: str, tmp_path: Path) -> None:
    path = sqlite_path(sqlite_url)
    sibling = path.with_name(f"{path.stem}-old.sqlite")
    shutil.copy(path, sibling)
    mine = backup.backup(path, "manual")
    theirs = backup.backup(sibling, "manual")
    assert backup.list_backups(path) == [mine]
    assert backup.list_backups(sibling) == [theirs]


def test_restore_over_a_damaged_database_keeps_its_journal(sqlite_url: str, tmp_path: Path) -> None:
    path = sqlite_path(sqlite_url)
    good = backup.backup(path, "manual")
    path.write_bytes(b"damaged beyond repair")
    Path(f"{path}-wal").write_bytes(b"the latest answers might be here")
    kept = backup.restore(path, good)
    assert kept is not None and kept.read_bytes() == b"damaged beyond repair"
    assert Path(f"{kept}-wal").read_bytes() == b"the latest answers might be here"
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").read_bytes() != b"the latest answers might be here"
