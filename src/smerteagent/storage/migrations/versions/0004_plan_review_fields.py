"""care plan versions: medication reviewed and the stance on abuse (supervision checkpoints)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("care_plan_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("medication_reviewed", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("abuse_stance", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("care_plan_versions", schema=None) as batch_op:
        batch_op.drop_column("abuse_stance")
        batch_op.drop_column("medication_reviewed")
