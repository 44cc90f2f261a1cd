"""safety actions: what was done about a critical flag

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "safety_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("flag", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["response_id"], ["responses.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("safety_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_safety_actions_response_id"), ["response_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("safety_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safety_actions_response_id"))
    op.drop_table("safety_actions")
