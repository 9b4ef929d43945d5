"""digests: a team's digest schedule (daily or weekly, minute, on or off, when it was set), its channel's workspace,
and one row per sent digest period

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01

`digest_run` is the backstop of "one digest per team and period": a digest's outbox rows and its run row are
committed together, and a second sender of the same period fails on the unique key and sends nothing.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("team") as batch_op:
        batch_op.add_column(sa.Column("digest_tenant", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("digest_minute", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("digest_cadence", sa.String(length=10), server_default="weekly", nullable=False))
        batch_op.add_column(sa.Column("digest_set_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("digest_enabled", sa.Boolean(), server_default=sa.true(), nullable=False))
    # A digest chat set before this revision starts with its next run, not a catch-up the moment this deploys.
    op.execute(sa.text("UPDATE team SET digest_set_at = CURRENT_TIMESTAMP WHERE digest_chat IS NOT NULL"))
    op.create_table(
        "digest_run",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("team.id"), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.UniqueConstraint("team_id", "period", name="uq_digest_run_team_period"),
    )
    op.create_index("ix_digest_run_team_id", "digest_run", ["team_id"])


def downgrade() -> None:
    op.drop_index("ix_digest_run_team_id", table_name="digest_run")
    op.drop_table("digest_run")
    with op.batch_alter_table("team") as batch_op:
        batch_op.drop_column("digest_enabled")
        batch_op.drop_column("digest_set_at")
        batch_op.drop_column("digest_cadence")
        batch_op.drop_column("digest_minute")
        batch_op.drop_column("digest_tenant")
