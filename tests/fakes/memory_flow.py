"""core.app.ports' per-message repositories over in-memory rows: events, conversations, interviews, the outbox."""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from core.analytics.items import normalize_item, resolved_merges
from core.app.ports import Claim, Conversation, OutboxMessage
from core.domain import EvidenceLink, InterviewRecord, InterviewSummary
from core.interview.effects import (
    AnswerRemoved,
    AnswerSaved,
    Effect,
    InterviewCompleted,
    InterviewStarted,
    InterviewStatusChanged,
)
from core.interview.offers import OFFERED, Suggestions, offered_pains
from core.interview.state import ConversationState
from core.messages import Destination, Reply, ToChat, chat_of
from core.messages.stored import dump_message, load_message
from tests.fakes.memory_rows import ConversationRow, EvidenceRow, InterviewRow, OutboxRow, Rows, money
from tests.fakes.memory_teams import InMemoryHypotheses

CHAT_LIMIT = 50
"""Messages of one chat claimed at once, as in storage.outbox_repo."""


class InMemoryEvents:
    """Implements core.app.ports.EventRepository."""

    def __init__(self, rows: Rows) -> None:
        self.rows = rows

    async def claim(self, event_id: str, at: datetime) -> bool:
        """Record the event id; False if it was processed before."""
        if event_id in self.rows.events:
            return False
        self.rows.events[event_id] = at
        return True


class InMemoryConversations:
    """Implements core.app.ports.ConversationRepository (the state kept in its JSON form, as in the database)."""

    def __init__(self, rows: Rows) -> None:
        self.rows = rows

    async def get(self, key: str) -> Conversation | None:
        """The stored conversation (one transaction at a time holds the storage, so it is locked already)."""
        row = self.rows.conversations.get(key)
        if row is None:
            return None
        return Conversation(key, row.team_id, row.member_id, ConversationState.from_dict(copy.deepcopy(row.state)))

    async def peek(self, key: str) -> Conversation | None:
        """The stored conversation, for a read."""
        return await self.get(key)

    async def create(self, conversation: Conversation, at: datetime) -> None:
        """Insert a first conversation unless one is there (then it stands)."""
        if conversation.key not in self.rows.conversations:
            await self.save(conversation, at)

    async def save(self, conversation: Conversation, at: datetime) -> None:
        """Insert or update the conversation state."""
        state = copy.deepcopy(conversation.state.to_dict())
        self.rows.conversations[conversation.key] = ConversationRow(
            conversation.team_id, conversation.member_id, state, at
        )

    async def latest_team_of(self, platform: str, user: str) -> int | None:
        """The team of the person's most recently used conversation, if any."""
        theirs = [
            row
            for row in self.rows.conversations.values()
            if (member := self.rows.members.get(row.member_id)) and member.platform == platform and member.user == user
        ]
        return max(theirs, key=lambda row: row.updated_at).team_id if theirs else None

    async def latest_language_of(self, platform: str, user: str) -> str | None:
        """The language of the person's most recently used conversation, if any."""
        theirs = [
            row
            for row in self.rows.conversations.values()
            if (member := self.rows.members.get(row.member_id)) and member.platform == platform and member.user == user
        ]
        return ConversationState.from_dict(max(theirs, key=lambda row: row.updated_at).state).lang if theirs else None


class InMemoryInterviews:
    """Implements core.app.ports.InterviewRepository."""

    def __init__(self, rows: Rows, hypotheses: InMemoryHypotheses) -> None:
        self.rows, self.hypotheses = rows, hypotheses

    async def record(self, effects: Sequence[Effect], conversation: Conversation) -> None:
        """Apply the engine's effects."""
        for effect in effects:
            if isinstance(effect, InterviewStarted):
                self.rows.interviews[effect.interview_id] = InterviewRow(
                    effect.interview_id,
                    conversation.team_id,
                    conversation.member_id,
                    effect.script_id,
                    effect.lang,
                    "in_progress",
                    effect.at,
                )
            elif isinstance(effect, AnswerSaved):
                interview = self.rows.interviews[effect.interview_id]
                interview.answers[effect.question_id] = copy.deepcopy(effect.value)
                interview.flags[effect.question_id] = list(effect.flags)
            elif isinstance(effect, AnswerRemoved):
                self.rows.interviews[effect.interview_id].answers.pop(effect.question_id, None)
                self.rows.interviews[effect.interview_id].flags.pop(effect.question_id, None)
            elif isinstance(effect, InterviewStatusChanged):
                self.rows.interviews[effect.interview_id].status = effect.status
            elif isinstance(effect, InterviewCompleted):
                await self.complete(effect.interview_id, effect.record, effect.at, conversation.team_id)

    async def complete(self, interview_id: str, record: InterviewRecord, at: datetime, team_id: int) -> None:
        """Keep the record as the database would give it back: money normalized, new hypotheses created."""
        interview = self.rows.interviews[interview_id]
        links = []
        for link in record.evidence:
            code = link.hypothesis or "?"
            if link.new_statement:
                founder = self.rows.members.get(interview.member_id)
                code = self.hypotheses.create(team_id, link.new_statement, at, founder.name if founder else "").code
            links.append(EvidenceLink(link.stance, link.strength, hypothesis=code, quote=link.quote))
            self.rows.evidence.append(EvidenceRow(interview_id, code, link.stance, link.strength, link.quote))
        price = record.price
        interview.record = replace(
            record,
            price=replace(
                price,
                spends_now=money(price.spends_now),
                too_cheap=money(price.too_cheap),
                bargain=money(price.bargain),
                getting_expensive=money(price.getting_expensive),
                too_expensive=money(price.too_expensive),
            ),
            commitments=tuple(replace(c, amount=money(c.amount)) for c in record.commitments),
            evidence=tuple(links),
        )
        interview.status, interview.completed_at = "completed", at

    async def suggestions(self, team_id: int) -> Suggestions:
        """The segments of most saved interviews (latest first on a tie); the pains most named, after /merge."""
        saved = [i for i in self.rows.interviews.values() if i.team_id == team_id and i.status == "completed"]
        merged = resolved_merges({key: m.entry[1] for key, m in self.rows.merges.get(team_id, {}).items()})
        segments: dict[str, list[datetime]] = {}
        pains: dict[str, tuple[set[str], list[tuple[str, str]]]] = {}
        for interview in saved:
            if interview.record.segment is not None:
                segments.setdefault(interview.record.segment, []).append(interview.completed_at or interview.started_at)
            for pain in interview.record.pains:
                key = normalize_item(pain.text)
                ids, wordings = pains.setdefault(merged.get(key, key), (set(), []))
                ids.add(interview.id)
                wordings.append((key, pain.text))
        by_use = sorted(segments, key=lambda s: (-len(segments[s]), -max(segments[s]).timestamp(), s))
        groups = ((len(ids), wordings) for ids, wordings in pains.values())
        return Suggestions(tuple(by_use[:OFFERED]), offered_pains(groups, merged))

    async def summaries(self, team_id: int) -> list[InterviewSummary]:
        """The team's interviews with their answers and records, oldest first."""
        team = self.rows.teams[team_id]
        mine = sorted((i for i in self.rows.interviews.values() if i.team_id == team_id), key=lambda i: i.started_at)
        return [summary(interview, team.slug, self.rows) for interview in mine]


def summary(interview: InterviewRow, team_slug: str, rows: Rows) -> InterviewSummary:
    """An interview as storage reads it back."""
    founder = rows.members.get(interview.member_id)
    return InterviewSummary(
        id=interview.id,
        team=team_slug,
        founder=founder.name if founder else "?",
        script=interview.script,
        status=interview.status,  # type: ignore[arg-type]
        started_at=interview.started_at,
        completed_at=interview.completed_at,
        answers=copy.deepcopy(interview.answers),
        record=interview.record,
        lang=interview.lang,
        flags={key: list(found) for key, found in interview.flags.items() if found},
        account=(founder.platform, founder.user) if founder else None,
    )


class InMemoryOutbox:
    """Implements core.app.ports.OutboxRepository with leases honoured as on PostgreSQL."""

    def __init__(self, rows: Rows) -> None:
        self.rows = rows

    def _waiting(self, platform: str) -> list[OutboxRow]:
        rows = self.rows.outbox.values()
        return sorted((r for r in rows if r.platform == platform and r.sent_at is None), key=lambda r: r.id)

    async def enqueue(
        self, destination: Destination, replies: Sequence[Reply], at: datetime, claim: Claim | None = None
    ) -> list[int]:
        """Put messages in the outbox, claimed for the caller when nothing of that chat waits before them."""
        return (await self.enqueue_claiming(destination, replies, at, claim))[0]

    async def enqueue_claiming(
        self, destination: Destination, replies: Sequence[Reply], at: datetime, claim: Claim | None
    ) -> tuple[list[int], bool]:
        """Put messages in the outbox; claimed for the caller only when nothing of that chat that the caller does not
        hold waits before them. Their ids, and whether they were claimed."""
        tenant, chat = destination.tenant, chat_of(destination)
        owner = claim.owner if claim is not None else None
        waiting = self._waiting(destination.platform)
        if any(r.tenant == tenant and r.chat == chat and r.claimed_by != owner for r in waiting):
            claim = None
        ids = []
        for reply in replies:
            payload = json.loads(dump_message(destination, reply))  # stored as JSON, read back parsed
            row = OutboxRow(self.rows.next_id(), destination.platform, tenant, chat, payload)
            if claim is not None:
                row.claimed_by, row.claimed_until = claim.owner, claim.until
            self.rows.outbox[row.id] = row
            ids.append(row.id)
        return ids, claim is not None

    async def mark_sent(self, ids: Sequence[int], at: datetime) -> None:
        """Mark messages delivered."""
        for message_id in ids:
            row = self.rows.outbox[message_id]
            row.sent_at, row.claimed_until = at, None

    async def unsent(self, platform: str, limit: int) -> list[OutboxMessage]:
        """Messages not marked sent, oldest first, whoever holds them."""
        return [_message(row) for row in self._waiting(platform)[:limit]]

    async def claim(self, platform: str, claim: Claim, now: datetime, limit: int) -> list[OutboxMessage]:
        """Claim the queues of chats whose first unsent message nobody holds; oldest chats first."""
        heads: dict[tuple[str, str], OutboxRow] = {}
        for row in self._waiting(platform):
            heads.setdefault((row.tenant, row.chat), row)
        free = [head for head in heads.values() if _free(head, now)][:limit]
        claimed: list[OutboxMessage] = []
        for head in free:
            chat = [r for r in self._waiting(platform) if (r.tenant, r.chat) == (head.tenant, head.chat)]
            for row in [r for r in chat if _free(r, now)][:CHAT_LIMIT]:
                row.claimed_by, row.claimed_until = claim.owner, claim.until
                claimed.append(_message(row))
        return claimed

    async def renew(self, ids: Sequence[int], claim: Claim) -> None:
        """Extend this relay's lease on messages it still holds."""
        for row in (self.rows.outbox[i] for i in ids):
            if row.claimed_by == claim.owner:
                row.claimed_until = claim.until

    async def release(self, owner: str, keep: Sequence[int] = ()) -> None:
        """Drop this relay's lease on every unsent message it holds, except `keep` (sent, marks not yet written)."""
        for message_id, row in self.rows.outbox.items():
            if row.claimed_by == owner and row.sent_at is None and message_id not in keep:
                row.claimed_by, row.claimed_until = None, None


def _free(row: OutboxRow, now: datetime) -> bool:
    return row.claimed_until is None or row.claimed_until < now


def _message(row: OutboxRow) -> OutboxMessage:
    destination, reply = load_message(row.payload, ToChat(row.platform, row.tenant, row.chat))
    return OutboxMessage(row.id, destination, reply)
