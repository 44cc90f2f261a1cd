"""The ``smerteagent`` command: one parser, subcommands in their own modules, imports kept light.

``--version``, ``forms`` and ``score`` must start fast and never load Qt or a database driver, so each
subcommand imports what it needs only when it runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from smerteagent import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
Handler = Callable[[argparse.Namespace], int]


def _forms_dir_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--forms-dir",
        type=Path,
        default=default,
        metavar="DIR",
        help="an extra user forms folder; its forms override bundled ones with the same id "
        "(also SMERTEAGENT_FORMS_DIR)",
    )


def build_parser() -> argparse.ArgumentParser:
    from smerteagent.cli import (
        db_command,
        demo_command,
        forms_command,
        patients_command,
        score_command,
        settings_command,
    )
    from smerteagent.cli.common import db_option

    parser = argparse.ArgumentParser(
        prog="smerteagent",
        description="SmerteAgent: screening, risk stratification and care plans for chronic pain.",
    )
    parser.add_argument("--version", action="version", version=f"smerteagent {__version__}")
    _forms_dir_option(parser, None)
    db_option(parser, None)
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")
    forms_command.register(commands, lambda p: _forms_dir_option(p, argparse.SUPPRESS))
    score_command.register(commands, lambda p: _forms_dir_option(p, argparse.SUPPRESS))

    def storage_options(parser: argparse.ArgumentParser) -> None:
        _forms_dir_option(parser, argparse.SUPPRESS)
        db_option(parser, argparse.SUPPRESS)

    patients_command.register(commands, storage_options)
    db_command.register(commands, storage_options)
    demo_command.register(commands, storage_options)
    settings_command.register(commands, storage_options)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    # ITEM=VALUE pairs may follow options (score phq9 --sex female q1=2); argparse leaves those over.
    arguments, leftover = parser.parse_known_args(argv)
    if leftover:
        if not hasattr(arguments, "answers") or any(part.startswith("-") for part in leftover):
            parser.error(f"unrecognized arguments: {' '.join(leftover)}")
        arguments.answers = [*arguments.answers, *leftover]
    handler: Handler | None = getattr(arguments, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_OK
    try:
        return handler(arguments)
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
