"""slack installations: OAuth installs, bot tokens and OAuth state, in the layout of slack_sdk's SQLAlchemy stores

Revision ID: 0013
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0009"
branch_labels = None
depends_on = None

_S = sa.String


def _installed_at() -> sa.Column[object]:
    return sa.Column("installed_at", sa.DateTime(), nullable=False, server_default=sa.func.now())


def upgrade() -> None:
    op.create_table(
        "slack_installations",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("client_id", _S(32), nullable=False),
        sa.Column("app_id", _S(32), nullable=False),
        sa.Column("enterprise_id", _S(32)),
        sa.Column("enterprise_name", _S(200)),
        sa.Column("enterprise_url", _S(200)),
        sa.Column("team_id", _S(32)),
        sa.Column("team_name", _S(200)),
        sa.Column("bot_token", _S(200)),
        sa.Column("bot_id", _S(32)),
        sa.Column("bot_user_id", _S(32)),
        sa.Column("bot_scopes", _S(1000)),
        sa.Column("bot_refresh_token", _S(200)),
        sa.Column("bot_token_expires_at", sa.DateTime()),
        sa.Column("user_id", _S(32), nullable=False),
        sa.Column("user_token", _S(200)),
        sa.Column("user_scopes", _S(1000)),
        sa.Column("user_refresh_token", _S(200)),
        sa.Column("user_token_expires_at", sa.DateTime()),
        sa.Column("incoming_webhook_url", _S(200)),
        sa.Column("incoming_webhook_channel", _S(200)),
        sa.Column("incoming_webhook_channel_id", _S(200)),
        sa.Column("incoming_webhook_configuration_url", _S(200)),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("token_type", _S(32)),
        _installed_at(),
    )
    op.create_index(
        "slack_installations_idx",
        "slack_installations",
        ["client_id", "enterprise_id", "team_id", "user_id", "installed_at"],
    )
    op.create_table(
        "slack_bots",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("client_id", _S(32), nullable=False),
        sa.Column("app_id", _S(32), nullable=False),
        sa.Column("enterprise_id", _S(32)),
        sa.Column("enterprise_name", _S(200)),
        sa.Column("team_id", _S(32)),
        sa.Column("team_name", _S(200)),
        sa.Column("bot_token", _S(200)),
        sa.Column("bot_id", _S(32)),
        sa.Column("bot_user_id", _S(32)),
        sa.Column("bot_scopes", _S(1000)),
        sa.Column("bot_refresh_token", _S(200)),
        sa.Column("bot_token_expires_at", sa.DateTime()),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False, server_default=sa.false()),
        _installed_at(),
    )
    op.create_index("slack_bots_idx", "slack_bots", ["client_id", "enterprise_id", "team_id", "installed_at"])
    op.create_table(
        "slack_oauth_states",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("state", _S(200), nullable=False),
        sa.Column("expire_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("slack_oauth_states")
    op.drop_index("slack_bots_idx", table_name="slack_bots")
    op.drop_table("slack_bots")
    op.drop_index("slack_installations_idx", table_name="slack_installations")
    op.drop_table("slack_installations")
