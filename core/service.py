"""The application service: load state, step the engine, commit state + effects + outbox together."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from core.commands import BOARD_COMMANDS, Caller, run_command
from core.engine import Context, step
from core.i18n import gettext_for, normalize_language
from core.messages import Incoming, Reply, TextBuilder
from core.ports import Clock, Conversation, IdSource, OutboxMessage, Storage, UnitOfWork
from core.script import HypothesesQuestion, Script
from core.state import ConversationState


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
        self._delivered: list[int] = []
        self._needs_hypotheses = {
            script_id: any(isinstance(q, HypothesesQuestion) for q in script.questions)
            for script_id, script in scripts.items()
        }

    async def handle(self, incoming: Incoming, team: str | None = None) -> list[OutboxMessage]:
        """Apply one event exactly once; returns the committed replies to send (none for a repeat)."""
        now = self.clock.now()
        delivered, self._delivered = self._delivered, []
        try:
            async with self.storage.transaction() as uow:
                await uow.mark_sent(delivered, now)
                if not await uow.claim_event(incoming.event_id, now):
                    return []
                conversation = await uow.conversation(incoming.conversation_key)
                if conversation is None:
                    membership = await uow.join_team(
                        incoming.platform,
                        incoming.user,
                        incoming.user_name or incoming.user,
                        team or self.settings.default_team,
                    )
                    state = ConversationState(lang=normalize_language(incoming.locale))
                    conversation = Conversation(
                        incoming.conversation_key, membership.team_id, membership.member_id, state
                    )
                replies = await self._board_command(uow, incoming, conversation, now)
                if replies is None:
                    replies = await self._interview_step(uow, incoming, conversation, now)
                await uow.save_conversation(conversation, now)
                ids = await uow.enqueue(incoming.address, replies, now)
        except BaseException:
            self._delivered = delivered + self._delivered
            raise
        return [OutboxMessage(i, incoming.address, reply) for i, reply in zip(ids, replies, strict=True)]

    async def _interview_step(
        self, uow: UnitOfWork, incoming: Incoming, conversation: Conversation, now: datetime
    ) -> list[Reply]:
        state = conversation.state
        if state.interview is None and await self._role(uow, conversation) == "mentor":
            _ = gettext_for(state.lang)
            text = _("Mentors can read the board (/status, /hypotheses, /phase) but not log interviews.")
            return [Reply(TextBuilder().add(text).build())]
        interview = state.interview
        needs = interview is not None and self._needs_hypotheses.get(interview.script_id, False)
        hypotheses = await uow.hypotheses(conversation.team_id) if needs else ()
        context = Context(self.scripts, now, self.ids.new_id(), hypotheses, self.settings.default_currency)
        result = step(state, incoming, context)
        conversation.state = result.state
        await uow.record(result.effects, conversation)
        return result.replies

    async def _board_command(
        self, uow: UnitOfWork, incoming: Incoming, conversation: Conversation, now: datetime
    ) -> list[Reply] | None:
        text = (incoming.text or "").strip()
        if not text.startswith("/"):
            return None
        name, _sep, arg = text[1:].partition(" ")
        name = name.split("@")[0].casefold()
        if name not in BOARD_COMMANDS:
            return None
        members = await uow.members(conversation.team_id)
        me = next((m for m in members if m.id == conversation.member_id), None)
        caller = Caller(
            conversation.team_id,
            conversation.member_id,
            me.name if me else incoming.user,
            me.role if me else "founder",
            conversation.state.lang,
            incoming.platform,
            incoming.user,
        )
        result = await run_command(name, arg, caller, uow, now)
        if result.switch_to is not None:
            conversation.team_id, conversation.member_id = result.switch_to
        return result.replies

    @staticmethod
    async def _role(uow: UnitOfWork, conversation: Conversation) -> str:
        members = await uow.members(conversation.team_id)
        return next((m.role for m in members if m.id == conversation.member_id), "founder")

    def delivered(self, ids: Sequence[int]) -> None:
        """Note replies as sent; the mark rides along with the next transaction (or flush)."""
        self._delivered.extend(ids)

    async def flush(self) -> None:
        """Write pending sent-marks now (on shutdown or when idle)."""
        delivered, self._delivered = self._delivered, []
        if not delivered:
            return
        try:
            async with self.storage.transaction() as uow:
                await uow.mark_sent(delivered, self.clock.now())
        except BaseException:
            self._delivered = delivered + self._delivered
            raise
