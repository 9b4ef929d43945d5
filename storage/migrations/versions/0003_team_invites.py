"""team invites: a code per team for joining it through a deep link

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("team") as batch:
        batch.add_column(sa.Column("invite_code", sa.String(length=24), nullable=True))
        batch.create_unique_constraint("uq_team_invite_code", ["invite_code"])


def downgrade() -> None:
    with op.batch_alter_table("team") as batch:
        batch.drop_constraint("uq_team_invite_code", type_="unique")
        batch.drop_column("invite_code")
