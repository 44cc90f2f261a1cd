"""The ``smerteagent`` command: the desktop app without a command; subcommands for the command line.

``--version``, ``forms`` and ``score`` must start fast and never load Qt or a database driver, so each
subcommand imports what it needs only when it runs; starting the app skips building the subcommands.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from smerteagent import __version__
from smerteagent.cli.options import audit_key_file_option, db_option, forms_dir_option, passphrase_file_option

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
COMMANDS = frozenset(
    {
        "forms",
        "score",
        "medication",
        "patients",
        "db",
        "demo",
        "settings",
        "careplan",
        "export",
        "import",
        "audit",
        "accounts",
        "screening",
        "quality",
    }
)
Handler = Callable[[argparse.Namespace], int]


def _global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action="version", version=f"smerteagent {__version__}")
    parser.add_argument(
        "--exit-after-startup",
        action="store_true",
        help="start the app, print start-up timings as JSON once the patient list is shown, exit",
    )
    parser.add_argument(
        "--lang",
        choices=("da", "en"),
        help="language of the app (default: the clinic setting) and of the commands' messages (default: en, "
        "as the commands' own output is English)",
    )
    forms_dir_option(parser, None)
    db_option(parser, None)
    passphrase_file_option(parser, None)
    audit_key_file_option(parser, None)


def _starts_the_app(argv: Sequence[str]) -> bool:
    """No subcommand and no help: the desktop app starts, and its start need not build every subcommand."""
    return not any(part in COMMANDS or part in ("-h", "--help") for part in argv)


def build_parser() -> argparse.ArgumentParser:
    from smerteagent.cli import (
        accounts_command,
        audit_command,
        careplan_command,
        db_command,
        demo_command,
        export_command,
        forms_command,
        import_command,
        medication_command,
        patients_command,
        quality_command,
        score_command,
        screening_command,
        settings_command,
    )

    parser = argparse.ArgumentParser(
        prog="smerteagent",
        description="SmerteAgent: screening, risk stratification and care plans for chronic pain.",
    )
    _global_options(parser)
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")
    forms_command.register(commands, lambda p: forms_dir_option(p, argparse.SUPPRESS))
    score_command.register(commands, lambda p: forms_dir_option(p, argparse.SUPPRESS))
    medication_command.register(commands)

    def storage_options(parser: argparse.ArgumentParser) -> None:
        forms_dir_option(parser, argparse.SUPPRESS)
        db_option(parser, argparse.SUPPRESS)
        passphrase_file_option(parser, argparse.SUPPRESS)
        audit_key_file_option(parser, argparse.SUPPRESS)

    patients_command.register(commands, storage_options)
    db_command.register(commands, storage_options)
    demo_command.register(commands, storage_options)
    settings_command.register(commands, storage_options)
    careplan_command.register(commands, storage_options)
    export_command.register(commands, storage_options)
    import_command.register(commands, storage_options)
    audit_command.register(commands, storage_options)
    accounts_command.register(commands, storage_options)
    screening_command.register(commands, storage_options)
    quality_command.register(commands, storage_options)
    return parser


def _undecodable(argv: Sequence[str]) -> str | None:
    """The first argument that was not valid UTF-8 on the command line (Python keeps such bytes as
    surrogates, which no file, database or terminal accepts), named by its position."""
    for position, argument in enumerate(argv, start=1):
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError:
            shown = argument.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
            return f"argument {position} ({shown[:60]}) is not valid UTF-8 text"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    arguments_given = sys.argv[1:] if argv is None else list(argv)
    problem = _undecodable(arguments_given)
    if problem is not None:
        print(f"smerteagent: {problem}", file=sys.stderr)
        return EXIT_USAGE
    if _starts_the_app(arguments_given):
        quick = argparse.ArgumentParser(prog="smerteagent")
        _global_options(quick)
        options = quick.parse_args(arguments_given)
        passphrase = None
        if options.passphrase_file is not None:
            from smerteagent.cli.common import InputError, fail
            from smerteagent.cli.passphrase import read_passphrase_file

            try:
                passphrase = read_passphrase_file(options.passphrase_file)
            except InputError as error:
                return fail(str(error), error.exit_code)
        from smerteagent.cli.early_key import derive_key_early

        derive_key_early(options.db, passphrase)
        if options.audit_key_file is not None:  # the app's storage reads the key where the environment says
            import os

            from smerteagent.storage.audit_key import KEY_VARIABLE

            os.environ[KEY_VARIABLE] = str(options.audit_key_file)
        from smerteagent.ui.app import run as run_app

        return run_app(options.db, options.forms_dir, exit_after_startup=options.exit_after_startup,
                       language_forced=options.lang, passphrase=passphrase)  # fmt: skip
    parser = build_parser()
    # ITEM=VALUE pairs may follow options (score phq9 --sex female q1=2); argparse leaves those over.
    arguments, leftover = parser.parse_known_args(argv)
    if leftover:
        if not hasattr(arguments, "answers") or any(part.startswith("-") for part in leftover):
            parser.error(f"unrecognized arguments: {' '.join(leftover)}")
        arguments.answers = [*arguments.answers, *leftover]
    from smerteagent.i18n import set_language

    set_language(arguments.lang or "en")  # one language per line of output: the commands' own text is English
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
