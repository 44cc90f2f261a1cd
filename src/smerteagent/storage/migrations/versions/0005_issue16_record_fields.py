"""care plans: indication and effect evaluation per drug, informed consent in detail, received letters and the
date of the medication review (supervision checkpoints 9, 13, 16, 17)

Revision ID: 0005i16
Revises: 0004
Create Date: 2026-12-03 09:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005i16"
down_revision = "0005issue12"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("care_plan_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consent_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("consent_covers", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("consent_risks", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("consent_by", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("medication_reviewed_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("letters", sa.JSON(), nullable=True))
    with op.batch_alter_table("plan_medications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("indication", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("evaluated_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("evaluation_result", sa.Text(), nullable=True))
    _backfill_review_dates()


def _backfill_review_dates() -> None:
    """A version ticked 'medication reviewed' before this schema was reviewed when it was started."""
    versions = sa.table(
        "care_plan_versions",
        sa.column("id", sa.Integer()),
        sa.column("medication_reviewed", sa.Boolean()),
        sa.column("created_at", sa.DateTime()),
        sa.column("medication_reviewed_on", sa.Date()),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(versions.c.id, versions.c.created_at).where(versions.c.medication_reviewed))
    for row_id, created_at in list(rows):
        update = versions.update().where(versions.c.id == row_id)
        connection.execute(update.values(medication_reviewed_on=created_at.date()))


def downgrade() -> None:
    with op.batch_alter_table("plan_medications", schema=None) as batch_op:
        for name in ("evaluation_result", "evaluated_on", "indication"):
            batch_op.drop_column(name)
    with op.batch_alter_table("care_plan_versions", schema=None) as batch_op:
        for name in ("letters", "medication_reviewed_on", "consent_by", "consent_risks", "consent_covers"):
            batch_op.drop_column(name)
        for name in ("consent_on",):
            batch_op.drop_column(name)
