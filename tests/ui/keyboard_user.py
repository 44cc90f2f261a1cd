"""A clinician at the keyboard: keys go where the focus is, as on a real machine, and every press is counted.

A scenario is a generator that yields what the clinician does next — ``press(...)``, ``type(...)``, or
``until(condition)`` — and ``KeyboardUser.play`` performs each from the event loop. Performing them outside
the generator matters: a key that opens a modal dialog does not return until the dialog closes, and the
keys typed into that dialog are performed from inside its event loop.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QWidget


@dataclass(frozen=True)
class Press:
    key: Qt.Key
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    times: int = 1


@dataclass(frozen=True)
class Type:
    text: str


@dataclass(frozen=True)
class Until:
    condition: Callable[[], object]
    what: str = ""


Step = Press | Type | Until
Scenario = Generator[Step, None, None]


def press(key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier, times: int = 1) -> Press:
    return Press(key, modifiers, times)


def alt(letter: str) -> Press:
    return Press(getattr(Qt.Key, f"Key_{letter.upper()}"), Qt.KeyboardModifier.AltModifier)


def ctrl(key: str | Qt.Key, shift: bool = False) -> Press:
    modifiers = Qt.KeyboardModifier.ControlModifier
    if shift:
        modifiers |= Qt.KeyboardModifier.ShiftModifier
    code = key if isinstance(key, Qt.Key) else getattr(Qt.Key, f"Key_{key.upper()}")
    return Press(code, modifiers)


SETTLING: list[bool] = []


def button_pressing() -> bool:
    """A button's shortcut or Alt letter 'animates' the click: it fires a moment later, as a user would
    see the button go down and up. The next key waits for it, as a user's next key comes after."""
    return any(button.isDown() for button in QApplication.allWidgets() if isinstance(button, QAbstractButton))


def window_manager() -> None:
    """What a desktop's window manager does and the offscreen platform does not: a modal dialog that opens
    gets the keyboard, and when the active window closes, the window below it (a modal dialog first, else
    the main window) gets it back."""
    modal = QApplication.activeModalWidget()
    if QApplication.activeWindow() is not None and (modal is None or QApplication.activeWindow() is modal):
        return
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.isWindow()]
    candidate = modal if modal is not None else next((w for w in shown if w.parent() is None), None)
    if candidate is not None:
        candidate.activateWindow()
        SETTLING.append(True)  # the scenario's next step waits until the activation has been processed
        try:
            for _ in range(5):
                QApplication.processEvents()
        finally:
            SETTLING.pop()


def focused() -> QWidget:
    """Where a keyboard's keys go: the focus widget, else the active (modal) window."""
    window_manager()
    popup = QApplication.activePopupWidget()  # an open completer or menu takes the keys first
    widget = popup or QApplication.focusWidget() or QApplication.activeModalWidget() or QApplication.activeWindow()
    assert widget is not None, "no window has the keyboard"
    return widget


@dataclass
class KeyboardUser:
    """Counts key presses (Tab, Enter, arrows, shortcuts: what the issue counts) apart from typed characters."""

    presses: int = 0
    typed: int = 0
    answer_keys: int = 0  # the digits that answer a question (counted in presses too)
    log: list[str] = field(default_factory=list)
    done: bool = False
    failure: BaseException | None = None

    def fail(self, error: BaseException) -> None:
        """End the play: modal dialogs are closed, so the event loops they run return and the test sees it."""
        self.failure = error
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.done(QDialog.DialogCode.Rejected.value)  # not reject(): that may ask about typing

    def play(self, scenario: Scenario, poll_ms: int = 5, timeout_s: float = 60) -> None:
        """Run the scenario from the event loop; ``done`` or ``failure`` tells how it ended."""
        timer_owner = QObject()
        waiting: list[Until] = []
        deadline = time.monotonic() + timeout_s

        def tick() -> None:
            if self.done or self.failure is not None:
                return
            if SETTLING or button_pressing():
                QTimer.singleShot(poll_ms, tick)
                return
            if time.monotonic() > deadline:
                what = waiting[0].what if waiting else "a step"
                self.fail(AssertionError(f"waited too long for {what}; last steps: {self.log[-5:]}"))
                return
            try:
                if waiting and not waiting[0].condition():
                    QTimer.singleShot(poll_ms, tick)
                    return
                waiting.clear()
                step = next(scenario)
            except StopIteration:
                self.done = True
                return
            except BaseException as error:  # a failed assertion inside the scenario ends the play
                self.fail(error)
                return
            if isinstance(step, Until):
                waiting.append(step)
                QTimer.singleShot(0, tick)
                return
            QTimer.singleShot(poll_ms, tick)  # before the step: a modal dialog's own loop runs the next ones
            try:
                self.perform(step)
            except BaseException as error:
                self.fail(error)

        self._owner = timer_owner
        QTimer.singleShot(0, tick)

    def perform(self, step: Press | Type) -> None:
        if isinstance(step, Type):
            for character in step.text:
                QTest.keyClicks(focused(), character)
                self.typed += 1
            self.log.append(f"type {step.text!r}")
            return
        for _ in range(step.times):
            target = focused()
            self.log.append(f"{step.key.name}+{step.modifiers} -> {type(target).__name__} {target.accessibleName()}")
            QTest.keyClick(target, step.key, step.modifiers)
            self.presses += 1
