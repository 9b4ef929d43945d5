"""Where a Slack workspace's bot token comes from: one fixed token, or the OAuth installation store."""

from __future__ import annotations

from typing import Protocol


class Tokens(Protocol):
    """Where a workspace's bot token comes from (one fixed token, or the OAuth installation store)."""

    async def bot_token(self, tenant: str) -> str | None:
        """The bot token of a workspace; None when the app is not installed there (any more)."""


class StaticTokens:
    """One workspace, one token (SLACK_BOT_TOKEN)."""

    def __init__(self, token: str) -> None:
        self.token = token

    async def bot_token(self, tenant: str) -> str | None:
        """The configured token, whatever the workspace."""
        return self.token
