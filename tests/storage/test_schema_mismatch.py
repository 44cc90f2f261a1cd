"""A table or column missing behind a recorded schema version is the file's fault, named as such (SQLite and
PostgreSQL alike), never passed on as a programming error's traceback."""

from __future__ import annotations

import sqlite3

from smerteagent.storage.database import classify


class UndefinedColumn(Exception):
    """Stands in for psycopg's error: its SQLSTATE is what the server reports."""

    sqlstate = "42703"


def test_a_missing_sqlite_column_or_table_is_a_schema_mismatch() -> None:
    for text in ("no such column: audit_events.seal", "no such table: screening_facts"):
        found = classify(sqlite3.OperationalError(text))
        assert found is not None and found.reason == "schema_mismatch" and text in str(found)


def test_a_missing_postgresql_column_is_a_schema_mismatch_by_its_sqlstate() -> None:
    found = classify(UndefinedColumn("column audit_events.seal does not exist"))
    assert found is not None and found.reason == "schema_mismatch"


def test_a_programming_error_is_still_not_hidden() -> None:
    assert classify(sqlite3.OperationalError('near "SELEC": syntax error')) is None
