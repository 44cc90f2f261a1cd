"""Fixtures for every test: no test reads or writes the real user's data folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_user_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point platformdirs at an empty folder and forget any SMERTEAGENT_* setting of the machine."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("SMERTEAGENT_FORMS_DIR", raising=False)
    monkeypatch.delenv("SMERTEAGENT_DB_URL", raising=False)
    yield home / "data" / "SmerteAgent"
