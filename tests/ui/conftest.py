"""UI fixtures: offscreen Qt, a fresh migrated SQLite database per test, services and the main window
(``main_window``, or ``start_main_window`` for one started another way)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from smerteagent import i18n
from smerteagent.core.accounts import ADMINISTRATOR
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import Patient, PatientInput
from smerteagent.paths import bundled_forms_dir
from smerteagent.storage.database import Database
from smerteagent.storage.migrate import upgrade
from smerteagent.storage.services import Services, open_services
from smerteagent.usecases.clinic import skip_clinic_details
from tests.ui.helpers import StartMainWindow

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from smerteagent.ui.main_window import MainWindow


@pytest.fixture(scope="session")
def forms() -> FormLibrary:
    return FormLibrary.load([bundled_forms_dir()])


ADMIN_PASSWORD = "rød-kaffe-på-kanden"


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory, forms: FormLibrary) -> Path:
    """A migrated database with the clinic's first (administrator) account, 'mette'."""
    path = tmp_path_factory.mktemp("ui-template") / "template.sqlite"
    database = Database.connect(f"sqlite:///{path}")
    upgrade(database)
    database.dispose()
    services = open_services(f"sqlite:///{path}", forms, actor="ui-test")
    services.accounts.create("mette", "Mette Kjær", ADMIN_PASSWORD, ADMINISTRATOR)
    services.accounts.identity.account = services.accounts.list()[0]
    skip_clinic_details(services)  # first start's question about the clinic is behind us (test_clinic_dialog asks it)
    services.close()
    return path


@pytest.fixture(autouse=True)
def danish() -> Iterator[None]:
    """Every UI test starts in Danish, the default, and leaves it so."""
    i18n.set_language("da")
    yield
    i18n.set_language("da")


@pytest.fixture
def services(template: Path, tmp_path: Path, forms: FormLibrary) -> Iterator[Services]:
    path = tmp_path / "clinic.sqlite"
    shutil.copy(template, path)
    opened = open_services(f"sqlite:///{path}", forms, actor="ui-test")
    # Logged in as the administrator (without spending an Argon2 hash per test; tests/ui/test_login.py logs in).
    opened.accounts.identity.account = opened.accounts.list()[0]
    yield opened
    opened.close()


@pytest.fixture
def patient(services: Services) -> Patient:
    created, _ = services.patients.add(PatientInput("Søren", "Ærø", cpr="070761-4285"))
    return created


@pytest.fixture(autouse=True)
def no_unexpected_message_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A message box nobody expected would block an offscreen test until its timeout: fail at once instead,
    saying what it said. Tests that expect one patch it themselves."""
    from PySide6.QtWidgets import QMessageBox

    def unexpected(kind: str) -> object:
        def show(_parent: object, title: str, text: str, *args: object, **kwargs: object) -> object:
            raise AssertionError(f"unexpected {kind} message box: {title}: {text}")

        return show

    for kind in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, unexpected(kind))


@pytest.fixture
def start_main_window(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> StartMainWindow:
    """Starts main windows as the app does: the window first (its own AppContext), then storage handed to it.

    ``services=None`` leaves it before storage (the login page); ``show=False`` keeps it hidden. The modal
    first-start greeting and the clinic-details question are replaced by nothing (they would wait for a click);
    a test that wants to see one patches ``MainWindow.greet`` itself after this fixture.
    """
    from smerteagent.ui.context import AppContext
    from smerteagent.ui.main_window import MainWindow

    monkeypatch.setattr(MainWindow, "greet", lambda self: None)
    # The first-start question for the clinic's details is modal too (tests/ui/test_clinic_dialog.py asks it).
    monkeypatch.setattr(MainWindow, "ask_clinic_details", lambda self: None)

    def start(services: Services | None = None, *, show: bool = True, greeting: bool = True) -> MainWindow:
        window = MainWindow(AppContext(), greeting=greeting)
        qtbot.addWidget(window)
        if show:
            window.show()
        if services is not None:
            window.context.set_services(services)
        return window

    return start


@pytest.fixture
def main_window(start_main_window: StartMainWindow, services: Services) -> MainWindow:
    """The main window, shown, on the test's services, logged in as the administrator, on the patient list."""
    return start_main_window(services)
