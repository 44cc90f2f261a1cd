"""Help → Keyboard shortcuts lists keys that really exist, in Danish."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from smerteagent.ui.shortcuts_dialog import SHORTCUTS, ShortcutsDialog
from tests.ui.helpers import StartMainWindow


def test_the_listed_menu_shortcuts_are_the_menus_own(qtbot: QtBot, start_main_window: StartMainWindow) -> None:
    window = start_main_window(show=False, greeting=False)
    bound = {action.shortcut().toString() for action in window.menu_actions}
    for keys in ("Ctrl+F", "Ctrl+N", "Ctrl+L", "Ctrl+Shift+P", "Ctrl+,"):
        assert keys in bound and any(k == keys for k, _meaning in SHORTCUTS), keys
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    texts = [dialog.table.item(row, 1).text() for row in range(dialog.table.rowCount())]
    assert "Lås (arbejdet forbliver åbent; din adgangskode låser op)" in texts
