"""responses: where a pre-filled answer came from; flags the missing answers left undecided

Revision ID: 0005issue13
Revises: 0004
Create Date: 2026-12-03 09:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005issue13"
down_revision = "0005i14b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answer_origins", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("undecided_flags", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_column("undecided_flags")
        batch_op.drop_column("answer_origins")
