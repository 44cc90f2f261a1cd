"""Storage fixtures: every test gets a fresh, migrated database — SQLite and, where a server is
configured (SMERTEAGENT_TEST_PG_URL, set by .ci/run), PostgreSQL."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.paths import bundled_forms_dir
from smerteagent.storage.database import Database
from smerteagent.storage.migrate import upgrade
from smerteagent.storage.services import Services, open_services

PG_VARIABLE = "SMERTEAGENT_TEST_PG_URL"
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def forms() -> FormLibrary:
    return FormLibrary.load([bundled_forms_dir()])


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    database = Database.connect(f"sqlite:///{path}")
    upgrade(database)
    database.dispose()
    return path


def pg_server_url() -> str | None:
    url = os.environ.get(PG_VARIABLE)
    if not url and os.environ.get("CI"):
        raise RuntimeError(f"CI must provide a PostgreSQL server in {PG_VARIABLE} (see .ci/run)")
    return url


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    url = pg_server_url()
    if not url:
        pytest.skip(f"no PostgreSQL server configured ({PG_VARIABLE})")
    name = f"smerteagent_template_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    template_url = make_url(url).set(database=name).render_as_string(hide_password=False)
    database = Database.connect(template_url)
    upgrade(database)
    database.dispose()
    yield name
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh migrated database of each backend."""
    if request.param == "sqlite":
        path = tmp_path / "smerteagent.sqlite"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("pg_template")
    server = pg_server_url()
    assert server is not None
    name = f"smerteagent_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield make_url(server).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def services(database_url: str, forms: FormLibrary) -> Iterator[Services]:
    opened = open_services(database_url, forms, actor="test-clinician")
    yield opened
    opened.close()
