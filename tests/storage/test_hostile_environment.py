"""A hostile machine: another program holding the lock, a full disk, read-only files. Each gives a clear
message naming the problem, and nothing saved before is lost or changed."""

from __future__ import annotations

import ctypes
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from smerteagent.core.errors import StorageUnavailable
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import PatientInput
from smerteagent.i18n import _
from smerteagent.storage.backup import backups_dir, check_file, list_backups
from smerteagent.storage.services import open_services
from tests.storage.hostile_process import NOTE

CHILD = Path(__file__).with_name("hostile_process.py")
ROOT = Path(__file__).resolve().parents[2]
PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 24, 1, 2, 3


@pytest.fixture
def clinic(tmp_path: Path, sqlite_template: Path, forms: FormLibrary) -> Path:
    """A clinic database with three patients saved, in a folder of its own."""
    folder = tmp_path / "clinic"
    folder.mkdir()
    path = folder / "clinic.sqlite"
    shutil.copy(sqlite_template, path)
    services = open_services(f"sqlite:///{path}", forms)
    for name in ("Åse", "Søren", "Ærling"):
        services.patients.add(PatientInput(name, "Ærø", no_cpr=True, note="før"))
    services.close()
    return path


def saved_patients(path: Path) -> list[tuple[str, str, str]]:
    """The patients as stored, read with the standard library, read-only."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert connection.execute("PRAGMA quick_check").fetchone() == ("ok",)
        return connection.execute("SELECT given_name, family_name, note FROM patients ORDER BY id").fetchall()
    finally:
        connection.close()


BEFORE = [("Åse", "Ærø", "før"), ("Søren", "Ærø", "før"), ("Ærling", "Ærø", "før")]


def child(*arguments: str, as_root: bool = False) -> str:
    """Run the child; its lines of outcome (a traceback fails the test with the child's stderr). ``as_root``
    drops root's power to ignore file permissions in the child first."""
    done = subprocess.run([sys.executable, str(CHILD), *arguments], capture_output=True, text=True, timeout=120,
                          cwd=ROOT, preexec_fn=drop_file_permission_override if as_root else None)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture
def holder(clinic: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding SQLite's exclusive lock on the clinic database."""
    process = subprocess.Popen([sys.executable, str(CHILD), "hold", str(clinic)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert process.stdout is not None and process.stdout.readline() == "holding\n"
    yield process
    assert process.stdin is not None and process.stdout is not None
    process.stdin.close()
    process.stdout.close()
    process.wait(timeout=30)


def test_a_database_locked_by_another_process(clinic: Path, holder: subprocess.Popen[str], forms: FormLibrary) -> None:
    services = open_services(f"sqlite:///{clinic}", forms)
    try:
        with pytest.raises(StorageUnavailable) as caught:
            services.patients.add(PatientInput("Låst", "Ude", no_cpr=True))
        assert caught.value.reason == "locked" and _(StorageUnavailable.REASONS["locked"]) in str(caught.value)
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
        services.patients.add(PatientInput("Låst", "Ude", no_cpr=True))  # the same action works once released
    finally:
        services.close()
    assert saved_patients(clinic) == [*BEFORE, ("Låst", "Ude", None)]


def fill_until_refused(clinic: Path, limit: int | None = None) -> tuple[list[str], str]:
    """The child adds patients until the disk refuses; (the lines of those saved, the refusal)."""
    lines = child("write", f"sqlite:///{clinic}", "2000", *([str(limit)] if limit else [])).splitlines()
    saved = [line for line in lines if line.startswith("saved")]
    assert saved and lines[-1].startswith("refused"), lines
    return saved, lines[-1]


def test_a_full_disk(tmp_path: Path, clinic: Path) -> None:
    """A small tmpfs fills up (ENOSPC): SQLite says 'database or disk is full'."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    size = 3 * clinic.stat().st_size + 512 * 1024  # the database, its daily backup and some room
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:  # fmt: skip
        pytest.skip("mounting a small tmpfs needs root (CAP_SYS_ADMIN); test_a_file_size_limit covers EFBIG")
    try:
        small = mount / clinic.name
        shutil.copy(clinic, small)
        saved, refusal = fill_until_refused(small)
        assert refusal.startswith("refused disk_full: " + _(StorageUnavailable.REASONS["disk_full"])), refusal
        assert saved_patients(small) == BEFORE + [("Ny", f"Patient {n}", NOTE) for n in range(len(saved))]
        subprocess.run(["mount", "-o", f"remount,size={4 * size}", str(mount)], check=True)  # space again
        assert child("write", f"sqlite:///{small}", "1") == "saved 0", "with space again, saving works"
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_a_file_size_limit(clinic: Path) -> None:
    """RLIMIT_FSIZE: writes past the limit fail with EFBIG, which SQLite reports as an I/O error."""
    files = [clinic, clinic.with_name(clinic.name + "-wal")]
    limit = max(path.stat().st_size for path in files if path.exists()) + 256 * 1024
    saved, refusal = fill_until_refused(clinic, limit)
    assert refusal.startswith("refused io_error: " + _(StorageUnavailable.REASONS["io_error"])), refusal
    assert saved_patients(clinic) == BEFORE + [("Ny", f"Patient {n}", NOTE) for n in range(len(saved))]
    assert child("write", f"sqlite:///{clinic}", "1") == "saved 0", "without the limit, saving works"


def drop_file_permission_override() -> None:
    """Root ignores file permissions; dropping these capabilities (for good, across exec) makes them count."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def tree(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def make_read_only(folder: Path, locked: str) -> None:
    """Every file (database, journal, backups) read-only; for ``folder`` the folders instead."""
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir():
            path.chmod(0o555 if locked == "folder" else 0o755)
        else:
            path.chmod(0o444 if locked == "file" else 0o644)


@pytest.mark.parametrize("locked", ["file", "folder"])
def test_read_only_file_or_folder(clinic: Path, locked: str) -> None:
    make_read_only(clinic.parent, locked)
    before = tree(clinic.parent)
    try:
        outcome = child("write", f"sqlite:///{clinic}", "1", as_root=os.geteuid() == 0)
    finally:
        make_read_only(clinic.parent, "neither")
    reason = f"read_only_{locked}"  # a read-only file and a read-only folder are told apart, each named
    assert outcome.startswith(f"refused {reason}: " + _(StorageUnavailable.REASONS[reason])), outcome
    assert str(clinic if locked == "file" else clinic.parent) in outcome
    after = tree(clinic.parent)
    assert {name: after[name] for name in before} == before
    assert set(after) - set(before) <= {"clinic.sqlite-wal", "clinic.sqlite-shm"}, "SQLite's journal files only"
    assert saved_patients(clinic) == BEFORE


def test_a_read_only_file_with_a_daily_backup_due_does_not_hang(clinic: Path, forms: FormLibrary) -> None:
    """A read-only file (and the -wal/-shm the last program left, read-only too) with a backup due: the
    step-wise copy restarted on every step, for ever, at 100 % CPU. Now it ends: backup made, write refused."""
    services = open_services(f"sqlite:///{clinic}", forms)
    for number in range(80):  # more than one copy step's 256 pages
        services.patients.add(PatientInput("Stor", f"Journal {number}", no_cpr=True, note=NOTE))
    services.close()
    shutil.rmtree(backups_dir(clinic))  # the daily backup is due
    for suffix in ("-wal", "-shm"):
        Path(f"{clinic}{suffix}").write_bytes(b"")
    make_read_only(clinic.parent, "file")
    try:
        done = subprocess.run([sys.executable, str(CHILD), "write", f"sqlite:///{clinic}", "1"], capture_output=True,
                              text=True, timeout=60, cwd=ROOT,
                              preexec_fn=drop_file_permission_override if os.geteuid() == 0 else None)  # fmt: skip
    finally:
        make_read_only(clinic.parent, "neither")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("refused read_only_file: "), done.stdout
    [daily] = list_backups(clinic)
    assert check_file(daily) == []
