"""``smerteagent settings``: show and change the clinic's shared settings."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from smerteagent.cli.common import EXIT_OK, load_library, open_services_for, storage_command


def register(commands: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    settings = commands.add_parser("settings", help="show or change the clinic's settings")
    actions = settings.add_subparsers(title="actions", dest="action", metavar="ACTION", required=True)
    show = actions.add_parser("show", help="all settings and their values")
    show.add_argument("--json", action="store_true")
    add_common(show)
    show.set_defaults(handler=storage_command(run_show))
    change = actions.add_parser("set", help="change one setting, e.g. mask_cpr_in_lists true")
    change.add_argument("key")
    change.add_argument("value")
    add_common(change)
    change.set_defaults(handler=storage_command(run_set))


def run_show(arguments: argparse.Namespace) -> int:
    with open_services_for(arguments) as services:
        values = asdict(services.settings.load())
    if arguments.json:
        print(json.dumps(values, ensure_ascii=False, indent=1))
    else:
        for key, value in values.items():
            print(f"{key} = {value}")
    return EXIT_OK


def run_set(arguments: argparse.Namespace) -> int:
    if arguments.key == "default_battery":
        _check_battery(arguments)
    with open_services_for(arguments) as services:
        updated = services.settings.load().with_text(arguments.key, arguments.value)
        services.settings.save(updated)
    print(f"{arguments.key} = {getattr(updated, arguments.key)}")
    return EXIT_OK


def _check_battery(arguments: argparse.Namespace) -> None:
    """The default battery must be one the clinic can start; the settings layer cannot see the forms."""
    from smerteagent.core.settings import SettingError

    known = sorted(load_library(arguments).batteries)
    if arguments.value not in known:
        raise SettingError(
            "default_battery", f"unknown battery {arguments.value!r}; known batteries: {', '.join(known)}"
        )
