"""``smerteagent db``: check, back up, restore and upgrade the database; create, encrypt, decrypt, rekey."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from smerteagent.cli import db_encryption
from smerteagent.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, fail, storage_command


def register(commands: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    db = commands.add_parser("db", help="check, back up, restore and upgrade the database")
    actions = db.add_subparsers(title="actions", dest="action", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="full integrity and schema check; exit 1 on a problem")
    add_common(check)
    check.set_defaults(handler=storage_command(run_check))
    backup = actions.add_parser("backup", help="copy the SQLite database (online, consistent)")
    backup.add_argument("--to", type=Path, metavar="FILE", help="where to write (default: the backups folder)")
    add_common(backup)
    backup.set_defaults(handler=storage_command(run_backup))
    backups = actions.add_parser("backups", help="list the backups, newest first")
    add_common(backups)
    backups.set_defaults(handler=storage_command(run_backups))
    restore = actions.add_parser("restore", help="replace the database with a backup (the current file is kept)")
    restore.add_argument("backup", type=Path, metavar="BACKUP")
    add_common(restore)
    restore.set_defaults(handler=storage_command(run_restore))
    upgrade = actions.add_parser("upgrade", help="back up, then migrate the schema to this version")
    add_common(upgrade)
    upgrade.set_defaults(handler=storage_command(run_upgrade))
    db_encryption.register(actions, add_common)


def _database(arguments: argparse.Namespace, *, create: bool = False) -> Any:
    """The chosen database; a missing SQLite file is reported, not created, unless ``create``."""
    from smerteagent.cli.passphrase import given_passphrase
    from smerteagent.usecases.services import Database

    return Database.connect(getattr(arguments, "db", None), create=create, passphrase=given_passphrase(arguments))


SERVER_BACKUPS = ("backups of a PostgreSQL database are made with the server's own tools (pg_dump); "
                  "see docs/database.md")  # fmt: skip


def _sqlite_file(database: Any) -> Path | None:
    path = database.sqlite_path
    if path is None:
        fail(SERVER_BACKUPS, EXIT_FAILED)
    return path  # type: ignore[no-any-return]


def run_check(arguments: argparse.Namespace) -> int:
    from smerteagent.usecases import maintenance
    from smerteagent.usecases.integrity import check

    database = _database(arguments)
    try:
        problems = check(database).problems
        if problems:
            for problem in problems[:20]:
                print(f"damaged: {problem}")
            return fail(f"{database.display_name} is damaged; restore a backup: smerteagent db restore BACKUP", 1)
        revision = maintenance.check_schema(database)
    finally:
        database.dispose()
    state = "current" if revision == maintenance.head_revision() else f"needs upgrade to {maintenance.head_revision()}"
    encrypted = ", encrypted" if database.encrypted else (", not encrypted" if database.is_sqlite else "")
    print(f"ok: {database.display_name} (schema {revision or 'empty'}, {state}{encrypted})")
    return EXIT_OK


def _with_sqlite_file(arguments: argparse.Namespace, action: Callable[[Path, str | None], None]) -> int:
    """Run ``action`` on the SQLite file of an existing database (backups are SQLite's) and its passphrase."""
    database = _database(arguments)
    database.dispose()
    path = _sqlite_file(database)
    if path is None:
        return EXIT_FAILED
    action(path, database.passphrase)
    return EXIT_OK


def run_backup(arguments: argparse.Namespace) -> int:
    from smerteagent.usecases import maintenance

    return _with_sqlite_file(
        arguments, lambda path, key: print(maintenance.backup(path, "manual", arguments.to, passphrase=key))
    )


def run_backups(arguments: argparse.Namespace) -> int:
    from smerteagent.usecases import maintenance

    def show(path: Path, _passphrase: str | None) -> None:
        for item in maintenance.list_backups(path):
            print(item)

    return _with_sqlite_file(arguments, show)


def run_restore(arguments: argparse.Namespace) -> int:
    from smerteagent.usecases import maintenance

    source: Path = arguments.backup
    if not source.is_file():
        return fail(f"no backup file at {source}", EXIT_USAGE)
    from smerteagent.cli.passphrase import given_passphrase

    passphrase = given_passphrase(arguments)
    problems = ["the file is empty"] if source.stat().st_size == 0 else maintenance.check_file(source, passphrase)
    if problems:
        return fail(f"the backup {source} is damaged ({problems[0]}); the database was not changed", EXIT_FAILED)
    path = _target_file(arguments)
    if path is None:
        return EXIT_FAILED
    kept = maintenance.restore(path, source, passphrase=passphrase)
    print(f"restored {path} from {source}")
    if kept is not None:
        print(f"the replaced database was kept as {kept}")
    return EXIT_OK


def _target_file(arguments: argparse.Namespace) -> Path | None:
    """The SQLite file a restore writes (made on a new machine), without opening what is there now:
    a damaged or differently keyed file is what a restore replaces."""
    path = db_encryption.sqlite_file_of(arguments)
    if path is None:
        fail(SERVER_BACKUPS, EXIT_FAILED)
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def run_upgrade(arguments: argparse.Namespace) -> int:
    from smerteagent.usecases import maintenance
    from smerteagent.usecases.services import prepare

    database = _database(arguments, create=True)  # as the app's first start does
    try:
        before = maintenance.check_schema(database)
        taken = prepare(database, upgrade=True)
    finally:
        database.dispose()
    if taken is not None:
        print(f"backup: {taken}")
    print(f"schema {before or 'empty'} -> {maintenance.head_revision()}")
    return EXIT_OK
