"""Options shared by the app start and the subcommands; imports nothing, so the app starts fast."""

from __future__ import annotations

import argparse
from pathlib import Path


def db_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--db",
        default=default,
        metavar="URL",
        help="database URL, e.g. postgresql+psycopg://user@server/smerteagent or a SQLite file path "
        "(also SMERTEAGENT_DB_URL; default: SQLite in the user data folder)",
    )


def forms_dir_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--forms-dir",
        type=Path,
        default=default,
        metavar="DIR",
        help="an extra user forms folder; its forms override bundled ones with the same id "
        "(also SMERTEAGENT_FORMS_DIR)",
    )


def audit_key_file_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--audit-key-file",
        type=Path,
        default=default,
        metavar="FILE",
        help="the clinic's audit key, which seals every audit event (also SMERTEAGENT_AUDIT_KEY_FILE; default: "
        "audit.key in the user configuration folder, if present; see docs/security.md)",
    )


def passphrase_file_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--passphrase-file",
        type=Path,
        default=default,
        metavar="FILE",
        help="the passphrase of an encrypted SQLite database: the first line of FILE "
        "(also SMERTEAGENT_DB_PASSPHRASE; a new database is created encrypted when one is given)",
    )
