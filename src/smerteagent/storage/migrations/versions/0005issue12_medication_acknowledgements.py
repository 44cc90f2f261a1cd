"""medication acknowledgements: a clinician's reason for going on despite a medication warning

Revision ID: 0005issue12
Revises: 0004
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005issue12"
down_revision = "0005issue13"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "medication_acknowledgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("warning_key", sa.String(length=1000), nullable=False),
        sa.Column("warning_id", sa.String(length=64), nullable=False),
        sa.Column("drugs", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("medication_acknowledgements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_medication_acknowledgements_patient_id"), ["patient_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("medication_acknowledgements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_medication_acknowledgements_patient_id"))
    op.drop_table("medication_acknowledgements")
