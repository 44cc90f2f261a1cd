"""Schema migrations with Alembic, run from code on one connection, with a backup taken first.

Alembic is imported only when a migration actually runs: the revisions this program knows are listed in
``revisions`` (a test keeps the list equal to the migration scripts), so an ordinary start reads one row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from smerteagent.core.errors import StorageUnavailable
from smerteagent.storage.database import MIGRATIONS, Database, reading, storage_errors
from smerteagent.storage.revisions import HEAD, KNOWN_REVISIONS

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = ["HEAD", "KNOWN_REVISIONS", "check_schema", "head_revision", "needs_upgrade", "upgrade"]


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    return HEAD


def check_schema(database: Database) -> str | None:
    """The database's revision; refuses one this program does not know (made by a newer version)."""
    current = database.current_revision()
    if current is not None and current not in KNOWN_REVISIONS:
        raise StorageUnavailable("newer_schema", f"schema {current}, this program knows up to {HEAD}")
    return current


def check_tables(database: Database) -> None:
    """Every table and column this program maps is in the database: a file whose tables were changed behind
    its recorded schema version (another tool, a development build) is refused at opening, by name, and not
    at the first command that happens to read the missing column (nor copied into the backups as sound)."""
    from sqlalchemy import inspect

    from smerteagent.storage.models import Base

    with reading(database.engine) as connection:
        inspector = inspect(connection)
        present = set(inspector.get_table_names())
        for table in Base.metadata.sorted_tables:
            if table.name not in present:
                raise StorageUnavailable("schema_mismatch", f"table {table.name} is missing")
            columns = {column["name"] for column in inspector.get_columns(table.name)}
            missing = [column.name for column in table.columns if column.name not in columns]
            if missing:
                raise StorageUnavailable("schema_mismatch", f"{table.name}.{missing[0]} is missing")


def upgrade(database: Database, revision: str = "head") -> None:
    """Bring the schema to ``revision`` in one transaction."""
    from alembic import command

    config = alembic_config()
    with storage_errors(), database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def needs_upgrade(database: Database) -> bool:
    return check_schema(database) != HEAD


def script_revisions() -> list[str]:
    """The revisions of the migration scripts, oldest first (Alembic's own view, for the consistency test)."""
    from alembic.script import ScriptDirectory

    return [
        script.revision for script in reversed(list(ScriptDirectory.from_config(alembic_config()).walk_revisions()))
    ]
