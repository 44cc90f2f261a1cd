"""What the subcommands share: loading the form library and reporting problems on stderr."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from smerteagent.cli.errors import EXIT_FAILED as EXIT_FAILED
from smerteagent.cli.errors import EXIT_OK as EXIT_OK
from smerteagent.cli.errors import EXIT_USAGE as EXIT_USAGE
from smerteagent.cli.errors import InputError as InputError
from smerteagent.core.errors import SmerteAgentError

if TYPE_CHECKING:
    from smerteagent.core.forms.loader import FormLibrary
    from smerteagent.usecases.services import Services

# scheme://user:secret@host — the secret runs to the last @ of the address, as SQLAlchemy reads it.
_PASSWORD = re.compile(r"((?:[A-Za-z][\w+.-]*)?://[^:/@\s]*):\S*@")


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


def hide_passwords(text: str) -> str:
    """``scheme://user:secret@host`` becomes ``scheme://user:***@host`` wherever it appears in ``text``."""
    return _PASSWORD.sub(r"\1:***@", text)


def database_label(url: str | None) -> str:
    """The database a command means (``--db``, else SMERTEAGENT_DB_URL, else the default), safe to print."""
    from smerteagent.usecases.location import resolve_url

    resolved = resolve_url(url)
    return resolved.removeprefix("sqlite:///") if resolved.startswith("sqlite:///") else hide_passwords(resolved)


@contextmanager
def open_services_for(arguments: argparse.Namespace, *, upgrade: bool = True) -> Iterator[Services]:
    """The services over the chosen database (checked, backed up and migrated), closed when the block ends:
    the one way every command opens storage (its failures are reported by :func:`storage_command`)."""
    from smerteagent.cli.passphrase import given_passphrase
    from smerteagent.usecases.services import open_services

    services = open_services(getattr(arguments, "db", None), load_library(arguments), upgrade=upgrade,
                             passphrase=given_passphrase(arguments),
                             audit_key_file=getattr(arguments, "audit_key_file", None))  # fmt: skip
    try:
        yield services
    finally:
        services.close()


def storage_command(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Report the expected failures of a storage command as one clear line and an exit code."""

    def guarded(arguments: argparse.Namespace) -> int:
        from smerteagent.core.errors import StorageUnavailable

        try:
            return run(arguments)
        except StorageUnavailable as error:
            where = database_label(getattr(arguments, "db", None))
            return fail(hide_passwords(f"database {where}: {error}"), EXIT_FAILED)
        except InputError as error:
            return fail(hide_passwords(str(error)), error.exit_code)
        except SmerteAgentError as error:
            return fail(hide_passwords(str(error)), EXIT_USAGE)

    return guarded
