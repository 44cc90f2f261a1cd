"""Core fixtures: the bundled form library, loaded once per session."""

from __future__ import annotations

import pytest

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.paths import bundled_forms_dir


@pytest.fixture(scope="session")
def library() -> FormLibrary:
    loaded = FormLibrary.load([bundled_forms_dir()])
    assert loaded.errors == [], [str(e) for e in loaded.errors]
    return loaded
