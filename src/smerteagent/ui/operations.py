"""One place where a user action's failure becomes a dialog a clinician understands — never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

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
