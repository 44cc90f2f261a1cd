"""What the app says when its database cannot be used: the problem and which database, never a traceback."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from smerteagent.i18n import _
from smerteagent.ui.app import StorageLoader, _storage_failed
from tests.ui.helpers import StartMainWindow


def newer_schema(path: Path) -> None:
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.close()  # the last connection folds the journal into the file


def truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:8192])


@pytest.mark.parametrize(
    ("damage", "reason", "problem"),
    [
        (newer_schema, "newer_schema", "the database was made by a newer SmerteAgent; update the program"),
        (truncated, "corrupt", "the database file is damaged; restore a backup (smerteagent db restore)"),
    ],
)
def test_the_message_names_the_problem_and_the_file(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: object, reason: str, problem: str,
    start_main_window: StartMainWindow,
) -> None:  # fmt: skip
    path = tmp_path / "klinik æøå.sqlite"
    shutil.copy(template, path)
    damage(path)  # type: ignore[operator]
    before = path.read_bytes()
    failures: list[tuple[str, str, str]] = []
    loader = StorageLoader(str(path), None)
    loader.failed.connect(lambda *args: failures.append(args))
    loader.run()  # on this thread: the same code the app runs on its worker
    [(message, got_reason, file)] = failures
    assert (got_reason, file) == (reason, str(path))
    assert _(problem) in message and f"{path}" in message
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: shown.append(text))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)  # a damaged file first offers a restore: declined
    monkeypatch.setattr(QApplication, "exit", lambda code: None)
    window = start_main_window(show=False, greeting=False)
    _storage_failed(window, message, got_reason, file, lambda: loader)
    assert shown == [message]
    assert path.read_bytes() == before


def test_an_unreachable_server_is_named_without_its_password(qtbot: QtBot) -> None:
    failures: list[tuple[str, str, str]] = []
    loader = StorageLoader("postgresql+psycopg://klinik:hemmeligt@127.0.0.1:1/smerteagent", None)
    loader.failed.connect(lambda *args: failures.append(args))
    loader.run()
    [(message, reason, file)] = failures
    assert (reason, file) == ("unreachable", "")
    assert "postgresql+psycopg://klinik:***@127.0.0.1:1/smerteagent" in message and "hemmeligt" not in message
