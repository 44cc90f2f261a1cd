"""Logging in: no patient data before a login (not even the start-up preview), the first start creates the
administrator, a wrong password says so, roles decide what the menus offer, and a lock covers open dialogs
without closing them."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from smerteagent import i18n
from smerteagent.core.accounts import CLINICIAN
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import PatientInput
from smerteagent.storage.database import Database
from smerteagent.storage.migrate import upgrade
from smerteagent.storage.services import Services, open_services
from smerteagent.ui.login import FIRST_ACCOUNT, LOGIN
from tests.ui.conftest import ADMIN_PASSWORD
from tests.ui.helpers import StartMainWindow


@pytest.fixture
def fresh(tmp_path: Path, forms: FormLibrary) -> Iterator[Services]:
    """A new clinic: no accounts yet, nobody logged in."""
    database = Database.connect(f"sqlite:///{tmp_path / 'new.sqlite'}")
    upgrade(database)
    database.dispose()
    services = open_services(f"sqlite:///{tmp_path / 'new.sqlite'}", forms, actor="os-user")
    yield services
    services.close()


@pytest.fixture
def clinic(template: Path, tmp_path: Path, forms: FormLibrary) -> Iterator[Services]:
    """The clinic with Mette's administrator account and one patient, nobody logged in."""
    shutil.copy(template, tmp_path / "clinic.sqlite")
    services = open_services(f"sqlite:///{tmp_path / 'clinic.sqlite'}", forms, actor="os-user")
    services.accounts.identity.account = services.accounts.list()[0]
    services.patients.add(PatientInput("Søren", "Ærø", cpr="070761-4285"))
    services.accounts.identity.account = None
    yield services
    services.close()


def test_first_start_creates_the_administrator(
    qtbot: QtBot, fresh: Services, start_main_window: StartMainWindow
) -> None:
    window = start_main_window(fresh)
    page = window.login_page
    assert page.mode == FIRST_ACCOUNT and window.stack.currentWidget() is page
    page.display_name.setText("Åse Ærø")
    page.username.setText("aase")
    page.password.setText("lang-nok-adgangskode")
    page.repeat.setText("en-anden-adgangskode")
    page.submit()
    assert "adgangskoder" in page.message.text() and fresh.accounts.count() == 0
    page.password.setText("lang-nok-adgangskode")
    page.repeat.setText("lang-nok-adgangskode")
    page.submit()
    assert window.account is not None and window.account.is_administrator
    assert window.stack.currentWidget() is window.list_page and window.accounts_action.isEnabled()
    assert fresh.actor == "aase" and "Åse Ærø" in window.who.text()


def test_nothing_of_a_patient_shows_before_login(
    qtbot: QtBot, clinic: Services, start_main_window: StartMainWindow
) -> None:
    window = start_main_window(clinic)
    summaries = clinic.patients.recent(10, 0)
    window.open_patient(summaries[0].id)
    assert window.stack.currentWidget() is window.login_page and window.login_page.mode == LOGIN
    assert not window.find_action.isEnabled() and not window.new_action.isEnabled()
    page = window.login_page
    page.username.setText("mette")
    page.password.setText("forkert-kodeord")
    page.submit()
    assert window.account is None and "Forkert brugernavn eller adgangskode" in page.message.text()
    assert page.password.text() == ""
    page.password.setText(ADMIN_PASSWORD)
    page.submit()
    assert window.account is not None and window.stack.currentWidget() is window.list_page


def test_a_clinician_gets_no_settings_or_accounts(
    qtbot: QtBot, clinic: Services, start_main_window: StartMainWindow
) -> None:
    clinic.accounts.log_in("mette", ADMIN_PASSWORD)
    clinic.accounts.create("lars", "Lars Bæk", "lars-har-et-kodeord", CLINICIAN)
    clinic.accounts.lock()
    window = start_main_window(clinic)
    window.login_page.username.setText("lars")
    window.login_page.password.setText("lars-har-et-kodeord")
    window.login_page.submit()
    assert window.account is not None and window.account.role == CLINICIAN
    assert window.new_action.isEnabled() and window.lock_action.isEnabled()
    assert not window.settings_action.isEnabled() and not window.accounts_action.isEnabled()


def test_a_lock_covers_an_open_dialog_and_keeps_what_was_typed(
    qtbot: QtBot, services: Services, start_main_window: StartMainWindow
) -> None:
    from smerteagent.ui.lock import Curtain, UnlockDialog

    patient, _ = services.patients.add(PatientInput("Søren", "Ærø", cpr="070761-4285"))
    window = start_main_window(services)
    window.open_patient(patient.id)
    window.open_care_plan()
    editor = window.care_plan_editor
    assert editor is not None
    editor.follow_up_tab.abuse_stance.setText("Ingen tegn på misbrug")
    title = editor.windowTitle()
    window.lock()
    assert editor.isVisible(), "the editor stays open under its curtain"
    assert "Ærø" in title and "Ærø" not in editor.windowTitle(), "the title bar does not name the patient"
    assert editor.findChild(Curtain) is not None and window.findChild(Curtain) is not None
    [unlock] = window.findChildren(UnlockDialog)
    unlock.password.setText(ADMIN_PASSWORD)
    unlock.try_unlock()
    qtbot.waitUntil(lambda: editor.findChild(Curtain) is None)
    assert editor.windowTitle() == title
    assert editor.follow_up_tab.abuse_stance.text() == "Ingen tegn på misbrug"
    events = [e.action for e in services.audit.events()]
    assert events[-2:] == ["lock", "login"]


def test_the_login_page_follows_the_language(
    qtbot: QtBot, clinic: Services, start_main_window: StartMainWindow
) -> None:
    window = start_main_window(clinic)
    window.login_page.username.setText("mette")
    assert window.login_page.title.text() == "Log ind"
    i18n.set_language("en")
    window.context.language_did_change.emit("en")
    assert window.login_page.title.text() == "Log in"
    assert window.login_page.form.labelForField(window.login_page.username).text() == "User name"
    assert window.login_page.username.text() == "mette", "what was typed stays"


def test_the_login_page_and_the_unlock_dialog_both_make_a_guesser_wait(
    qtbot: QtBot, clinic: Services, start_main_window: StartMainWindow
) -> None:
    from smerteagent.core.accounts import FREE_FAILURES
    from smerteagent.ui.lock import UnlockDialog

    window = start_main_window(clinic)
    page = window.login_page
    for _ in range(FREE_FAILURES + 1):
        page.username.setText("mette")
        page.password.setText("forkert-kodeord")
        page.submit()
    assert window.account is None and "prøv igen om" in page.message.text()
    page.password.setText(ADMIN_PASSWORD)
    page.submit()  # the right password must wait too
    assert window.account is None and "prøv igen om" in page.message.text()
    clinic.accounts._clock = lambda: datetime.now() + timedelta(hours=1)
    page.password.setText(ADMIN_PASSWORD)
    page.submit()
    assert window.account is not None
    window.lock()
    [unlock] = window.findChildren(UnlockDialog)
    for _ in range(FREE_FAILURES + 1):
        unlock.password.setText("forkert-kodeord")
        unlock.try_unlock()
    assert "prøv igen om" in unlock.problem.text()
    unlock.password.setText(ADMIN_PASSWORD)
    unlock.try_unlock()
    assert "prøv igen om" in unlock.problem.text() and window.account is None
