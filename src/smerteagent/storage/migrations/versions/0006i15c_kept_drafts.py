"""kept drafts: a clinician's unsaved work kept private when another clinician switches user at the lock

Revision ID: 0006i15c
Revises: 0006i15b
Create Date: 2026-12-03 12:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006i15c"
down_revision = "0006i15b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kept_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("kept_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("kept_drafts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kept_drafts_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("kept_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kept_drafts_user_id"))
    op.drop_table("kept_drafts")
