"""``smerteagent accounts list|add|set-password|deactivate``: the clinic's accounts from the command line.

The way back in when the last administrator's password is forgotten. The command line has no login: it
acts as the operating-system user (``os:<name>`` in the audit trail) who can reach the database file — and,
when it is encrypted, knows its passphrase — which is as much as an administrator may do. Passwords come
from a file or the terminal, never from an argument (shell history, process list).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from smerteagent.cli.common import EXIT_OK, EXIT_USAGE, InputError, fail, open_services_for, storage_command


def register(commands: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    accounts = commands.add_parser("accounts", help="the clinic's clinician accounts")
    actions = accounts.add_subparsers(title="actions", dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="user names, names, roles, active or not")
    listing.add_argument("--json", action="store_true")
    add_common(listing)
    listing.set_defaults(handler=storage_command(run_list))
    add = actions.add_parser("add", help="a new account (the first one is always the administrator)")
    add.add_argument("--username", required=True)
    add.add_argument("--name", required=True, help="the clinician's name as shown")
    add.add_argument("--role", choices=("clinician", "administrator"), default="clinician")
    add.add_argument("--password-file", type=Path, help="first line is the password (default: ask)")
    add_common(add)
    add.set_defaults(handler=storage_command(run_add))
    password = actions.add_parser("set-password", help="a new password for an account (e.g. a forgotten one)")
    password.add_argument("--username", required=True)
    password.add_argument("--password-file", type=Path, help="first line is the password (default: ask)")
    add_common(password)
    password.set_defaults(handler=storage_command(run_set_password))
    deactivate = actions.add_parser("deactivate", help="the account can no longer log in (it is never deleted)")
    deactivate.add_argument("--username", required=True)
    add_common(deactivate)
    deactivate.set_defaults(handler=storage_command(run_deactivate))


def _password(arguments: argparse.Namespace) -> str:
    path: Path | None = arguments.password_file
    if path is not None:
        from smerteagent.cli.passphrase import read_passphrase_file

        return read_passphrase_file(path, "--password-file")
    if not sys.stdin.isatty():
        raise InputError("give the password in a file (--password-file); there is no terminal to ask on")
    first, second = getpass.getpass("Password: "), getpass.getpass("Password again: ")
    if first != second:
        raise InputError("the two passwords differ")
    return first


def _find(services: Any, username: str) -> Any:
    found = [a for a in services.accounts.list() if a.username.casefold() == username.strip().casefold()]
    if not found:
        raise InputError(f"no account {username!r}")
    return found[0]


def run_list(arguments: argparse.Namespace) -> int:
    with open_services_for(arguments) as services:
        accounts = services.accounts.list()
    if arguments.json:
        print(json.dumps([a.__dict__ for a in accounts], ensure_ascii=False, indent=1))
    for account in accounts if not arguments.json else ():
        print(f"{account.username:<20} {account.role:<14} {'active' if account.active else 'inactive':<9} "
              f"{account.display_name}")  # fmt: skip
    return EXIT_OK


def run_add(arguments: argparse.Namespace) -> int:
    password = _password(arguments)
    with open_services_for(arguments) as services:
        account = services.accounts.create(arguments.username, arguments.name, password, arguments.role)
    print(f"added {account.username} ({account.role})")
    return EXIT_OK


def run_set_password(arguments: argparse.Namespace) -> int:
    password = _password(arguments)
    with open_services_for(arguments) as services:
        services.accounts.set_password(_find(services, arguments.username).id, password)
    print(f"password set for {arguments.username}")
    return EXIT_OK


def run_deactivate(arguments: argparse.Namespace) -> int:
    with open_services_for(arguments) as services:
        account = _find(services, arguments.username)
        if not account.active:
            return fail(f"{account.username} is already inactive", EXIT_USAGE)
        services.accounts.update(account.id, active=False)
    print(f"deactivated {arguments.username}")
    return EXIT_OK
