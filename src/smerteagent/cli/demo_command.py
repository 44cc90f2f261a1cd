"""``smerteagent demo``: fill a database with synthetic patients so a newcomer sees a living clinic."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

from smerteagent.cli.common import EXIT_OK, EXIT_USAGE, fail, open_services_for, storage_command

MAX_PATIENTS = 100_000  # the size the benchmarks measure; a larger demo would run for hours


def register(commands: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    demo = commands.add_parser("demo", help="add synthetic demo patients (never real people)")
    demo.add_argument("--patients", type=int, default=200, metavar="N", help="how many (default 200)")
    demo.add_argument("--seed", type=int, default=1, help="the same seed gives the same patients")
    demo.add_argument("--force", action="store_true", help="add them even to a database that has patients")
    add_common(demo)
    demo.set_defaults(handler=storage_command(run))


def run(arguments: argparse.Namespace) -> int:
    from smerteagent.usecases.demo import load_demo

    if not 1 <= arguments.patients <= MAX_PATIENTS:
        return fail(f"--patients must be from 1 to {MAX_PATIENTS:,} (got {arguments.patients})", EXIT_USAGE)
    started = time.perf_counter()
    with open_services_for(arguments) as services:
        existing = services.patients.count()
        if existing and not arguments.force:
            return _refuse(existing, services.database.display_name)
        added = load_demo(services, arguments.patients, arguments.seed,
                          progress=lambda n: print(f"\r{n} patients", end="", file=sys.stderr))  # fmt: skip
        total = services.patients.count()
    print(file=sys.stderr)
    print(f"added {added} demo patients in {time.perf_counter() - started:.1f} s ({total} in the database)")
    return EXIT_OK


def _refuse(existing: int, where: str) -> int:
    """Synthetic CPR numbers are format-valid, so they must never slip into a real register unasked."""
    return fail(
        f"the database {where} is not empty ({existing} patients); demo patients go into an empty database — "
        "choose a new one with --db FILE, or add --force to mix them in anyway",
        EXIT_USAGE,
    )
