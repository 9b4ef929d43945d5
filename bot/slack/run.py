"""Slack in the runtime: events, /cusdev and interactivity at POST /slack/events on the ASGI app."""

from __future__ import annotations

import logging

import aiohttp
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.bootstrap import App
from bot.slack.adapter import SlackAdapter
from bot.slack.sender import StaticTokens

log = logging.getLogger(__name__)
SLACK_PATH = "/slack/events"


class SlackRunner:
    """The Slack adapter as the runtime drives it (HTTP mode, one workspace per SLACK_BOT_TOKEN)."""

    def __init__(self, app: App) -> None:
        settings = app.settings
        token, secret = settings.slack_bot_token, settings.slack_signing_secret
        assert token and secret, "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are required"
        self.client = AsyncWebClient(token=token, base_url=settings.slack_api_base_url)
        self.bolt = AsyncApp(
            signing_secret=secret,
            client=self.client,
            process_before_response=True,
            name="cusdev",
        )
        self.adapter = SlackAdapter(
            app.service, app.storage, app.clock, self.client, StaticTokens(token), self.bolt, settings.slack_chat_rate
        )
        self.relay = self.adapter.relay
        self.handler = AsyncSlackRequestHandler(self.bolt)
        self.session: aiohttp.ClientSession | None = None

    def routes(self) -> list[BaseRoute]:
        """POST /slack/events: signed events, slash commands and interactivity."""

        async def slack_events(request: Request) -> Response:
            return await self.handler.handle(request)

        return [Route(SLACK_PATH, slack_events, methods=["POST"])]

    async def start(self) -> None:
        """Open the HTTP session every Web API call shares, then queue what a crash left unsent."""
        self.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        self.client.session = self.session
        self.relay.submit(
            await self.relay.storage.claim_unsent(self.relay.platform, self.relay.claim(), self.relay.clock.now())
        )

    async def stop_intake(self) -> None:
        """Let work that outlived its acknowledgement finish (requests stopped with the web server)."""
        await self.adapter.drain_pending()

    async def close(self) -> None:
        """Close the HTTP session (after the relay drained)."""
        if self.session is not None:
            await self.session.close()
