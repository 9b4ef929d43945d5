"""The application service: load state, step the engine, commit state + effects + outbox together."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from core.app.home import publish_home, seat_of
from core.app.ports import Claim, Clock, Conversation, IdSource, OutboxMessage, Storage, UnitOfWork
from core.board.command_base import CommandResult, Notice
from core.board.commands import BOARD_COMMANDS, GROUP_COMMANDS, Caller, run_command
from core.board.slash import parse_change
from core.command_registry import READ_COMMANDS
from core.i18n import gettext_for, normalize_language
from core.interview.effects import InterviewCompleted
from core.interview.engine import Context, step
from core.interview.form_fill import fill, script_form
from core.interview.payloads import Page, decode
from core.interview.state import ConversationState
from core.messages import (
    Choice,
    ChoicePressed,
    CommandInvoked,
    Destination,
    Ephemeral,
    Form,
    FormSubmitted,
    HomeOpened,
    Incoming,
    Origin,
    Reply,
    TextBuilder,
    UpdatePressed,
    reply_to,
)
from core.scripts.model import HypothesesQuestion, Script


@dataclass(frozen=True)
class ServiceSettings:
    """Defaults the service applies to new conversations."""

    default_team: str = "default"
    default_currency: str | None = None


class InterviewService:
    """Handles one incoming message in one transaction; replies leave through the outbox."""

    def __init__(
        self,
        storage: Storage,
        scripts: Mapping[str, Script],
        clock: Clock,
        ids: IdSource,
        settings: ServiceSettings | None = None,
    ) -> None:
        self.storage, self.scripts, self.clock, self.ids = storage, scripts, clock, ids
        self.settings = settings or ServiceSettings()
        self._needs_hypotheses = {
            script_id: any(isinstance(q, HypothesesQuestion) for q in script.questions)
            for script_id, script in scripts.items()
        }

    async def handle(
        self,
        incoming: Incoming,
        team: str | None = None,
        invite_base: str | None = None,
        team_name: str | None = None,
        claim: Claim | None = None,
        home: bool = False,
    ) -> list[OutboxMessage]:
        """Apply one event exactly once; returns the committed messages to send (none for a repeat).

        `team` (and `team_name`, when it is new) is where a first-time founder lands; `invite_base` is the
        adapter's deep-link prefix for /invite; `claim` hands the messages straight to the caller's relay;
        `home` says the platform has a home view (Slack's App Home), refreshed after each saved interview.
        """
        now = self.clock.now()
        if isinstance(incoming.input, HomeOpened):
            async with self.storage.transaction() as uow:
                if not await uow.events.claim(incoming.event_id, now):
                    return []
                seat = await seat_of(uow, incoming, team, team_name)
            return [] if seat is None else [await publish_home(self.storage, incoming, *seat, now, claim)]
        if is_read(incoming):  # answered from a snapshot outside the write lock; only its outbox row is written
            replies = await self.storage.read(lambda view: self._read(view, incoming, now, invite_base, team))
            if replies is not None:
                async with self.storage.transaction() as uow:
                    if not await uow.events.claim(incoming.event_id, now):
                        return []
                    return await _enqueue(uow, incoming, replies, now, claim)
        async with self.storage.transaction() as uow:
            if not await uow.events.claim(incoming.event_id, now):
                return []
            if incoming.is_group:
                replies = await self._group_command(uow, incoming, now, invite_base, team, team_name) or []
                return await _enqueue(uow, incoming, replies, now, claim)
            conversation = await self._conversation(uow, incoming, team, team_name, now)
            board = await self._board_command(uow, incoming, conversation, now, invite_base)
            saved: list[str] = []
            if board is None:
                replies, notices = await self._interview_step(uow, incoming, conversation, now, saved), []
            else:
                replies, notices = board.replies, board.notices
            await uow.conversations.save(conversation, now)
            messages = await _enqueue(uow, incoming, replies, now, claim, notices)
        if home and saved:  # the dashboard is read after the commit, outside the write lock
            lang = conversation.state.lang
            messages.append(await publish_home(self.storage, incoming, conversation.team_id, lang, now, claim))
        return messages

    async def language_of(self, origin: Origin, locale: str | None) -> str:
        """The language a person chose (/lang) in this chat; their platform's language until they have chosen."""
        conversation = await self.storage.read(lambda view: view.conversations.peek(origin.conversation_key))
        return conversation.state.lang if conversation is not None else normalize_language(locale)

    async def _conversation(
        self, uow: UnitOfWork, incoming: Incoming, team: str | None, team_name: str | None, now: datetime
    ) -> Conversation:
        """The person's conversation in this chat, locked; a first-time founder joins `team` (or the default)."""
        conversation = await uow.conversations.get(incoming.conversation_key)
        if conversation is None:
            membership = await uow.teams.join_team(
                incoming.platform,
                incoming.origin.user,
                incoming.user_name or incoming.origin.user,
                team or self.settings.default_team,
                team_name,
            )
            state = ConversationState(lang=normalize_language(incoming.locale))
            fresh = Conversation(incoming.conversation_key, membership.team_id, membership.member_id, state)
            # Insert-then-lock: two first messages at once must not both start from an empty state.
            await uow.conversations.create(fresh, now)
            conversation = await uow.conversations.get(incoming.conversation_key) or fresh
        return conversation

    def form(self, form_id: str, lang: str) -> Form | None:
        """The form of a script (its id is the form's), or None when the script cannot be one form."""
        script = self.scripts.get(form_id)
        return None if script is None else script_form(script, lang)

    async def submit_form(
        self, incoming: Incoming, team: str | None = None, team_name: str | None = None, claim: Claim | None = None
    ) -> tuple[list[OutboxMessage], dict[str, str]]:
        """A submitted form as one interview in one transaction: its messages, or errors by field (nothing stored)."""
        submitted, now = incoming.input, self.clock.now()
        assert isinstance(submitted, FormSubmitted)
        async with self.storage.transaction() as uow:
            conversation = await self._conversation(uow, incoming, team, team_name, now)
            lang = conversation.state.lang
            form, script = self.form(submitted.form_id, lang), self.scripts.get(submitted.form_id)
            if form is None or script is None:
                return [], {}
            if await self._role(uow, conversation) == "mentor":
                _ = gettext_for(lang)
                text = _("Mentors can read the board (/status, /hypotheses, /phase) but not log interviews.")
                return [], {form.fields[0].id: text}
            context = Context(self.scripts, now, self.ids.new_id(), (), self.settings.default_currency)
            filled = fill(script, form, dict(submitted.values), incoming, context, lang)
            if filled.errors or not await uow.events.claim(incoming.event_id, now):
                return [], filled.errors
            await uow.interviews.record(filled.effects, conversation)
            messages = await _enqueue(uow, incoming, filled.replies, now, claim)
        messages.append(await publish_home(self.storage, incoming, conversation.team_id, lang, now, claim))
        return messages, {}

    async def _read(
        self, view: UnitOfWork, incoming: Incoming, now: datetime, invite_base: str | None, team: str | None = None
    ) -> list[Reply] | None:
        """A read-only command answered on a snapshot; None when it needs the write path (a founder's first message)."""
        if incoming.is_group:
            return await self._group_command(view, incoming, now, invite_base, team, read_only=True)
        conversation = await view.conversations.peek(incoming.conversation_key)
        if conversation is None:
            return None
        result = await self._board_command(view, incoming, conversation, now, invite_base)
        return None if result is None else result.replies

    async def _interview_step(
        self, uow: UnitOfWork, incoming: Incoming, conversation: Conversation, now: datetime, saved: list[str]
    ) -> list[Reply]:
        state = conversation.state
        if state.interview is None and await self._role(uow, conversation) == "mentor":
            _ = gettext_for(state.lang)
            text = _("Mentors can read the board (/status, /hypotheses, /phase) but not log interviews.")
            return [Reply(TextBuilder().add(text).build())]
        interview = state.interview
        needs = interview is not None and self._needs_hypotheses.get(interview.script_id, False)
        hypotheses = await uow.hypotheses.linkable(conversation.team_id) if needs else ()
        context = Context(self.scripts, now, self.ids.new_id(), hypotheses, self.settings.default_currency)
        result = step(state, incoming, context)
        if result.needs_suggestions:  # read only when a screen offers the team's answers; the step is pure
            suggestions = await uow.interviews.suggestions(conversation.team_id)
            result = step(state, incoming, replace(context, suggestions=suggestions))
        conversation.state = result.state
        await uow.interviews.record(result.effects, conversation)
        saved.extend(effect.interview_id for effect in result.effects if isinstance(effect, InterviewCompleted))
        return result.replies

    async def _group_command(
        self,
        uow: UnitOfWork,
        incoming: Incoming,
        now: datetime,
        deep_link: str | None = None,
        team: str | None = None,
        team_name: str | None = None,
        read_only: bool = False,
    ) -> list[Reply] | None:
        """A command in a group: members of the group's team get the board; strangers a polite no.

        Where the platform names the person's team (`team`: a Slack workspace is one), a person in no team yet
        takes a seat in it first (on the write path: None from a read-only snapshot sends them there).
        """
        origin = incoming.origin
        chosen = await uow.conversations.latest_language_of(origin.platform, origin.user)
        lang = chosen or normalize_language(incoming.locale)
        _ = gettext_for(lang)
        command = command_of(incoming)
        name, arg = (command.name, command.arguments) if command else ("", "")
        if name not in GROUP_COMMANDS:
            text = _(
                "In a group I answer /status and /hypotheses for the team; interviews run in a private chat "
                "with me, so answers never show up here."
            )
            link = ((Choice(_("Open a private chat with me"), "", url=f"{deep_link}interview"),),) if deep_link else ()
            return [Reply(TextBuilder().add(text).build(), link, personal=True)]
        linked = await uow.teams.team_of_chat(f"{origin.platform}:{origin.chat}")
        memberships = await uow.teams.teams_of(origin.platform, origin.user)
        seats = {profile.id: (member_id, role) for profile, member_id, role in memberships}
        if not seats and team is not None and (linked is None or linked.slug == team):
            if read_only:
                return None
            person = incoming.user_name or origin.user
            joined = await uow.teams.join_team(origin.platform, origin.user, person, team, team_name)
            seats[joined.team_id] = (joined.member_id, await uow.teams.member_role(joined.member_id))
        team_id: int | None
        if linked is not None:
            team_id = linked.id if linked.id in seats else None
        else:
            latest = await uow.conversations.latest_team_of(origin.platform, origin.user)
            team_id = latest if latest in seats else next(iter(seats), None)
        if team_id is None:
            text = _("Sorry, I only answer members of this group's team. Message me privately to start your own.")
            return [Reply(TextBuilder().add(text).build(), personal=True)]
        member_id, role = seats[team_id]
        caller = Caller(
            team_id,
            member_id,
            incoming.user_name or origin.user,
            role,
            lang,
            origin.platform,
            origin.user,
            origin.chat,
            True,
            tenant=origin.tenant,
        )
        return (await run_command(name, arg, caller, uow, now)).replies

    async def _board_command(
        self,
        uow: UnitOfWork,
        incoming: Incoming,
        conversation: Conversation,
        now: datetime,
        invite_base: str | None = None,
    ) -> CommandResult | None:
        command = command_of(incoming)
        if command is None or command.name not in BOARD_COMMANDS:
            return None
        name, arg = command.name, command.arguments
        members = await uow.teams.members(conversation.team_id)
        me = next((m for m in members if m.id == conversation.member_id), None)
        caller = Caller(
            conversation.team_id,
            conversation.member_id,
            me.name if me else incoming.origin.user,
            me.role if me else "founder",
            conversation.state.lang,
            incoming.platform,
            incoming.origin.user,
            incoming.origin.chat,
            False,
            invite_base,
            interview_open=conversation.state.interview is not None,
            turn=conversation.state.turn,
            tenant=incoming.origin.tenant,
        )
        result = await run_command(name, arg, caller, uow, now)
        if result.switch_to is not None:
            conversation.team_id, conversation.member_id = result.switch_to
        return result

    @staticmethod
    async def _role(uow: UnitOfWork, conversation: Conversation) -> str:
        return await uow.teams.member_role(conversation.member_id)


def command_of(incoming: Incoming) -> CommandInvoked | None:
    """The command an event gives: a typed one, or a board list's page button (`/hypotheses 2` as a press)."""
    if incoming.command is not None:
        return incoming.command
    decoded = decode(incoming.choice) if incoming.choice is not None else None
    if decoded is not None and isinstance(decoded[1], Page) and decoded[1].command in READ_COMMANDS:
        return CommandInvoked(decoded[1].command, str(decoded[1].number))
    return None


def is_read(incoming: Incoming) -> bool:
    """True for a command that only reads the board (its write forms, like `/phase next`, are not)."""
    command = command_of(incoming)
    if command is None or command.name not in READ_COMMANDS:
        return False
    return parse_change(command.name, command.arguments, "en") is None


async def _enqueue(
    uow: UnitOfWork,
    incoming: Incoming,
    replies: list[Reply],
    now: datetime,
    claim: Claim | None,
    notices: Sequence[Notice] = (),
) -> list[OutboxMessage]:
    """Put the replies in the outbox (a screen that replaces the pressed one goes to that message, a personal reply
    in a group to its asker alone), then the notices for teammates, each to where it goes."""
    messages: list[OutboxMessage] = []
    for reply in replies:
        destination: Destination = reply_to(incoming)
        pressed, origin = incoming.input, incoming.origin
        if reply.personal and incoming.is_group:
            destination = Ephemeral(origin.platform, origin.tenant, origin.chat, origin.user)
        elif reply.replaces_prompt and isinstance(pressed, ChoicePressed) and pressed.message and not messages:
            destination = UpdatePressed(origin.platform, origin.tenant, origin.chat, pressed.message)
        [message_id] = await uow.outbox.enqueue(destination, [reply], now, claim)
        messages.append(OutboxMessage(message_id, destination, reply))
    for notice in notices:
        [message_id] = await uow.outbox.enqueue(notice.destination, [notice.reply], now, claim)
        messages.append(OutboxMessage(message_id, notice.destination, notice.reply))
    return messages
