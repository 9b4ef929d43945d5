"""Slack installations, bot tokens and OAuth state: the tables slack_sdk's SQLAlchemy stores read and write.

Migration 0013 creates them; their layout is slack_sdk's (`SQLAlchemyInstallationStore.build_*_table`).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import SQLModel

_S = sa.String


def _installed_at() -> sa.Column[object]:
    return sa.Column("installed_at", sa.DateTime(), nullable=False, server_default=sa.func.now())


slack_installations = sa.Table(
    "slack_installations",
    SQLModel.metadata,
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
    sa.Index("slack_installations_idx", "client_id", "enterprise_id", "team_id", "user_id", "installed_at"),
)
slack_bots = sa.Table(
    "slack_bots",
    SQLModel.metadata,
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
    sa.Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)
slack_oauth_states = sa.Table(
    "slack_oauth_states",
    SQLModel.metadata,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column("state", _S(200), nullable=False),
    sa.Column("expire_at", sa.DateTime(), nullable=False),
)
