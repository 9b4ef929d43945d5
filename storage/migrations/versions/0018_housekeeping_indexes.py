"""housekeeping indexes: processed events by when they were handled, outbox messages by when they were sent, so
pruning the old ones (storage.housekeeping) reads index ranges instead of scanning both tables every hour

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Index processed events by processed_at and outbox messages by sent_at."""
    op.create_index("ix_processed_event_at", "processed_event", ["processed_at"])
    op.create_index("ix_outbox_sent", "outbox", ["sent_at"])


def downgrade() -> None:
    """Drop the two housekeeping indexes."""
    op.drop_index("ix_outbox_sent", "outbox")
    op.drop_index("ix_processed_event_at", "processed_event")
