"""The application service: load state, step the engine, commit state + effects + outbox together."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from core.app.commands import board_command, group_command, is_read
from core.app.digests import DigestBuilder, send_digest
from core.app.home import home_of, publish_home, seat_of
from core.app.observer import ServiceObserver, Unobserved
from core.app.ports import Claim, Clock, Conversation, IdSource, OutboxMessage, Storage, UnitOfWork
from core.app.queue import queue_one
from core.app.suggestions_cache import SuggestionsCache
from core.board.command_base import CommandResult, Notice
from core.board.digest_target import DigestRequest
from core.i18n import N_, gettext_for, normalize_language
from core.interview.effects import InterviewCompleted
from core.interview.engine import Context, step
from core.interview.form_fill import fill, script_form
from core.interview.state import ConversationState
from core.messages import (
    ChoicePressed,
    Destination,
    Ephemeral,
    Form,
    FormSubmitted,
    HomeOpened,
    HomeView,
    Incoming,
    Origin,
    Reply,
    TextBuilder,
    UpdatePressed,
    reply_to,
)
from core.scripts.model import HypothesesQuestion, Script

log = logging.getLogger(__name__)
HomeHook = Callable[[HomeView, int, str], None]
"""Asked to refresh a person's home view (home view, team, language): they opened it, or saved an interview."""
DIGEST_FAILED = N_("Sorry, I couldn't put the digest together just now; nothing was sent. Please try again.")
MENTORS_READ_ONLY = N_("Mentors can read the board (/status, /hypotheses, /phase) but not log interviews.")


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
        digest_builder: DigestBuilder | None = None,
        observer: ServiceObserver | None = None,
    ) -> None:
        self.storage, self.scripts, self.clock, self.ids = storage, scripts, clock, ids
        self.observer: ServiceObserver = observer or Unobserved()
        self.digest_builder = digest_builder
        self.settings = settings or ServiceSettings()
        self._suggestions = SuggestionsCache()
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
        refresh_home: HomeHook | None = None,
    ) -> list[OutboxMessage]:
        """Apply one event exactly once; returns the committed messages to send (none for a repeat).

        `team` (and `team_name`, when it is new) is where a first-time founder lands; `invite_base` is the
        adapter's deep-link prefix for /invite; `claim` hands the messages straight to the caller's relay;
        `refresh_home` is asked after the commit when the person opened their home view or saved an interview
        (Slack's App Home); without it an opened home view is published before this returns.
        """
        now = self.clock.now()
        if isinstance(incoming.input, HomeOpened):
            async with self.storage.transaction() as uow:
                if not await uow.events.claim(incoming.event_id, now):
                    return self._repeated(incoming)
                seat = await seat_of(uow, incoming, team, team_name)
            if seat is None:
                return []
            if refresh_home is not None:
                refresh_home(home_of(incoming), *seat)
                return []
            return [await publish_home(self.storage, home_of(incoming), *seat, now, claim)]
        if is_read(incoming):  # answered from a snapshot outside the write lock; only its outbox row is written
            replies = await self.storage.read(lambda view: self._read(view, incoming, now, invite_base, team))
            if replies is not None:
                async with self.storage.transaction() as uow:
                    if not await uow.events.claim(incoming.event_id, now):
                        return self._repeated(incoming)
                    return await _enqueue(uow, incoming, replies, now, claim)
        result = CommandResult()
        saved: list[tuple[int, str]] = []  # (team, language) when the event saved an interview
        changed: list[int | None] = []  # teams whose offered answers may have changed (None: any team)
        async with self.storage.transaction() as uow:
            if not await uow.events.claim(incoming.event_id, now):
                return self._repeated(incoming)
            if incoming.is_group:
                result = await group_command(uow, incoming, now, invite_base, team, team_name) or result
                changed.append(None)  # the group's team is not at hand here; a command in a group is rare
                messages = await _enqueue(uow, incoming, result.replies, now, claim)
            else:
                conversation = await self._conversation(uow, incoming, team, team_name, now)
                board = await board_command(uow, incoming, conversation, now, invite_base)
                if board is None:
                    replies = await self._interview_step(uow, incoming, conversation, now, saved)
                else:  # a command may rename, merge or restore what the team's suggestions are made of
                    result, replies = board, board.replies
                    changed.append(conversation.team_id)
                await uow.conversations.save(conversation, now)
                messages = await _enqueue(uow, incoming, replies, now, claim, result.notices)
        for team_id in [*changed, *(team_id for team_id, _lang in saved)]:  # after the commit, so no read misses it
            self._suggestions.forget(team_id)
        if refresh_home is not None and saved:
            refresh_home(home_of(incoming), *saved[0])
        for request in result.digests:  # built from what was just committed, outside the write lock
            messages.extend(await self._send_digest(request, now, claim))
        return messages

    def _repeated(self, incoming: Incoming) -> list[OutboxMessage]:
        """A redelivered event: the observer hears of it, and nothing is sent."""
        self.observer.duplicate(incoming)
        return []

    async def _send_digest(self, request: DigestRequest, now: datetime, claim: Claim | None) -> list[OutboxMessage]:
        """A digest asked for in chat, after the command's commit; a failure is said to the asker, never raised."""
        asker = request.asker
        if asker is None or request.destination.platform != asker.platform:
            claim = None  # another platform's relay sends it (from the outbox)
        try:
            if self.digest_builder is None:
                raise RuntimeError("this service was built without a digest builder")
            sent = await send_digest(self.storage, request, self.digest_builder, now, claim)
        except Exception:
            log.exception("the %s digest of team %s could not be built", request.kind, request.team_id)
            if asker is None:
                return []
            reply = Reply(TextBuilder().add(gettext_for(request.asker_lang)(DIGEST_FAILED)).build(), personal=True)
            async with self.storage.transaction() as uow:
                return [await queue_one(uow, asker, reply, now, claim)]
        if sent is None:
            return []
        self.observer.digest(sent.destination.platform, request.kind)
        return [sent]

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
        self.observer.team(conversation.team_id)
        return conversation

    def form(self, form_id: str, lang: str) -> Form | None:
        """The form of a script (its id is the form's), or None when the script cannot be one form."""
        script = self.scripts.get(form_id)
        return None if script is None else script_form(script, lang)

    async def submit_form(
        self,
        incoming: Incoming,
        team: str | None = None,
        team_name: str | None = None,
        claim: Claim | None = None,
        refresh_home: HomeHook | None = None,
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
                return [], {form.fields[0].id: gettext_for(lang)(MENTORS_READ_ONLY)}
            context = Context(self.scripts, now, self.ids.new_id(), (), self.settings.default_currency)
            filled = fill(script, form, dict(submitted.values), incoming, context, lang)
            if filled.errors:
                return [], filled.errors
            if not await uow.events.claim(incoming.event_id, now):
                return self._repeated(incoming), {}
            await uow.interviews.record(filled.effects, conversation)
            messages = await _enqueue(uow, incoming, filled.replies, now, claim)
        self._suggestions.forget(conversation.team_id)
        if refresh_home is not None:
            refresh_home(home_of(incoming), conversation.team_id, lang)
        return messages, {}

    async def _read(
        self, view: UnitOfWork, incoming: Incoming, now: datetime, invite_base: str | None, team: str | None = None
    ) -> list[Reply] | None:
        """A read-only command answered on a snapshot; None when it needs the write path (a founder's first message)."""
        if incoming.is_group:
            found = await group_command(view, incoming, now, invite_base, team, read_only=True)
            return None if found is None else found.replies
        conversation = await view.conversations.peek(incoming.conversation_key)
        if conversation is None:
            return None
        result = await board_command(view, incoming, conversation, now, invite_base)
        return None if result is None else result.replies

    async def _interview_step(
        self,
        uow: UnitOfWork,
        incoming: Incoming,
        conversation: Conversation,
        now: datetime,
        saved: list[tuple[int, str]],
    ) -> list[Reply]:
        state = conversation.state
        if state.interview is None and await self._role(uow, conversation) == "mentor":
            return [Reply(TextBuilder().add(gettext_for(state.lang)(MENTORS_READ_ONLY)).build())]
        interview = state.interview
        needs = interview is not None and self._needs_hypotheses.get(interview.script_id, False)
        hypotheses = await uow.hypotheses.linkable(conversation.team_id) if needs else ()
        context = Context(self.scripts, now, self.ids.new_id(), hypotheses, self.settings.default_currency)
        cached, token = self._suggestions.get(conversation.team_id, now), self._suggestions.token()
        result = step(state, incoming, replace(context, suggestions=cached))
        if result.needs_suggestions:  # read only when a screen offers the team's answers; the step is pure
            suggestions = await uow.interviews.suggestions(conversation.team_id)
            self._suggestions.keep(conversation.team_id, suggestions, now, token)
            result = step(state, incoming, replace(context, suggestions=suggestions))
        conversation.state = result.state
        await uow.interviews.record(result.effects, conversation)
        if any(isinstance(effect, InterviewCompleted) for effect in result.effects):
            saved.append((conversation.team_id, result.state.lang))
        return result.replies

    @staticmethod
    async def _role(uow: UnitOfWork, conversation: Conversation) -> str:
        return await uow.teams.member_role(conversation.member_id)


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
        messages.append(await queue_one(uow, destination, reply, now, claim))
    for notice in notices:
        messages.append(await queue_one(uow, notice.destination, notice.reply, now, claim))
    return messages
