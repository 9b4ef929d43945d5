"""The application service: load state, step the engine, commit state + effects + outbox together."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.engine import Context, step
from core.i18n import normalize_language
from core.messages import Incoming
from core.ports import Clock, Conversation, IdSource, OutboxMessage, Storage
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
                interview = conversation.state.interview
                needs = interview is not None and self._needs_hypotheses.get(interview.script_id, False)
                hypotheses = await uow.hypotheses(conversation.team_id) if needs else ()
                context = Context(self.scripts, now, self.ids.new_id(), hypotheses, self.settings.default_currency)
                result = step(conversation.state, incoming, context)
                conversation.state = result.state
                await uow.record(result.effects, conversation)
                await uow.save_conversation(conversation, now)
                ids = await uow.enqueue(incoming.address, result.replies, now)
        except BaseException:
            self._delivered = delivered + self._delivered
            raise
        return [OutboxMessage(i, incoming.address, reply) for i, reply in zip(ids, result.replies, strict=True)]

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
