"""Keyboard helpers for UI tests: every key press is counted, as the consultation's speed depends on it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from smerteagent.ui.screening_view import ScreeningView

if TYPE_CHECKING:
    from smerteagent.storage.services import Services
    from smerteagent.ui.main_window import MainWindow


class StartMainWindow(Protocol):
    """The ``start_main_window`` fixture (tests/ui/conftest.py)."""

    def __call__(self, services: Services | None = None, *, show: bool = True, greeting: bool = True) -> MainWindow: ...


@dataclass
class Keyboard:
    """Sends keys where a user's keyboard would: the answer field when it is shown, else the view."""

    view: ScreeningView
    presses: int = 0

    def target(self) -> object:
        return self.view.entry if self.view.entry.isVisible() else self.view

    def key(self, key: Qt.Key) -> None:
        QTest.keyClick(self.target(), key)  # type: ignore[arg-type]
        self.presses += 1

    def digit(self, value: int) -> None:
        self.key(getattr(Qt.Key, f"Key_{value}"))

    def type(self, text: str) -> None:
        for character in text:
            QTest.keyClicks(self.target(), character)  # type: ignore[arg-type]
            self.presses += 1

    def enter(self) -> None:
        self.key(Qt.Key.Key_Return)


def add_editor(qtbot: object, editor: object) -> None:
    """Register a care-plan editor with qtbot so that the test's end closes it without the unsaved-changes
    question (the question itself is tested in test_careplan_editor.py)."""

    def forget_changes(dialog: object) -> None:
        dialog.shown_at_save = dialog.plan(strict=False)  # type: ignore[attr-defined]

    qtbot.addWidget(editor, before_close_func=forget_changes)  # type: ignore[attr-defined]


def alt_letters(root: object) -> list[tuple[str, str]]:
    """Every Alt letter a user can press in ``root``'s window: (letter, text) for buttons and check boxes,
    labels with a buddy, tabs and the menu bar."""
    from PySide6.QtWidgets import QAbstractButton, QLabel, QMainWindow, QTabWidget

    def letter(text: str) -> str:
        plain = text.replace("&&", "")
        index = plain.find("&")
        return plain[index + 1].lower() if 0 <= index < len(plain) - 1 else ""

    texts = [b.text() for b in root.findChildren(QAbstractButton) if b.isVisibleTo(root)]  # type: ignore[attr-defined]
    texts += [label.text() for label in root.findChildren(QLabel) if label.buddy() is not None]  # type: ignore[attr-defined]
    for tabs in root.findChildren(QTabWidget):  # type: ignore[attr-defined]
        texts += [tabs.tabText(index) for index in range(tabs.count())]
    if isinstance(root, QMainWindow):
        texts += [action.text() for action in root.menuBar().actions()]
    return [(letter(text), text) for text in texts if letter(text)]
