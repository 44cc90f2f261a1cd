"""The clinic's name, address and phone: asked after the first administrator's first login, skippable (and not
asked again), settable in Settings; a phone that is not a number is refused in words."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.storage.database import Database
from smerteagent.storage.migrate import upgrade
from smerteagent.storage.services import Services, open_services
from smerteagent.ui.clinic_dialog import ClinicDialog
from smerteagent.ui.context import AppContext
from smerteagent.ui.main_window import MainWindow
from smerteagent.ui.settings_dialog import SettingsDialog


@pytest.fixture
def fresh(tmp_path: Path, forms: FormLibrary) -> Iterator[Services]:
    database = Database.connect(f"sqlite:///{tmp_path / 'new.sqlite'}")
    upgrade(database)
    database.dispose()
    services = open_services(f"sqlite:///{tmp_path / 'new.sqlite'}", forms, actor="os-user")
    yield services
    services.close()


def first_start(qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch, answer: object) -> list[str]:
    """Create the first account through the login page; ``answer`` plays the user in the clinic dialog."""
    asked: list[str] = []

    def exec_(dialog: ClinicDialog) -> int:
        asked.append(dialog.windowTitle())
        answer(dialog)  # type: ignore[operator]
        return int(dialog.result())

    monkeypatch.setattr(ClinicDialog, "exec", exec_)
    monkeypatch.setattr(MainWindow, "greet", lambda self: None)
    context = AppContext()
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    context.set_services(services)
    page = window.login_page
    page.display_name.setText("Åse Ærø")
    page.username.setText("aase")
    page.password.setText("lang-nok-adgangskode")
    page.repeat.setText("lang-nok-adgangskode")
    page.submit()
    assert window.account is not None
    return asked


def test_the_first_start_asks_for_the_clinic_and_stores_it(
    qtbot: QtBot, fresh: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill(dialog: ClinicDialog) -> None:
        dialog.name.setText("Lægerne i Åbyhøj")
        dialog.address.setText("Åbyhøjgade 12, 8230 Åbyhøj")
        dialog.phone.setText("86-15")
        dialog.save_button.click()
        assert "cifre" in dialog.error.text()
        assert fresh.settings.load().clinic_name == "", "nothing stored while the phone is refused"
        dialog.phone.setText("+45 86 15 22 33")
        dialog.save_button.click()

    assert first_start(qtbot, fresh, monkeypatch, fill) == ["Din klinik"]
    settings = fresh.settings.load()
    assert (settings.clinic_name, settings.clinic_address, settings.clinic_phone) == (
        "Lægerne i Åbyhøj", "Åbyhøjgade 12, 8230 Åbyhøj", "+45 86 15 22 33")  # fmt: skip


def test_skipped_at_first_start_it_is_not_asked_again(
    qtbot: QtBot, fresh: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert first_start(qtbot, fresh, monkeypatch, lambda dialog: dialog.skip_button.click()) == ["Din klinik"]
    assert fresh.settings.load().clinic_details_asked and fresh.settings.load().clinic_name == ""
    window = MainWindow(AppContext())
    qtbot.addWidget(window)
    window.context.set_services(fresh)
    asked: list[int] = []
    monkeypatch.setattr(ClinicDialog, "exec", lambda dialog: asked.append(1) or 0)
    account = fresh.accounts.identity.account
    assert account is not None
    window.logged_in(account)
    assert asked == []


def test_the_phone_is_set_in_settings_and_refused_in_words(qtbot: QtBot, services: Services) -> None:
    context = AppContext()
    context.set_services(services)
    dialog = SettingsDialog(context)
    qtbot.addWidget(dialog)
    dialog.clinic_phone.setText("ring til Jens")
    dialog.save()
    assert "cifre" in dialog.error.text() and services.settings.load().clinic_phone == ""
    dialog.clinic_phone.setText("86 15 22 33")
    dialog.save()
    assert services.settings.load().clinic_phone == "86 15 22 33"
    services.settings.save(replace(services.settings.load(), clinic_phone="+45 70 10 20 30"))
    again = SettingsDialog(context)
    qtbot.addWidget(again)
    assert again.clinic_phone.text() == "+45 70 10 20 30"
