"""`/cusdev quick` as a modal: opened with the command's trigger, submitted as one interview or shown its errors."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncBoltContext
from slack_sdk.errors import SlackApiError

from bot.observe import observed_listener
from bot.slack.forms import CALLBACK_PREFIX, metadata_channel, modal, submitted_values
from bot.slack.translate import PLATFORM, dm_origin, event_key
from core.i18n import gettext_for, normalize_language
from core.messages import FormSubmitted, Incoming

if TYPE_CHECKING:
    from bot.slack.adapter import SlackAdapter

log = logging.getLogger(__name__)
FORM_COMMANDS = {"quick": "quick"}
"""Subcommands answered with a modal, and the script (form) each opens."""


class Modals:
    """Opens form modals and takes their submissions for one adapter."""

    def __init__(self, adapter: SlackAdapter) -> None:
        self.adapter, self.metrics = adapter, adapter.metrics
        adapter.app.view(re.compile("^" + re.escape(CALLBACK_PREFIX)))(self.on_submit)

    async def open(self, token: str, trigger: str, form_id: str, locale: str | None, channel: str) -> bool:
        """Open the form's modal (the trigger is valid for 3 s); False when there is no form or Slack refused."""
        lang = normalize_language(locale)
        form = self.adapter.service.form(form_id, lang)
        if form is None or not trigger:
            return False
        view = modal(form, gettext_for(lang)("Cancel"), channel)
        try:
            await self.adapter.client.api_call(
                "views.open", json={"trigger_id": trigger, "view": view}, headers={"Authorization": f"Bearer {token}"}
            )
        except (SlackApiError, OSError, TimeoutError) as exc:
            log.warning("could not open the %s modal: %s", form_id, exc)
            return False
        return True

    @observed_listener(PLATFORM, "trigger_id")
    async def on_submit(self, ack: Any, body: dict[str, Any], context: AsyncBoltContext) -> None:
        """A submitted modal: one interview in one transaction, or its errors shown next to the fields."""
        view = body.get("view") or {}
        team = str((body.get("team") or {}).get("id") or context.team_id or "")
        user = str((body.get("user") or {}).get("id") or "")
        token = context.bot_token or ""
        adapter = self.adapter
        person = await adapter.people.person(token, team, user)
        channel = metadata_channel(view) or await adapter.people.dm(token, team, user) or ""
        form_id = str(view.get("callback_id", "")).removeprefix(CALLBACK_PREFIX)
        submitted = FormSubmitted(form_id, submitted_values(view))
        key = event_key(team, "view", str(view.get("id") or body.get("trigger_id") or ""))
        incoming = Incoming(dm_origin(team, channel, user), key, submitted, person.locale, person.name)
        messages, errors = await adapter.service.submit_form(
            incoming,
            team=f"slack-{team}",
            team_name=await adapter.people.workspace_name(token, team),
            claim=adapter.relay.claim(),
            refresh_home=adapter.homes.request,
        )
        adapter.relay.submit(messages)
        if errors:
            await ack(response_action="errors", errors=errors)
        else:
            await ack()
