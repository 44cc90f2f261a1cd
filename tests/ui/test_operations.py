"""operations.attempt tells a failure from an action that succeeded and returned None."""

from __future__ import annotations

import pytest

from smerteagent.core.errors import ConflictError, SmerteAgentError
from smerteagent.ui import operations


def failing() -> None:
    raise ConflictError("patient", 7)


def test_an_action_that_returns_none_succeeded(monkeypatch: pytest.MonkeyPatch) -> None:
    outcome = operations.attempt(None, lambda: None)
    assert outcome.succeeded and not outcome.failed
    assert outcome.value is None and outcome.value_or("fallback") is None


def test_a_failure_is_shown_once_and_says_it_failed(monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(operations.QMessageBox, "warning", lambda _parent, title, text: shown.append((title, text)))
    outcome = operations.attempt(None, failing)
    assert outcome.failed and not outcome.succeeded and isinstance(outcome.error, ConflictError)
    assert shown == [operations.explain(outcome.error)]
    assert outcome.value_or([]) == []
    with pytest.raises(RuntimeError):
        outcome.value  # noqa: B018 - reading a failed action's value is a bug, never a silent None


def test_a_value_comes_back_and_bugs_are_not_caught() -> None:
    assert operations.attempt(None, lambda: 42).value == 42
    with pytest.raises(ZeroDivisionError):
        operations.attempt(None, lambda: 1 / 0)
    assert not issubclass(ZeroDivisionError, SmerteAgentError)


def test_the_older_run_still_means_none_after_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(operations.QMessageBox, "warning", lambda *_arguments: None)
    assert operations.run(None, failing) is None
    assert operations.run(None, lambda: 42) == 42
