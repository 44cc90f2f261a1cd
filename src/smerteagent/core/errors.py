"""Errors that say what went wrong and where, so a clinic can fix a file or an answer itself."""

from __future__ import annotations

from typing import ClassVar

from smerteagent.i18n import N_, _


class SmerteAgentError(Exception):
    """Base of every error the program reports to a user as a plain message."""


class FormError(SmerteAgentError):
    """A form or battery file that cannot be used: names the file, the field path and the problem."""

    def __init__(self, file: str, field_path: str, problem: str) -> None:
        location = f"{file}: {field_path}" if field_path else file
        super().__init__(f"{location}: {problem}")
        self.file = file
        self.field_path = field_path
        self.problem = problem


class AnswerError(SmerteAgentError):
    """An answer that does not fit its form: unknown item, wrong type or out of range."""

    def __init__(self, item: str, value: object, problem: str) -> None:
        super().__init__(f"item {item!r}: {problem} (got {value!r})")
        self.item = item
        self.value = value
        self.problem = problem


class UnknownFormError(SmerteAgentError):
    """A form id that no bundled or user form file defines."""

    def __init__(self, form_id: str, known: list[str]) -> None:
        super().__init__(f"unknown form {form_id!r}; known forms: {', '.join(sorted(known))}")
        self.form_id = form_id


class StorageUnavailable(SmerteAgentError):
    """The database cannot be used right now (the environment's fault); ``reason`` is a key of ``REASONS``.

    Defined in the core so that every face can recognise it without importing the storage layer.
    """

    REASONS: ClassVar[dict[str, str]] = {
        "locked": N_("the database is locked by another program; try again in a moment"),
        "disk_full": N_("the disk is full; free some space — nothing was saved by this action"),
        "io_error": N_("the disk could not be read or written (input/output error)"),
        "read_only": N_("the database file or its folder is read-only"),
        "read_only_file": N_("the database file is read-only; ask for write access to it, or open it on a copy"),
        "read_only_folder": N_("the database's folder is read-only (SQLite writes its journal and backups there)"),
        "wal_missing": N_(
            "the database's write-ahead journal (-wal file) was deleted or moved while in use; close every "
            "SmerteAgent and check the database (smerteagent db check)"
        ),
        "not_a_database": N_("the file is not a database (neither a SQLite file nor an encrypted one)"),
        "corrupt": N_("the database file is damaged; restore a backup (smerteagent db restore)"),
        "backup_failed": N_("the backup was not made; the previous backups are kept"),
        "newer_schema": N_("the database was made by a newer SmerteAgent; update the program"),
        "older_schema": N_(
            "the database's schema is older than this program's (or not made yet); upgrade it with "
            "'smerteagent db upgrade', which backs it up first"
        ),
        "schema_mismatch": N_(
            "the database's tables do not match the schema version it records (changed by another program or "
            "a development build); restore a backup (smerteagent db restore)"
        ),
        "unreachable": N_("the database cannot be reached"),
        "passphrase_needed": N_(
            "the database is encrypted; give its passphrase (SMERTEAGENT_DB_PASSPHRASE or --passphrase-file)"
        ),
        "wrong_passphrase": N_(
            "the passphrase does not open this encrypted database (or its first page is damaged); nothing was changed"
        ),
        "unsupported": N_("the database address is not one SmerteAgent can use (SQLite file or postgresql+psycopg://)"),
    }

    def __init__(self, reason: str, detail: str = "") -> None:
        message = _(self.REASONS[reason]) + (f" ({detail})" if detail else "")
        super().__init__(message)
        self.reason = reason
        self.detail = detail


class ConflictError(SmerteAgentError):
    """Someone else saved the same record since it was opened; nothing was overwritten."""

    def __init__(self, what: str, key: object) -> None:
        super().__init__(
            _("{what} {key} was changed on another workstation after you opened it; nothing was overwritten — "
              "reopen it to see the latest version").format(what=_(what), key=key)
        )  # fmt: skip
