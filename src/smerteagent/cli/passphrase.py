"""The database passphrase on the command line: from a file or the environment, never from an argument.

An argument would stay in the shell history and be visible to every user in the process list; a file
(readable by its owner only) or SMERTEAGENT_DB_PASSPHRASE is read at run time and kept in memory only.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from smerteagent.cli.errors import InputError


def read_passphrase_file(path: Path, option: str = "--passphrase-file") -> str:
    """The passphrase in ``path``: its first line, without the line break."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{option} {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{option} {path}: cannot be read ({error})") from None
    passphrase = text.splitlines()[0] if text else ""
    if not passphrase:
        raise InputError(f"{option} {path}: the first line is empty")
    return passphrase


def given_passphrase(arguments: argparse.Namespace) -> str | None:
    """``--passphrase-file``, when given; the storage layer falls back to SMERTEAGENT_DB_PASSPHRASE."""
    path: Path | None = getattr(arguments, "passphrase_file", None)
    return read_passphrase_file(path) if path is not None else None


def ask_new_passphrase(what: str) -> str:
    """Ask twice on a terminal; elsewhere there is no one to ask."""
    if not sys.stdin.isatty():
        raise InputError(f"{what}: give it in a file (--new-passphrase-file / --passphrase-file) or SMERTEAGENT_"
                         "DB_PASSPHRASE; there is no terminal to ask on")  # fmt: skip
    first = getpass.getpass(f"{what}: ")
    if getpass.getpass(f"{what} (again): ") != first:
        raise InputError(f"{what}: the two entries differ; nothing was changed")
    return first
