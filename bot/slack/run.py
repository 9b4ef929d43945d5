"""Slack in the runtime: events, /cusdev and interactivity at POST /slack/events on the ASGI app, or over
Socket Mode with SLACK_APP_TOKEN (no public URL needed).

One workspace with SLACK_BOT_TOKEN; many with SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (the OAuth install flow
at /slack/install and /slack/oauth_redirect, installations kept in the project's database).
"""

from __future__ import annotations

import logging

import aiohttp
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import Engine
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.bootstrap import App, sync_engine
from bot.slack.adapter import SlackAdapter
from bot.slack.config import is_configured
from bot.slack.installations import Installations, OAuthStates
from bot.slack.tokens import StaticTokens, Tokens

log = logging.getLogger(__name__)
SLACK_PATH = "/slack/events"
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
SCOPES = ("chat:write", "chat:write.public", "commands", "files:write", "im:history", "im:write", "users:read")
"""The bot scopes an install asks for (deploy/slack-manifest.yml lists the same)."""


def web_api_logger() -> logging.Logger:
    """slack_sdk's Web API logger with its level set to the level in force.

    slack_sdk reads the logger's own level, not the effective one: left unset (0, "below DEBUG") it formats a debug
    line with every request's blocks and every answer, only for logging to drop it (about 2% of the CPU per answer).
    """
    logger = logging.getLogger("slack_sdk.web.async_base_client")
    if logger.level == logging.NOTSET:
        logger.setLevel(logger.getEffectiveLevel())
    return logger


class SlackRunner:
    """The Slack adapter as the runtime drives it (HTTP mode)."""

    def __init__(self, app: App) -> None:
        settings = app.settings
        secret = settings.slack_signing_secret
        assert is_configured(settings), "Slack needs SLACK_SIGNING_SECRET and a bot token or OAuth credentials"
        # Socket Mode frames come over our own authenticated WebSocket: there is no request to sign.
        verify = settings.slack_app_token is None
        self.engine: Engine | None = None
        self.installations: Installations | None = None
        tokens: Tokens
        if settings.slack_client_id and settings.slack_client_secret:
            self.engine = sync_engine(settings.database_url)
            self.installations = tokens = Installations(settings.slack_client_id, self.engine)
            self.client = AsyncWebClient(base_url=settings.slack_api_base_url, logger=web_api_logger())
            public = (settings.public_url or "").rstrip("/")
            oauth = AsyncOAuthSettings(
                client_id=settings.slack_client_id,
                client_secret=settings.slack_client_secret,
                scopes=list(SCOPES),
                redirect_uri=public + REDIRECT_PATH if public else None,
                install_path=INSTALL_PATH,
                redirect_uri_path=REDIRECT_PATH,
                install_page_rendering_enabled=False,
                installation_store=self.installations,
                state_store=OAuthStates(self.engine),
            )
            # One workspace's token is looked up per request (find_bot), but its auth.test answer is kept: bolt's
            # default asks Slack again for every event, a Web API call before each acknowledgement.
            authorize = AsyncInstallationStoreAuthorize(
                logger=log,
                installation_store=self.installations,
                client_id=settings.slack_client_id,
                client_secret=settings.slack_client_secret,
                bot_only=True,
                cache_enabled=True,
                client=self.client,
            )
            self.bolt = AsyncApp(
                signing_secret=secret,
                client=self.client,
                oauth_settings=oauth,
                installation_store=self.installations,
                authorize=authorize,  # type: ignore[arg-type]  # bolt takes an AsyncAuthorize (isinstance), typed as a callable
                process_before_response=True,
                request_verification_enabled=verify,
                attaching_conversation_kwargs_enabled=False,  # say/set_status for AI assistants: unused, 0.5% of CPU
                name="cusdev",
            )
        else:
            token = settings.slack_bot_token
            assert token
            tokens = StaticTokens(token)
            self.client = AsyncWebClient(token=token, base_url=settings.slack_api_base_url, logger=web_api_logger())
            self.bolt = AsyncApp(
                signing_secret=secret,
                client=self.client,
                process_before_response=True,
                request_verification_enabled=verify,
                attaching_conversation_kwargs_enabled=False,  # say/set_status for AI assistants: unused, 0.5% of CPU
                name="cusdev",
            )
        self.adapter = SlackAdapter(
            app.service,
            app.storage,
            app.clock,
            self.client,
            tokens,
            self.bolt,
            settings.slack_chat_rate,
            self.installations,
            app.metrics,
        )
        self.relay = self.adapter.relay
        self.handler = AsyncSlackRequestHandler(self.bolt)
        self.session: aiohttp.ClientSession | None = None
        self.socket: AsyncSocketModeHandler | None = None
        if settings.slack_app_token:
            self.socket = AsyncSocketModeHandler(self.bolt, settings.slack_app_token, web_client=self.client)

    def routes(self) -> list[BaseRoute]:
        """POST /slack/events (signed events, commands, interactivity); the OAuth pages with many workspaces."""

        async def slack(request: Request) -> Response:
            return await self.handler.handle(request)

        routes: list[BaseRoute] = [] if self.socket else [Route(SLACK_PATH, slack, methods=["POST"])]
        if self.installations is not None:
            routes += [Route(INSTALL_PATH, slack, methods=["GET"]), Route(REDIRECT_PATH, slack, methods=["GET"])]
        return routes

    async def start(self) -> None:
        """Open the HTTP session every Web API call shares, then queue what a crash left unsent."""
        self.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        self.client.session = self.session
        self.relay.submit(
            await self.relay.storage.claim_unsent(self.relay.platform, self.relay.claim(), self.relay.clock.now())
        )
        if self.socket is not None:
            await self.socket.connect_async()  # type: ignore[no-untyped-call]

    async def stop_intake(self) -> None:
        """Stop taking events (the web server already stopped; a Socket Mode connection closes here), then let
        work that outlived its acknowledgement finish."""
        if self.socket is not None:
            await self.socket.close_async()  # type: ignore[no-untyped-call]
        await self.adapter.drain_pending()

    async def close(self) -> None:
        """Close the HTTP session and the OAuth stores' engine (after the relay drained)."""
        if self.session is not None:
            await self.session.close()
        if self.engine is not None:
            self.engine.dispose()
