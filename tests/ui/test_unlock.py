"""At start, an encrypted database without its passphrase: the app asks, says so when it is wrong, asks again,
opens with the right one; Cancel closes the app. Nothing is restored over a file that is merely locked."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from smerteagent.storage import conversion, encryption
from smerteagent.storage.services import Services
from smerteagent.ui.app import StorageLoader, _storage_failed
from smerteagent.ui.main_window import MainWindow
from smerteagent.ui.passphrase_dialog import PassphraseDialog
from tests.ui.helpers import StartMainWindow

PASSPHRASE = "sommerfugl på engen 7"


@pytest.fixture
def encrypted(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(encryption.PASSPHRASE_VARIABLE, raising=False)
    path = tmp_path / "klinik æøå.sqlite"
    shutil.copy(template, path)
    conversion.encrypt(path, PASSPHRASE)
    return path


@pytest.fixture
def window(start_main_window: StartMainWindow) -> MainWindow:
    return start_main_window(show=False, greeting=False)


class Start:
    """What ``run`` does on a failure, with the loader run on this thread; records every outcome."""

    def __init__(self, window: MainWindow, path: Path, answer: Callable[[], None]) -> None:
        self.window, self.path, self.answer = window, path, answer
        self.reasons: list[str] = []
        self.loaded: list[Services] = []

    def __call__(self, passphrase: str | None = None) -> StorageLoader:
        loader = StorageLoader(str(self.path), None, passphrase)
        loader.loaded.connect(self.loaded.append)
        loader.failed.connect(self.failed)
        return loader

    def failed(self, message: str, reason: str, file: str) -> None:
        self.reasons.append(reason)
        QTimer.singleShot(0, self.answer)  # answers the dialog once its event loop runs
        _storage_failed(self.window, message, reason, file, lambda typed=None: Synchronous(self(typed)))


class Synchronous:
    def __init__(self, loader: StorageLoader) -> None:
        self.loader = loader

    def start(self) -> None:
        self.loader.run()


def the_dialog() -> PassphraseDialog:
    [dialog] = [w for w in QApplication.topLevelWidgets() if isinstance(w, PassphraseDialog) and w.isVisible()]
    return dialog


@pytest.fixture
def closed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    codes: list[int] = []
    monkeypatch.setattr(QApplication, "exit", lambda code=0: codes.append(code))
    yield codes


def test_a_wrong_then_the_right_passphrase_opens_the_database(
    qtbot: QtBot, window: MainWindow, encrypted: Path, closed: list[int]
) -> None:  # fmt: skip
    typed = iter(["forkert adgangsfrase", PASSPHRASE])
    told_wrong: list[bool] = []

    def answer() -> None:
        dialog = the_dialog()
        told_wrong.append(dialog.problem.isVisibleTo(dialog))
        assert not dialog.ok.isEnabled()  # nothing typed yet
        qtbot.keyClicks(dialog.passphrase, next(typed))
        dialog.ok.click()

    start = Start(window, encrypted, answer)
    start().run()
    assert start.reasons == ["passphrase_needed", "wrong_passphrase"]
    assert told_wrong == [False, True]
    [services] = start.loaded
    try:
        assert services.database.encrypted and services.patients.count() == 0
    finally:
        services.close()
    assert closed == [] and not list((encrypted.parent).glob("*.damaged-*"))


def test_cancel_closes_the_app_and_changes_nothing(
    qtbot: QtBot, window: MainWindow, encrypted: Path, closed: list[int]
) -> None:  # fmt: skip
    before = encrypted.read_bytes()
    start = Start(window, encrypted, lambda: the_dialog().reject())
    start().run()
    assert start.reasons == ["passphrase_needed"] and start.loaded == [] and closed == [1]
    assert encrypted.read_bytes() == before
