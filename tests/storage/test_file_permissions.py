"""A new database file, its folder and its backups are the owner's only: patient data is not for the other
accounts on a shared PC."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import PatientInput
from smerteagent.paths import bundled_forms_dir
from smerteagent.storage import backup
from smerteagent.storage.services import open_services

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_database_and_backups_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "ny-klinik" / "klinik.sqlite"
    services = open_services(f"sqlite:///{path}", FormLibrary.load([bundled_forms_dir()]))
    try:
        services.patients.add(PatientInput("Åse", "Ærø", cpr="070761-4285"))
    finally:
        services.close()
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
    copy = backup.backup(path, "test")
    assert mode(copy) == 0o600


def test_an_existing_file_keeps_the_clinics_permissions(tmp_path: Path) -> None:
    path = tmp_path / "delt.sqlite"
    services = open_services(f"sqlite:///{path}", FormLibrary.load([bundled_forms_dir()]))
    services.close()
    path.chmod(0o660)  # a clinic sharing the file with a group on purpose
    services = open_services(f"sqlite:///{path}", FormLibrary.load([bundled_forms_dir()]))
    services.close()
    assert mode(path) == 0o660
