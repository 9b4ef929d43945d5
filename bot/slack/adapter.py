"""Slack events, /cusdev commands and button presses in, core Incomings out; replies go to the Slack relay.

Listeners commit the event's effects before answering Slack (so a failure answers 500 and Slack redelivers,
and the processed-event id makes the redelivery harmless), but never past ACK_BUDGET: slower work goes on
after the acknowledgement. No interview or board logic here.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable, Coroutine
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery.relay import Note, Relay
from bot.metrics import Metrics
from bot.observe import ignored, observed_listener
from bot.slack.modals import FORM_COMMANDS, Modals
from bot.slack.people import People, Person
from bot.slack.render import ACTION_PREFIX, LINK_PREFIX, escape, pressed_blocks
from bot.slack.sender import ChannelLimiter, SlackSender
from bot.slack.tokens import Tokens
from bot.slack.translate import (
    PLATFORM,
    SLASH,
    channel_origin,
    dm_origin,
    event_key,
    message_kind,
    plain_text,
    press_of,
    subcommand,
)
from bot.slack.workspaces import Workspaces
from core.app.home_refresh import HomeRefresher
from core.app.ports import Clock, OutboxMessage, Storage
from core.app.service import InterviewService
from core.command_registry import BY_NAME, GROUP_COMMANDS
from core.i18n import N_, gettext_for, normalize_language
from core.messages import CommandInvoked, Ephemeral, HomeOpened, Incoming, Origin, UpdatePressed

log = logging.getLogger(__name__)
INVITE = N_(
    "Everyone in this Slack workspace is on {team}: a co-founder just opens a direct message with me, or types "
    "/cusdev interview. To make someone a mentor: /cusdev team role NAME mentor."
)
NO_DM = N_("I couldn't open a direct message with you. Open my Messages tab, then try again.")
Marker = Callable[[bool], Note]
"""Makes the note that marks a pressed message: with the chosen answer (True) or only without its buttons."""
ACK_BUDGET = 2.0
"""Seconds a listener may spend before Slack gets its answer (Slack gives up at 3)."""


class SlackAdapter:
    """Translates between slack-bolt and the interview service, for one or many workspaces."""

    def __init__(
        self,
        service: InterviewService,
        storage: Storage,
        clock: Clock,
        client: AsyncWebClient,
        tokens: Tokens,
        app: AsyncApp,
        chat_rate: float = 1.0,
        installations: AsyncInstallationStore | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.service, self.client, self.app = service, client, app
        self.metrics = metrics or Metrics()
        self.sender = SlackSender(client, tokens, ChannelLimiter(per_second=chat_rate), self.metrics)
        self.relay = Relay(PLATFORM, storage, self.sender, clock)
        self.homes = HomeRefresher(storage, clock, self.relay.claim, self.relay.submit)
        self.people = People(client)
        self.pending: set[asyncio.Task[None]] = set()
        app.event("message")(self.on_message)
        app.event("app_home_opened")(self.on_home)
        app.command(SLASH)(self.on_command)
        app.action(re.compile("^" + re.escape(ACTION_PREFIX)))(self.on_action)
        app.action(re.compile("^" + re.escape(LINK_PREFIX)))(self.on_link)
        self.modals = Modals(self)
        self.workspaces = Workspaces(app, self.people, installations, self.metrics)
        app.event(re.compile(".*"))(self.workspaces.on_other_event)  # last: the listeners above come first

    # -- the work, committed within the ack budget ------------------------------------------------------
    async def within_budget(self, work: Coroutine[Any, Any, None]) -> None:
        """Run the work; past ACK_BUDGET let it finish after the answer to Slack (its failure is then logged)."""
        task = asyncio.create_task(work)
        self.pending.add(task)
        task.add_done_callback(self._finished)
        done, _pending = await asyncio.wait({task}, timeout=ACK_BUDGET)
        if task in done:
            task.result()

    def _finished(self, task: asyncio.Task[None]) -> None:
        self.pending.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("slack work failed", exc_info=task.exception())

    async def handle(self, incoming: Incoming, token: str, pressed: Marker | None = None) -> list[OutboxMessage]:
        """Hand one event to the service (a first-time person joins their workspace's team) and queue the replies,
        after marking the pressed message (with the answer, unless the press was stale) when there is one."""
        team = incoming.origin.tenant
        messages = await self.service.handle(
            incoming,
            team=f"slack-{team}",
            team_name=await self.people.workspace_name(token, team),
            claim=self.relay.claim(),
            refresh_home=self.homes.request,
        )
        first = messages[0] if messages else None
        before = (
            None  # the pressed message is replaced anyway, the press was refused to its presser, or nothing happened
        )
        if pressed is not None and first is not None and not isinstance(first.destination, (UpdatePressed, Ephemeral)):
            before = pressed(not first.reply.stale_press)
        self.relay.submit(messages, before=before)
        return messages

    def note(self, origin: Origin, person: Person, text: str) -> None:
        """A short note in the person's language, outside the outbox, in the chat's delivery order."""
        _ = gettext_for(normalize_language(person.locale))
        mrkdwn, team, channel = escape(_(text)), origin.tenant, origin.chat

        async def send_note() -> None:
            await self.sender.note(team, channel, mrkdwn)

        self.relay.note((team, channel), send_note)

    # -- listeners (each observed: its time, outcome and event id) --------------------------------------------
    @observed_listener(PLATFORM, "event_id")
    async def on_message(self, body: dict[str, Any], event: dict[str, Any], context: AsyncBoltContext) -> None:
        """A message in the DM with the bot: typed text answers; edits and files get a clear note."""
        kind = message_kind(event)
        token = context.bot_token
        if kind == "ignore" or not token:
            ignored()
            return
        team = str(body.get("team_id") or context.team_id or "")
        user = str(event.get("user") or (event.get("message") or {}).get("user") or "")
        origin = dm_origin(team, str(event.get("channel", "")), user)
        self.people.remember_dm(team, user, origin.chat)
        person = await self.people.person(token, team, user)
        if kind in ("edited", "file"):
            ignored()
        if kind == "edited":
            self.note(
                origin,
                person,
                N_(
                    "Editing a sent message doesn't change a saved answer. Press Back, "
                    "or change any answer from the summary at the end."
                ),
            )
            return
        if kind == "file":
            self.note(origin, person, N_("I can only read text. Please type your answer (or /cusdev help)."))
            return
        text = plain_text(str(event.get("text") or ""))
        key = event_key(team, "event", str(body.get("event_id") or event.get("client_msg_id") or event.get("ts")))
        incoming = Incoming.typed(origin, key, text, person.locale, person.name)
        await self.within_budget(self._run(incoming, token))

    async def _run(self, incoming: Incoming, token: str, pressed: Marker | None = None) -> None:
        await self.handle(incoming, token, pressed)

    @observed_listener(PLATFORM, "trigger_id")
    async def on_command(self, ack: Any, body: dict[str, Any], context: AsyncBoltContext) -> None:
        """`/cusdev ...`: board answers in a channel go to the channel; everything personal to the DM."""
        team, user, channel = (
            str(body.get("team_id", "")),
            str(body.get("user_id", "")),
            str(body.get("channel_id", "")),
        )
        token = context.bot_token or ""
        person = await self.people.person(token, team, user)
        _ = gettext_for(normalize_language(person.locale))
        command = subcommand(str(body.get("text") or ""))
        if command.name not in BY_NAME or (command.name == "start" and command.arguments):
            command = CommandInvoked("help")
        if command.name == "invite":  # a Slack workspace is the team: there is no link to send
            workspace = await self.people.workspace_name(token, team)
            await ack(response_type="ephemeral", text=escape(_(INVITE).format(team=workspace)))
            return
        dm = await self.people.dm(token, team, user)
        form = FORM_COMMANDS.get(command.name) if not command.arguments else None
        if form and await self.modals.open(token, str(body.get("trigger_id", "")), form, person.locale, dm or channel):
            await ack()
            return
        ack_text: str | None = None
        origin: Origin
        in_channel = command.name in GROUP_COMMANDS and not channel.startswith("D")  # not a DM between people
        if channel == dm or (dm is None and channel.startswith("D")):
            origin = dm_origin(team, channel, user)
        elif in_channel:
            origin = channel_origin(team, channel, user)
        elif dm is None:  # interview answers never go to a channel: without the DM there is nowhere to ask
            await ack(response_type="ephemeral", text=escape(_(NO_DM)))
            return
        else:
            origin = dm_origin(team, dm, user)
            ack_text = _("I answered in our direct messages.")
        key = event_key(team, "command", str(body.get("trigger_id") or body.get("command_ts") or ""))
        incoming = Incoming(origin, key, command, person.locale, person.name)
        try:
            await self.within_budget(self._run(incoming, token))
        except Exception:
            log.exception("a /cusdev command failed")
            text = _("Sorry, that didn't go through and nothing was saved. Please send it again.")
            await ack(response_type="ephemeral", text=escape(text))
            return
        if ack_text:
            await ack(response_type="ephemeral", text=escape(ack_text))
        else:
            await ack()

    @observed_listener(PLATFORM, "trigger_id")
    async def on_action(self, ack: Any, body: dict[str, Any], context: AsyncBoltContext) -> None:
        """A pressed button: the press goes to the service; the pressed message then shows the answer."""
        press = press_of(body)
        token = context.bot_token or ""
        person = await self.people.person(token, press.team, press.user)
        channel = press.channel or await self.people.dm(token, press.team, press.user)
        if channel is None:
            await ack()
            return
        command = press.input
        form = FORM_COMMANDS.get(command.name) if isinstance(command, CommandInvoked) else None
        if form and await self.modals.open(token, press.trigger, form, person.locale, channel):
            await ack()  # a Home-tab button that a modal answers, as /cusdev quick is
            return
        private = channel.startswith("D")
        maker = dm_origin if private else channel_origin
        origin = maker(press.team, channel, press.user)
        incoming = Incoming(
            origin, event_key(press.team, "action", press.trigger), press.input, person.locale, person.name
        )
        pressed: Marker | None = None
        if press.channel and press.message_ts and press.blocks:
            text = escape(str((body.get("message") or {}).get("text") or press.label or "…"))
            message_ts = press.message_ts

            def pressed(counted: bool) -> Note:
                marked = pressed_blocks(press.blocks, press.label if counted else None)

                async def mark_pressed() -> None:
                    await self.sender.update(press.team, channel, message_ts, marked, text)

                return mark_pressed

        try:
            await self.within_budget(self._run(incoming, token, pressed))
        finally:
            await ack()

    @observed_listener(PLATFORM, None)
    async def on_link(self, ack: Any) -> None:
        """A link button: Slack opened its url and still reports the press; acknowledged, nothing else."""
        ignored()
        await ack()

    @observed_listener(PLATFORM, "event_id")
    async def on_home(self, body: dict[str, Any], event: dict[str, Any], context: AsyncBoltContext) -> None:
        """The App Home tab opened: the team's dashboard is published there."""
        token = context.bot_token
        if event.get("tab", "home") != "home" or not token:
            ignored()
            return
        team, user = str(body.get("team_id") or context.team_id or ""), str(event.get("user", ""))
        channel = str(event.get("channel") or await self.people.dm(token, team, user) or "")
        if channel:
            self.people.remember_dm(team, user, channel)
        person = await self.people.person(token, team, user)
        key = event_key(team, "event", str(body.get("event_id") or event.get("event_ts")))
        incoming = Incoming(dm_origin(team, channel, user), key, HomeOpened(), person.locale, person.name)
        await self.within_budget(self._run(incoming, token))

    async def drain_pending(self) -> None:
        """Wait for work that outlived its acknowledgement, then for the App Home refreshes it asked for."""
        if self.pending:
            await asyncio.gather(*list(self.pending), return_exceptions=True)
        await self.homes.drain()
