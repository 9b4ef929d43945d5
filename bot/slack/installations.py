"""Many workspaces: slack_sdk's SQLAlchemy installation and OAuth-state stores on the project's database.

The stores are slack_sdk's own (tables made by migration 0013); their synchronous SQL runs in a worker thread
so the event loop never waits on the database.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine

TOKEN_TTL = 60.0
"""Seconds a workspace's bot token is cached for sending (an uninstall in this process clears it at once)."""


class Installations(AsyncInstallationStore):
    """slack_sdk's SQLAlchemy installation store, awaited in a worker thread; also the sender's token source."""

    def __init__(self, client_id: str, engine: Engine) -> None:
        self.store = SQLAlchemyInstallationStore(client_id=client_id, engine=engine)
        self.tokens: dict[str, tuple[float, str | None]] = {}

    @property
    def logger(self) -> Any:
        """The wrapped store's logger."""
        return self.store.logger

    async def async_save(self, installation: Installation) -> None:
        """Keep an installation (and its bot)."""
        await asyncio.to_thread(self.store.save, installation)
        self.tokens.pop(str(installation.team_id), None)

    async def async_save_bot(self, bot: Bot) -> None:
        """Keep a bot."""
        await asyncio.to_thread(self.store.save_bot, bot)
        self.tokens.pop(str(bot.team_id), None)

    async def async_find_bot(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
    ) -> Bot | None:
        """The latest bot of a workspace."""
        return await asyncio.to_thread(
            self.store.find_bot,
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        """The latest installation of a workspace (by a user, when given)."""
        return await asyncio.to_thread(
            self.store.find_installation,
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """Forget a workspace's bot tokens."""
        await asyncio.to_thread(self.store.delete_bot, enterprise_id=enterprise_id, team_id=team_id)
        self.tokens.pop(str(team_id), None)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        """Forget a workspace's installations (by a user, when given)."""
        await asyncio.to_thread(
            self.store.delete_installation, enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
        )
        self.tokens.pop(str(team_id), None)

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """Forget everything of a workspace (it uninstalled the app)."""
        await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        await self.async_delete_installation(enterprise_id=enterprise_id, team_id=team_id)

    async def bot_token(self, tenant: str) -> str | None:
        """The workspace's bot token for sending; None once it uninstalled the app."""
        cached = self.tokens.get(tenant)
        now = time.monotonic()
        if cached is not None and now - cached[0] < TOKEN_TTL:
            return cached[1]
        bot = await self.async_find_bot(enterprise_id=None, team_id=tenant)
        token = bot.bot_token if bot is not None else None
        self.tokens[tenant] = (now, token)
        return token


class OAuthStates(AsyncOAuthStateStore):
    """slack_sdk's SQLAlchemy OAuth state store (one-time install states), awaited in a worker thread."""

    def __init__(self, engine: Engine, expiration_seconds: int = 600) -> None:
        self.store = SQLAlchemyOAuthStateStore(expiration_seconds=expiration_seconds, engine=engine)

    @property
    def logger(self) -> Any:
        """The wrapped store's logger."""
        return self.store.logger

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        """A new state for an install link."""
        return str(await asyncio.to_thread(self.store.issue, *args, **kwargs))

    async def async_consume(self, state: str) -> bool:
        """True (once) for a state this app issued and that has not expired."""
        return bool(await asyncio.to_thread(self.store.consume, state))
