"""One place where a user action's failure becomes a dialog a clinician understands — never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtWidgets import QMessageBox, QWidget

from smerteagent.core.errors import ConflictError, SmerteAgentError, StorageUnavailable
from smerteagent.i18n import _

T = TypeVar("T")
D = TypeVar("D")


def explain(error: SmerteAgentError) -> tuple[str, str]:
    """Title and text for an expected failure; storage problems get their own title."""
    if isinstance(error, StorageUnavailable):
        return _("The database cannot be used"), str(error)
    if isinstance(error, ConflictError):
        return _("Changed on another workstation"), str(error)
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
