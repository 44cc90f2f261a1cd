"""``smerteagent db create | encrypt | decrypt | rekey``: encryption at rest, the administrator's tasks.

The passphrase comes from ``--passphrase-file`` or SMERTEAGENT_DB_PASSPHRASE, else (for a new one) it is
asked twice on the terminal; it is never an argument, so it stays out of the shell history.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from smerteagent.cli.common import EXIT_OK, EXIT_USAGE, fail, storage_command

LEFTOVERS = ("Deleted files may still be recoverable from an SSD or a file-system snapshot: keep the disk itself "
             "encrypted (BitLocker, FileVault, LUKS); see docs/security.md.")  # fmt: skip


def register(actions: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    create = actions.add_parser("create", help="create a new SQLite database (encrypted when a passphrase is given)")
    create.add_argument("--encrypted", action="store_true", help="refuse to create it without a passphrase")
    add_common(create)
    create.set_defaults(handler=storage_command(run_create))
    encrypt = actions.add_parser("encrypt", help="encrypt a plain SQLite database in place (SQLCipher)")
    encrypt.add_argument("--keep-plain-backups", action="store_true",
                         help="do not delete the plain backups (they hold the data in clear)")  # fmt: skip
    add_common(encrypt)
    encrypt.set_defaults(handler=storage_command(run_encrypt))
    decrypt = actions.add_parser("decrypt", help="store an encrypted SQLite database in clear again")
    add_common(decrypt)
    decrypt.set_defaults(handler=storage_command(run_decrypt))
    rekey = actions.add_parser("rekey", help="change the passphrase of an encrypted database and its backups")
    rekey.add_argument(
        "--new-passphrase-file", type=Path, metavar="FILE",
        help="the new passphrase: the first line of FILE (else asked twice on the terminal)",
    )  # fmt: skip
    add_common(rekey)
    rekey.set_defaults(handler=storage_command(run_rekey))


def sqlite_file_of(arguments: argparse.Namespace) -> Path | None:
    """The SQLite file of ``--db`` (or the default), without opening it; None for a server."""
    from sqlalchemy.engine import make_url

    from smerteagent.usecases.location import resolve_url

    url = make_url(resolve_url(getattr(arguments, "db", None)))
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(str(url.database).removeprefix("file:").split("?")[0])


def _file(arguments: argparse.Namespace) -> Path | None:
    path = sqlite_file_of(arguments)
    if path is None:
        fail("encryption at rest here is for SQLite files; a PostgreSQL server is protected on the server "
             "(TLS, disk encryption): see docs/security.md", EXIT_USAGE)  # fmt: skip
    return path


def _passphrase(arguments: argparse.Namespace) -> str | None:
    from smerteagent.cli.passphrase import given_passphrase
    from smerteagent.usecases.maintenance import resolve_passphrase

    return resolve_passphrase(given_passphrase(arguments))


def _new_passphrase(arguments: argparse.Namespace) -> str:
    from smerteagent.cli.passphrase import ask_new_passphrase
    from smerteagent.usecases.maintenance import check_new_passphrase

    return check_new_passphrase(_passphrase(arguments) or ask_new_passphrase("passphrase for the database"))


def run_create(arguments: argparse.Namespace) -> int:
    from smerteagent.usecases.maintenance import check_new_passphrase, is_new
    from smerteagent.usecases.services import Database, prepare

    path = _file(arguments)
    if path is None:
        return EXIT_USAGE
    if not is_new(path):
        return fail(f"{path} exists already; nothing was changed", EXIT_USAGE)
    passphrase = _new_passphrase(arguments) if arguments.encrypted else _passphrase(arguments)
    if passphrase is not None:
        check_new_passphrase(passphrase)
    database = Database.connect(str(path), passphrase=passphrase)
    try:
        prepare(database)
    finally:
        database.dispose()
    print(f"created {path} ({'encrypted' if database.encrypted else 'not encrypted'})")
    return EXIT_OK


def run_encrypt(arguments: argparse.Namespace) -> int:
    from smerteagent.usecases import maintenance

    path = _file(arguments)
    if path is None:
        return EXIT_USAGE
    if not path.is_file():
        return fail(f"no database file at {path}", EXIT_USAGE)
    result = maintenance.encrypt(path, _new_passphrase(arguments), keep_plain_backups=arguments.keep_plain_backups)
    print(f"encrypted {path} ({result.rows} rows copied and checked)")
    print(f"encrypted backup: {result.backup}")
    for removed in result.removed:
        print(f"deleted plain backup: {removed}")
    for kept in result.kept:
        print(f"warning: plain backup kept, it holds the data in clear: {kept}")
    print(LEFTOVERS)
    return EXIT_OK


def run_decrypt(arguments: argparse.Namespace) -> int:
    from smerteagent.usecases import maintenance

    path, passphrase = _file(arguments), _passphrase(arguments)
    if path is None:
        return EXIT_USAGE
    if passphrase is None:
        return fail("give the current passphrase (--passphrase-file or SMERTEAGENT_DB_PASSPHRASE)", EXIT_USAGE)
    result = maintenance.decrypt(path, passphrase)
    print(f"decrypted {path} ({result.rows} rows copied and checked); it now holds the data in clear")
    print(f"plain backup: {result.backup}")
    return EXIT_OK


def run_rekey(arguments: argparse.Namespace) -> int:
    from smerteagent.cli.passphrase import ask_new_passphrase, read_passphrase_file
    from smerteagent.usecases import maintenance

    path, passphrase = _file(arguments), _passphrase(arguments)
    if path is None:
        return EXIT_USAGE
    if passphrase is None:
        return fail("give the current passphrase (--passphrase-file or SMERTEAGENT_DB_PASSPHRASE)", EXIT_USAGE)
    new_file: Path | None = arguments.new_passphrase_file
    new = (read_passphrase_file(new_file, "--new-passphrase-file") if new_file is not None
           else ask_new_passphrase("new passphrase"))  # fmt: skip
    if new == passphrase:
        return fail("the new passphrase is the current one; nothing was changed", EXIT_USAGE)
    result = maintenance.rekey(path, passphrase, new)
    print(f"new passphrase set for {path}")
    for done in result.rekeyed:
        print(f"backup re-keyed: {done}")
    for kept in result.kept:
        print(f"warning: backup left as it was (plain, or another passphrase): {kept}")
    return EXIT_OK
