"""One place where a user action's failure becomes a dialog a clinician understands — never a traceback; and
work too slow for the GUI thread run beside it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from smerteagent.core.errors import ConflictError, SmerteAgentError, StorageUnavailable
from smerteagent.i18n import _
from smerteagent.private_files import OutputError

T = TypeVar("T")
D = TypeVar("D")


def explain(error: SmerteAgentError) -> tuple[str, str]:
    """Title and text for an expected failure; storage problems get their own title."""
    if isinstance(error, StorageUnavailable):
        return _("The database cannot be used"), str(error)
    if isinstance(error, ConflictError):
        return _("Changed on another workstation"), str(error)
    if isinstance(error, OutputError):
        text = _("{file} could not be written: {problem}").format(file=error.path, problem=error.problem)
        return _("Not saved"), text
    return _("Could not be saved"), str(error)


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a user action came to: its value (which may be None), or the failure already shown to the user."""

    result: T | None = None
    error: SmerteAgentError | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None

    @property
    def succeeded(self) -> bool:
        return self.error is None

    @property
    def value(self) -> T:
        """The action's return value; asking for it after a failure is a bug, not a None."""
        if self.error is not None:
            raise RuntimeError(f"the action failed ({self.error}); check Outcome.failed first")
        return self.result  # type: ignore[return-value]  # T itself may include None

    def value_or(self, default: D) -> T | D:
        """The value, or ``default`` after a failure (already shown to the user)."""
        return default if self.error is not None else self.value


def attempt(parent: QWidget | None, action: Callable[[], T]) -> Outcome[T]:
    """Run ``action``; an expected failure is shown in a dialog and comes back as a failed Outcome, distinct
    from an action that succeeded and returned None. Bugs are not caught."""
    try:
        return Outcome(action())
    except SmerteAgentError as error:
        title, text = explain(error)
        QMessageBox.warning(parent, title, text)
        return Outcome(error=error)


def run(parent: QWidget | None, action: Callable[[], T]) -> T | None:
    """The older form of :func:`attempt`: None both after a failure (shown) and for an action that returned
    None. Kept only so that code written against it keeps its meaning; new code calls ``attempt``."""
    return attempt(parent, action).value_or(None)


class Worker(QThread):
    """``work`` on its own thread; ``succeeded`` (the result) or ``failed`` (the exception) back on the GUI
    thread. The work must not touch widgets."""

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Callable[[], object]) -> None:
        super().__init__()
        self.work = work

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as error:  # handed to the GUI thread: explained there, or raised there if a bug
            self.failed.emit(error)
            return
        self.succeeded.emit(result)


def in_background(parent: QWidget, work: Callable[[], T], done: Callable[[T], None],
                  finished: Callable[[], None] | None = None) -> Worker:  # fmt: skip
    """Run ``work`` off the GUI thread; ``done(result)`` on the GUI thread when it succeeds. An expected
    failure becomes a dialog (as :func:`run`); a bug is raised on the GUI thread, not lost in the worker.
    ``finished`` runs on the GUI thread either way (to end a busy indicator). The caller keeps the worker
    and waits for it before it goes away."""
    worker = Worker(work)

    def failed(error: object) -> None:
        if finished is not None:
            finished()
        if isinstance(error, SmerteAgentError):
            title, text = explain(error)
            QMessageBox.warning(parent, title, text)
            return
        assert isinstance(error, BaseException)
        raise error

    def succeeded(result: object) -> None:
        if finished is not None:
            finished()
        done(result)  # type: ignore[arg-type]

    worker.succeeded.connect(succeeded)
    worker.failed.connect(failed)
    worker.start()
    return worker
