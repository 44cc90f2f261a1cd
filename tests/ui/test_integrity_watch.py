"""The app opens on the cheap checks and runs the full integrity check behind the window: damage found is
shown at once and stops every write; a lost (0-byte) register is refused with the restore offer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from smerteagent.core.errors import StorageUnavailable
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import PatientInput
from smerteagent.storage import backup
from smerteagent.storage.services import open_services
from smerteagent.ui import app
from smerteagent.ui.app import IntegrityWatcher, StorageLoader, _storage_failed
from tests.storage.damage import misdirect_index
from tests.ui.helpers import StartMainWindow


@pytest.fixture
def clinic(template: Path, tmp_path: Path, forms: FormLibrary) -> Path:
    path = tmp_path / "klinik" / "klinik.sqlite"
    path.parent.mkdir()
    shutil.copy(template, path)
    services = open_services(f"sqlite:///{path}", forms, actor="ui-test")
    for cpr in ("070761-4285", "010190-1234", "241265-1111"):
        services.patients.add(PatientInput("Åse", "Ærø", cpr=cpr))
    services.close()
    return path


def test_damage_found_behind_the_window_is_shown_at_once_and_stops_writing(
    qtbot: QtBot, clinic: Path, forms: FormLibrary, monkeypatch: pytest.MonkeyPatch, start_main_window: StartMainWindow
) -> None:
    misdirect_index(clinic)
    services = open_services(f"sqlite:///{clinic}", forms, actor="ui-test", daily_backup=False)  # as the app opens
    try:
        window = start_main_window(show=False, greeting=False)
        shown: list[str] = []
        monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: shown.append(text))
        watcher = IntegrityWatcher(services.database)
        watcher.damaged.connect(lambda problem: app.show_damage(window, str(clinic), problem))
        with qtbot.waitSignal(watcher.damaged, timeout=60_000):
            watcher.start()
        watcher.wait()
        assert len(shown) == 1 and str(clinic) in shown[0] and "missing from index" in shown[0]
        with pytest.raises(StorageUnavailable) as caught:
            services.patients.add(PatientInput("Ny", "Patient", no_cpr=True))
        assert caught.value.reason == "corrupt"
        assert len(services.patients.recent(10)) == 3  # the clinician can still read
    finally:
        services.close()


def test_a_sound_database_gets_its_daily_backup_behind_the_window(
    qtbot: QtBot, clinic: Path, forms: FormLibrary
) -> None:
    shutil.rmtree(backup.backups_dir(clinic))
    services = open_services(f"sqlite:///{clinic}", forms, actor="ui-test", daily_backup=False)
    try:
        assert backup.list_backups(clinic) == []  # not on the critical path
        watcher = IntegrityWatcher(services.database)
        problems: list[str] = []
        watcher.damaged.connect(problems.append)
        watcher.backup_failed.connect(problems.append)
        watcher.start()
        assert watcher.wait(60_000)
        QApplication.processEvents()
        assert problems == [] and len(backup.list_backups(clinic)) == 1
    finally:
        services.close()


def test_a_zero_byte_register_beside_backups_offers_the_restore(
    clinic: Path, monkeypatch: pytest.MonkeyPatch, start_main_window: StartMainWindow
) -> None:
    [newest] = backup.list_backups(clinic)
    clinic.write_bytes(b"")
    failures: list[tuple[str, str, str]] = []
    loader = StorageLoader(str(clinic), None)
    loader.failed.connect(lambda *args: failures.append(args))
    loader.run()
    [(message, reason, file)] = failures
    assert (reason, file) == ("corrupt", str(clinic)) and "0 bytes" in message and str(newest) in message
    offered: list[Path] = []
    monkeypatch.setattr(app, "offer_restore", lambda _window, path, _message, _passphrase=None: offered.append(path))
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: None)
    monkeypatch.setattr(QApplication, "exit", lambda code: None)
    window = start_main_window(show=False, greeting=False)
    _storage_failed(window, message, reason, file, lambda: loader)
    assert offered == [clinic]
    assert clinic.read_bytes() == b""
