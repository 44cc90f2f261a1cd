"""Schema migrations with Alembic, run from code on one connection, with a backup taken first."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from smerteagent.storage.database import MIGRATIONS, Database, StorageUnavailable, storage_errors


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    return {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def check_schema(database: Database) -> str | None:
    """The database's revision; refuses one this program does not know (made by a newer version)."""
    current = database.current_revision()
    if current is not None and current not in known_revisions():
        raise StorageUnavailable("newer_schema", f"schema {current}, this program knows up to {head_revision()}")
    return current


def upgrade(database: Database, revision: str = "head") -> None:
    """Bring the schema to ``revision`` in one transaction."""
    config = alembic_config()
    with storage_errors(), database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def needs_upgrade(database: Database) -> bool:
    return check_schema(database) != head_revision()


def migration_files() -> list[Path]:
    return sorted((MIGRATIONS / "versions").glob("*.py"))
