"""A workspace leaving: an uninstall or revoked tokens delete what cusdev keeps to reach it."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore

from bot.metrics import Metrics
from bot.observe import ignored, observed_listener
from bot.slack.people import People
from bot.slack.translate import PLATFORM

log = logging.getLogger(__name__)


class Workspaces:
    """Listens for `app_uninstalled` and `tokens_revoked`, and acknowledges every other event (ignored)."""

    def __init__(
        self, app: AsyncApp, people: People, installations: AsyncInstallationStore | None, metrics: Metrics
    ) -> None:
        self.people, self.installations, self.metrics = people, installations, metrics
        app.event("app_uninstalled")(self.on_uninstalled)
        app.event("tokens_revoked")(self.on_tokens_revoked)

    @observed_listener(PLATFORM, "event_id")
    async def on_uninstalled(self, body: dict[str, Any], context: AsyncBoltContext) -> None:
        """The workspace removed the app: its tokens are deleted and nothing more goes there."""
        team = str(body.get("team_id") or context.team_id or "")
        self.people.forget(team)
        if self.installations is None:
            log.warning("slack workspace %s uninstalled the app; SLACK_BOT_TOKEN no longer works there", team)
            return
        await self.installations.async_delete_all(enterprise_id=context.enterprise_id, team_id=team)

    @observed_listener(PLATFORM, "event_id")
    async def on_tokens_revoked(self, body: dict[str, Any], event: dict[str, Any], context: AsyncBoltContext) -> None:
        """Tokens were revoked: the bot's (and users') tokens of the workspace are deleted."""
        team = str(body.get("team_id") or context.team_id or "")
        tokens = event.get("tokens") or {}
        if self.installations is None:  # one workspace's SLACK_BOT_TOKEN: nothing kept to delete
            log.warning("slack workspace %s revoked tokens; SLACK_BOT_TOKEN may no longer work there", team)
            return
        for user in tokens.get("oauth") or []:
            await self.installations.async_delete_installation(
                enterprise_id=context.enterprise_id, team_id=team, user_id=user
            )
        if tokens.get("bot"):
            self.people.forget(team)
            await self.installations.async_delete_bot(enterprise_id=context.enterprise_id, team_id=team)

    @observed_listener(PLATFORM, "event_id")
    async def on_other_event(self, ack: Any, body: dict[str, Any], event: dict[str, Any]) -> None:
        """Any other event: acknowledged so Slack does not retry it, and otherwise ignored."""
        ignored()
        log.debug("slack event %s ignored", event.get("type"))
        await ack()
