"""patient search index: FTS5 trigram on SQLite, pg_trgm on PostgreSQL

Both fold Danish letters through the stored ``search_text`` (see smerteagent.core.text.fold), so the
index itself only has to match substrings of 3+ characters; shorter queries use the name-key indexes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 11:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE_UP = [
    "CREATE VIRTUAL TABLE patient_search USING fts5("
    "search_text, content='patients', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER patients_search_insert AFTER INSERT ON patients BEGIN "
    "INSERT INTO patient_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER patients_search_delete AFTER DELETE ON patients BEGIN "
    "INSERT INTO patient_search(patient_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER patients_search_update AFTER UPDATE OF search_text ON patients BEGIN "
    "INSERT INTO patient_search(patient_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO patient_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO patient_search(patient_search) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER patients_search_update",
    "DROP TRIGGER patients_search_delete",
    "DROP TRIGGER patients_search_insert",
    "DROP TABLE patient_search",
]
POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_patients_search_trgm ON patients USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX ix_patients_given_prefix ON patients (given_key text_pattern_ops)",
    "CREATE INDEX ix_patients_family_prefix ON patients (family_key text_pattern_ops)",
    "CREATE INDEX ix_patients_cpr_prefix ON patients (cpr text_pattern_ops)",
]
POSTGRES_DOWN = [
    "DROP INDEX ix_patients_cpr_prefix",
    "DROP INDEX ix_patients_family_prefix",
    "DROP INDEX ix_patients_given_prefix",
    "DROP INDEX ix_patients_search_trgm",
]


def _run(sqlite: list[str], postgres: list[str]) -> None:
    statements = sqlite if op.get_bind().dialect.name == "sqlite" else postgres
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    _run(SQLITE_UP, POSTGRES_UP)


def downgrade() -> None:
    _run(SQLITE_DOWN, POSTGRES_DOWN)
