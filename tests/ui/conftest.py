"""UI fixtures: offscreen Qt, a fresh migrated SQLite database per test, services and the main window."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

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
