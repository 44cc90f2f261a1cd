"""audit events: an optional keyed seal (HMAC-SHA256 of the event's hash with a key kept outside the database),
and an index to read one record's events (the login back-off reads an account's recent logins)

Revision ID: 0005i14b
Revises: 0004
Create Date: 2026-12-03 09:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005i14b"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seal", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_audit_events_record", ["record_type", "record_id", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_record")
        batch_op.drop_column("seal")
