"""screening facts: each completed questionnaire narrow (patient, form, time, total, band, suicide flags),
kept by triggers on responses and encounters, so the quality report reads one narrow table (issue 16)

Revision ID: 0007i16
Revises: 0006i15c
Create Date: 2026-12-03 15:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007i16"
down_revision = "0006i15c"
branch_labels = None
depends_on = None

# The same expressions as the report's full-record path reads from responses (storage/quality.py).
SQLITE_FACT = (
    "{r}.id, e.patient_id, {r}.form_id, {r}.completed_at, CAST(json_extract({r}.results, '$.\"total\"') AS FLOAT), "
    "{r}.band, coalesce(CAST({r}.flags AS TEXT), '') LIKE '%\"suicide_item_missing\"%', "
    "CASE WHEN CAST({r}.flags AS TEXT) LIKE '%\"suicide_risk%' THEN CAST({r}.flags AS TEXT) END"
)
POSTGRES_FACT = (
    "{r}.id, e.patient_id, {r}.form_id, {r}.completed_at, CAST(({r}.results ->> 'total') AS FLOAT), "
    "{r}.band, coalesce(CAST({r}.flags AS TEXT), '') LIKE '%\"suicide_item_missing\"%', "
    "CASE WHEN CAST({r}.flags AS TEXT) LIKE '%\"suicide_risk%' THEN CAST({r}.flags AS TEXT) END"
)
INTO = "INSERT INTO screening_facts (response_id, patient_id, form_id, completed_at, total, band, item9_missing, " \
       "suicide_flags) SELECT "  # fmt: skip
COMPLETE = "{r}.status = 'complete' AND {r}.completed_at IS NOT NULL"
OF_NEW = "FROM encounters e WHERE e.id = {r}.encounter_id AND " + COMPLETE  # the row just written, when complete
ALL_ROWS = "FROM responses r JOIN encounters e ON e.id = r.encounter_id WHERE " + COMPLETE.format(r="r")

SQLITE_UP = [
    f"CREATE TRIGGER responses_facts_insert AFTER INSERT ON responses BEGIN "
    f"{INTO}{SQLITE_FACT.format(r='new')} {OF_NEW.format(r='new')}; END",
    "CREATE TRIGGER responses_facts_update AFTER UPDATE ON responses BEGIN "
    "DELETE FROM screening_facts WHERE response_id = old.id; "
    f"{INTO}{SQLITE_FACT.format(r='new')} {OF_NEW.format(r='new')}; END",
    "CREATE TRIGGER responses_facts_delete AFTER DELETE ON responses BEGIN "
    "DELETE FROM screening_facts WHERE response_id = old.id; END",
    "CREATE TRIGGER encounters_facts_update AFTER UPDATE OF patient_id ON encounters BEGIN "
    "UPDATE screening_facts SET patient_id = new.patient_id "
    "WHERE response_id IN (SELECT id FROM responses WHERE encounter_id = new.id); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER encounters_facts_update",
    "DROP TRIGGER responses_facts_delete",
    "DROP TRIGGER responses_facts_update",
    "DROP TRIGGER responses_facts_insert",
]
POSTGRES_UP = [
    "CREATE FUNCTION screening_facts_from_responses() RETURNS trigger AS $$ BEGIN "
    "IF TG_OP IN ('UPDATE', 'DELETE') THEN DELETE FROM screening_facts WHERE response_id = OLD.id; END IF; "
    f"IF TG_OP IN ('INSERT', 'UPDATE') THEN {INTO}{POSTGRES_FACT.format(r='NEW')} {OF_NEW.format(r='NEW')}; "
    "END IF; RETURN NULL; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER responses_facts AFTER INSERT OR UPDATE OR DELETE ON responses "
    "FOR EACH ROW EXECUTE FUNCTION screening_facts_from_responses()",
    "CREATE FUNCTION screening_facts_from_encounters() RETURNS trigger AS $$ BEGIN "
    "UPDATE screening_facts SET patient_id = NEW.patient_id "
    "WHERE response_id IN (SELECT id FROM responses WHERE encounter_id = NEW.id); RETURN NULL; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER encounters_facts AFTER UPDATE OF patient_id ON encounters "
    "FOR EACH ROW EXECUTE FUNCTION screening_facts_from_encounters()",
]
POSTGRES_DOWN = [
    "DROP TRIGGER encounters_facts ON encounters",
    "DROP FUNCTION screening_facts_from_encounters()",
    "DROP TRIGGER responses_facts ON responses",
    "DROP FUNCTION screening_facts_from_responses()",
]


def upgrade() -> None:
    op.create_table(
        "screening_facts",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.String(length=64), nullable=False),
        sa.Column("completed_at", sa.DateTime(), nullable=False),
        sa.Column("total", sa.Float(), nullable=True),
        sa.Column("band", sa.String(length=64), nullable=True),
        sa.Column("item9_missing", sa.Boolean(), nullable=False),
        sa.Column("suicide_flags", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["response_id"], ["responses.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("response_id"),
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.execute(f"{INTO}{(SQLITE_FACT if sqlite else POSTGRES_FACT).format(r='r')} {ALL_ROWS}")
    op.create_index(
        "ix_screening_facts_form",
        "screening_facts",  # read in its order: the report's rows
        ["form_id", "patient_id", "completed_at", "response_id", "total", "band", "item9_missing"],
    )
    op.create_index("ix_screening_facts_suicide", "screening_facts", ["completed_at"],
                    sqlite_where=sa.text("suicide_flags IS NOT NULL"),
                    postgresql_where=sa.text("suicide_flags IS NOT NULL"))  # fmt: skip
    for statement in SQLITE_UP if sqlite else POSTGRES_UP:
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_DOWN if sqlite else POSTGRES_DOWN:
        op.execute(statement)
    op.drop_index("ix_screening_facts_suicide", table_name="screening_facts")
    op.drop_index("ix_screening_facts_form", table_name="screening_facts")
    op.drop_table("screening_facts")
