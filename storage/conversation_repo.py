"""Processed events and conversations over SQL: the statements every incoming message runs first and last."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from core.app.ports import Conversation
from core.interview.state import ConversationState
from storage import tables as t
from storage.executor import Executor, SqlRepository
from storage.statements import hot_statements


class SqlEvents(SqlRepository):
    """Implements core.app.ports.EventRepository on one open transaction."""

    async def claim(self, event_id: str, at: datetime) -> bool:
        """Record the event id; False if it was processed before."""
        result = await self.execute(hot_statements(self.dialect).claim, {"p_event_id": event_id, "p_at": at})
        return result.first() is not None


class SqlConversations(SqlRepository):
    """Implements core.app.ports.ConversationRepository on one open transaction."""

    def __init__(self, execute: Executor, dialect: str) -> None:
        super().__init__(execute, dialect)
        self.hot = hot_statements(dialect)

    async def get(self, key: str) -> Conversation | None:
        """The stored conversation, locked on PostgreSQL so one founder's messages apply in order."""
        return await self._read(self.hot.conversation, key)

    async def peek(self, key: str) -> Conversation | None:
        """The stored conversation, not locked (for reads on a snapshot, outside the write path)."""
        return await self._read(self.hot.conversation_unlocked, key)

    async def _read(self, statement: Any, key: str) -> Conversation | None:
        row = (await self.execute(statement, {"p_key": key})).first()
        if row is None:
            return None
        team_id, member_id, state = row
        return Conversation(key, team_id, member_id, ConversationState.from_dict(state))

    async def create(self, conversation: Conversation, at: datetime) -> None:
        """Insert a first conversation row unless a concurrent message just did (then theirs stands)."""
        await self.execute(self.hot.create_conversation, _params(conversation, at))

    async def save(self, conversation: Conversation, at: datetime) -> None:
        """Insert or update the conversation state."""
        await self.execute(self.hot.save_conversation, _params(conversation, at))

    async def latest_team_of(self, platform: str, user: str) -> int | None:
        """The team of the person's most recently used conversation, if any."""
        team_id = await self._latest(col(t.Conversation.team_id), platform, user)
        return None if team_id is None else int(team_id)

    async def latest_language_of(self, platform: str, user: str) -> str | None:
        """The language of the person's most recently used conversation, if any."""
        state = await self._latest(col(t.Conversation.state), platform, user)
        return None if state is None else ConversationState.from_dict(state).lang

    async def _latest(self, column: Any, platform: str, user: str) -> Any:
        """One column of the person's most recently used conversation (in any team), or None."""
        row = (
            await self.execute(
                select(column)
                .join(t.Member, col(t.Member.id) == col(t.Conversation.member_id))
                .where(col(t.Member.platform) == platform, col(t.Member.user_key) == user)
                .order_by(col(t.Conversation.updated_at).desc())
                .limit(1)
            )
        ).first()
        return None if row is None else row[0]


def _params(conversation: Conversation, at: datetime) -> dict[str, Any]:
    return {
        "p_key": conversation.key,
        "p_team": conversation.team_id,
        "p_member": conversation.member_id,
        "p_state": conversation.state.to_dict(),
        "p_at": at,
    }
