"""care plans: the patient's own words beside the values, and the measures the patient chose to see charted on
the handout (issue 15 item 8)

Revision ID: 0006i15b
Revises: 0005i16
Create Date: 2026-12-03 12:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006i15b"
down_revision = "0005i16"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("care_plan_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("own_words", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("charts", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("care_plan_versions", schema=None) as batch_op:
        batch_op.drop_column("charts")
        batch_op.drop_column("own_words")
