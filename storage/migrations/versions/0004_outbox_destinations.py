"""outbox: the destination's kind on the row, and a lease for the delivery relay's claims

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=12), nullable=False, server_default="chat"))
        batch.add_column(sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))
    op.create_index("ix_outbox_chat_unsent", "outbox", ["platform", "tenant", "chat", "sent_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_chat_unsent", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("claimed_by")
        batch.drop_column("claimed_until")
        batch.drop_column("kind")
