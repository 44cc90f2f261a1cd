"""Storage that never lies: damage the quick check misses is found, stops writing and is never backed up
over good backups; a lost or cut-short file is refused with its backups named; a file that is not a
database is not called encrypted; a backup cut short is never listed."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from smerteagent.core.errors import StorageUnavailable
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import PatientInput
from smerteagent.storage import backup
from smerteagent.storage.database import Database, storage_errors
from smerteagent.storage.services import open_services
from tests.storage.damage import misdirect_index

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def clinic(tmp_path: Path, sqlite_template: Path, forms: FormLibrary) -> Path:
    """A clinic database with patients (CPR numbers in the unique index), in a folder of its own."""
    path = tmp_path / "clinic" / "klinik.sqlite"
    path.parent.mkdir()
    shutil.copy(sqlite_template, path)
    services = open_services(f"sqlite:///{path}", forms)
    for number, cpr in enumerate(("070761-4285", "010190-1234", "241265-1111", "300399-2005")):
        services.patients.add(PatientInput(f"Åse {number}", "Ærø", cpr=cpr))
    services.close()
    return path


def sound_backups(clinic: Path, count: int) -> list[Path]:
    made = [backup.backup(clinic, "daily") for _ in range(count)]
    assert all(backup.check_file(path) == [] for path in made)
    return made


def test_the_full_check_finds_damage_the_quick_check_misses(clinic: Path) -> None:
    misdirect_index(clinic)
    connection = sqlite3.connect(clinic)
    assert connection.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    connection.close()
    database = Database.connect(f"sqlite:///{clinic}")
    try:
        problems = database.integrity_problems()
    finally:
        database.dispose()
    assert problems and "missing from index" in problems[0]


def test_damage_found_stops_writing_and_the_next_open_refuses_at_once(clinic: Path, forms: FormLibrary) -> None:
    misdirect_index(clinic)
    services = open_services(f"sqlite:///{clinic}", forms)  # the cheap open does not read every page
    try:
        assert services.database.integrity_problems()
        with pytest.raises(StorageUnavailable) as caught:
            services.patients.add(PatientInput("Ny", "Patient", no_cpr=True))
        assert caught.value.reason == "corrupt"
        assert len(services.patients.recent(10)) == 4  # reading still works
    finally:
        services.close()
    with pytest.raises(StorageUnavailable) as caught:
        open_services(f"sqlite:///{clinic}", forms)
    assert caught.value.reason == "corrupt" and "missing from index" in str(caught.value)


def test_a_backup_of_a_damaged_database_fails_and_rotation_keeps_the_good_ones(clinic: Path) -> None:
    good = sound_backups(clinic, backup.KEEP)
    misdirect_index(clinic)
    for _night in range(backup.KEEP):
        with pytest.raises(StorageUnavailable) as caught:
            backup.backup(clinic, "daily")
        assert caught.value.reason == "corrupt" and str(clinic) in str(caught.value)
    assert sorted(backup.list_backups(clinic)) == sorted(good)
    assert all(backup.check_file(path) == [] for path in good)
    assert not list(backup.backups_dir(clinic).glob("*.partial"))


def test_rotation_keeps_the_newest_verified_backups(clinic: Path) -> None:
    made = [backup.backup(clinic, "daily") for _ in range(backup.KEEP + 3)]
    kept = backup.list_backups(clinic)
    assert len(kept) == backup.KEEP and made[-1] == kept[0]
    assert all(backup.check_file(path) == [] for path in kept)


KILLED = """
import os, sys
from pathlib import Path
from smerteagent.storage import backup
backup._verify = lambda copy, passphrase: os._exit(9)  # killed after the copy, before it was verified
backup.backup(Path(sys.argv[1]), "manual")
"""


def test_a_backup_killed_part_way_is_never_listed(clinic: Path) -> None:
    sound_backups(clinic, 1)
    good = backup.list_backups(clinic)
    killed = subprocess.run([sys.executable, "-c", KILLED, str(clinic)], cwd=ROOT, timeout=120)
    assert killed.returncode == 9
    assert list(backup.backups_dir(clinic).glob("*.partial")), "the cut-short copy is there"
    assert backup.list_backups(clinic) == good
    # a copy cut short by an older version, under the final name: empty, or its journal beside it
    older = backup.backups_dir(clinic) / f"{clinic.stem}-29991231-000000-000000-daily.sqlite"
    older.write_bytes(b"")
    assert backup.list_backups(clinic) == good
    assert not backup.daily_backup_due(clinic)


def test_a_zero_byte_file_beside_backups_is_refused_not_started_afresh(clinic: Path, forms: FormLibrary) -> None:
    [newest] = sound_backups(clinic, 1)
    clinic.write_bytes(b"")
    with pytest.raises(StorageUnavailable) as caught:
        open_services(f"sqlite:///{clinic}", forms)
    assert caught.value.reason == "corrupt"
    assert "0 bytes" in str(caught.value) and str(newest) in str(caught.value)
    assert clinic.read_bytes() == b""  # nothing was written to it


def test_a_zero_byte_file_without_backups_is_a_new_register(tmp_path: Path, forms: FormLibrary) -> None:
    path = tmp_path / "new.sqlite"
    path.write_bytes(b"")
    services = open_services(f"sqlite:///{path}", forms)
    try:
        assert services.patients.count() == 0
    finally:
        services.close()


def cut_to_pages(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: 3 * 4096])


def cut_mid_page(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:10000])


@pytest.mark.parametrize("cut", [cut_to_pages, cut_mid_page])
def test_a_truncated_file_is_refused_from_its_header(clinic: Path, cut: object) -> None:
    sound_backups(clinic, 1)
    cut(clinic)  # type: ignore[operator]
    before = clinic.read_bytes()
    with pytest.raises(StorageUnavailable) as caught:
        Database.connect(f"sqlite:///{clinic}")
    assert caught.value.reason == "corrupt" and "truncated" in str(caught.value) and str(clinic) in str(caught.value)
    assert clinic.read_bytes() == before


@pytest.mark.parametrize(
    "content", [b"Referat fra m\xc3\xb8de\n" * 512, bytes(8192), b"%PDF-1.7\n" + b"x" * (4096 - 9)]
)
def test_a_non_database_of_whole_pages_is_not_called_encrypted(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "not-a-database.sqlite"
    path.write_bytes(content)
    assert len(content) % 512 == 0
    with pytest.raises(StorageUnavailable) as caught:
        Database.connect(f"sqlite:///{path}", create=False)
    assert caught.value.reason == "not_a_database" and str(path) in str(caught.value)
    assert path.read_bytes() == content


def test_a_damaged_header_is_damage_not_encryption(clinic: Path) -> None:
    data = bytearray(clinic.read_bytes())
    data[:16] = bytes(16)
    clinic.write_bytes(bytes(data))
    with pytest.raises(StorageUnavailable) as caught:
        Database.connect(f"sqlite:///{clinic}", create=False)
    assert caught.value.reason == "corrupt" and "header" in str(caught.value)


def test_a_deleted_wal_is_not_a_full_disk(clinic: Path, forms: FormLibrary) -> None:
    """The -wal deleted under a running program: the next writer is told so, not 'disk I/O error'."""
    holder = sqlite3.connect(clinic, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("PRAGMA wal_autocheckpoint=0")
    holder.execute("UPDATE patients SET note = 'i journalen'")
    Path(f"{clinic}-wal").unlink()
    database = Database.connect(f"sqlite:///{clinic}")
    try:
        with pytest.raises(StorageUnavailable) as caught, storage_errors(), database.engine.begin() as connection:
            connection.exec_driver_sql("UPDATE patients SET note = 'ny'")
    finally:
        database.dispose()
        holder.close()
    assert caught.value.reason == "wal_missing" and f"{clinic}-wal" in str(caught.value)


def test_a_conversion_left_by_a_killed_process_is_removed(clinic: Path) -> None:
    leftover = clinic.with_name(f"{clinic.name}.converting")
    shutil.copy(clinic, leftover)  # a decryption's copy: every patient in clear
    old = leftover.stat().st_mtime - 3600
    os.utime(leftover, (old, old))
    Database.connect(f"sqlite:///{clinic}").dispose()
    assert not leftover.exists()
