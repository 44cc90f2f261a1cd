"""One place where a user action's failure becomes a dialog a clinician understands — never a traceback; and
work too slow for the GUI thread run beside it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from smerteagent.core.errors import ConflictError, SmerteAgentError, StorageUnavailable
from smerteagent.i18n import _

T = TypeVar("T")


def explain(error: SmerteAgentError) -> tuple[str, str]:
    """Title and text for an expected failure; storage problems get their own title."""
    if isinstance(error, StorageUnavailable):
        return _("The database cannot be used"), str(error)
    if isinstance(error, ConflictError):
        return _("Changed on another workstation"), str(error)
    return _("Could not be saved"), str(error)


def run(parent: QWidget | None, action: Callable[[], T]) -> T | None:
    """Run ``action``; on an expected failure show a dialog and return None. Bugs are not caught."""
    try:
        return action()
    except SmerteAgentError as error:
        title, text = explain(error)
        QMessageBox.warning(parent, title, text)
        return None


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
