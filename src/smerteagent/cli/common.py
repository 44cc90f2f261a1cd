"""What the subcommands share: loading the form library and reporting problems on stderr."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smerteagent.core.forms.loader import FormLibrary
    from smerteagent.storage.services import Services


def load_library(arguments: argparse.Namespace, *, quiet: bool = False) -> FormLibrary:
    """Bundled forms plus the user folders; broken files are reported and skipped."""
    from smerteagent.core.forms.loader import FormLibrary
    from smerteagent.paths import form_folders

    extra: Path | None = getattr(arguments, "forms_dir", None)
    library = FormLibrary.load(form_folders(extra))
    if not quiet:
        for error in library.errors:
            print(f"warning: skipped {error}", file=sys.stderr)
    return library


def fail(message: str, code: int) -> int:
    """Print a one-line message on stderr and return the exit code."""
    print(f"smerteagent: {' '.join(message.split())}", file=sys.stderr)
    return code


EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def db_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--db",
        default=default,
        metavar="URL",
        help="database URL, e.g. postgresql+psycopg://user@server/smerteagent or a SQLite file path "
        "(also SMERTEAGENT_DB_URL; default: SQLite in the user data folder)",
    )


def open_storage(arguments: argparse.Namespace, *, upgrade: bool = True) -> Services:
    """The services over the chosen database (checked, backed up and migrated)."""
    from smerteagent.storage.services import open_services

    return open_services(getattr(arguments, "db", None), load_library(arguments), upgrade=upgrade)


def storage_command(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Report the expected failures of a storage command as one clear line and an exit code."""

    def guarded(arguments: argparse.Namespace) -> int:
        from smerteagent.core.errors import SmerteAgentError
        from smerteagent.storage.database import StorageUnavailable

        try:
            return run(arguments)
        except StorageUnavailable as error:
            return fail(f"database {getattr(arguments, 'db', None) or ''}: {error}", EXIT_FAILED)
        except SmerteAgentError as error:
            return fail(str(error), EXIT_USAGE)

    return guarded
