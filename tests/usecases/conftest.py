"""Use-case fixtures: the services over a fresh, migrated SQLite database per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.paths import bundled_forms_dir
from smerteagent.storage.services import Services, open_services


@pytest.fixture(scope="session")
def forms() -> FormLibrary:
    return FormLibrary.load([bundled_forms_dir()])


@pytest.fixture
def services(tmp_path: Path, forms: FormLibrary) -> Iterator[Services]:
    opened = open_services(f"sqlite:///{tmp_path / 'smerteagent.sqlite'}", forms, actor="test-clinician")
    yield opened
    opened.close()
