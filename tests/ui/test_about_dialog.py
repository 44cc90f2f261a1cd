"""Help → About: the version from its one home, the licence, and the notice on questionnaire wording, in Danish."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from smerteagent import __version__, i18n
from smerteagent.ui.about_dialog import AboutDialog
from smerteagent.ui.main_window import MainWindow


@pytest.fixture
def window(main_window: MainWindow) -> Iterator[MainWindow]:
    yield main_window


def test_help_menu_opens_about_with_version_licence_and_wording_notice(qtbot: QtBot, window: MainWindow) -> None:
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus[-1] == "&Hjælp"
    window.about_action.trigger()
    dialog = window.findChild(AboutDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "Om SmerteAgent"
    text = dialog.text.text()
    assert f"Version {__version__}" in text
    assert "GPL-3.0-or-later" in text
    assert "Ordlyden i andres spørgeskemaer er undtaget fra denne licens" in text
    assert not dialog.icon.pixmap().isNull()  # the icon is found in the resources
    dialog.reject()
    qtbot.waitUntil(lambda: window.findChild(AboutDialog) is None)


def test_about_speaks_english_when_asked(qtbot: QtBot) -> None:
    i18n.set_language("en")
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "About SmerteAgent"
    assert "The wording of third-party questionnaires is excluded from that licence" in dialog.text.text()
