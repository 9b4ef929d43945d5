"""InMemoryStorage: core.app.ports.Storage held in dicts, for fast service tests (hand-written, no mocks).

Every transaction works on a deep copy of the rows and replaces them when it exits cleanly, so a failed one leaves
nothing behind; one transaction runs at a time. The board is computed in Python from every interview (the reference
the SQL board is tested against), and tests/storage/test_storage_contract.py keeps this fake and SqlStorage in step.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, TypeVar

from core.app.export_data import ExportData, HypothesisInfo, Person, TeamInfo
from core.app.ports import Claim, OutboxMessage, Pruned
from core.board.snapshot import Board
from tests.board_reference import reference_board
from tests.fakes.memory_digest import InMemoryDigestReads
from tests.fakes.memory_flow import InMemoryConversations, InMemoryEvents, InMemoryInterviews, InMemoryOutbox, summary
from tests.fakes.memory_reminders import InMemoryReminders
from tests.fakes.memory_rows import Rows
from tests.fakes.memory_teams import InMemoryHypotheses, InMemoryTeams

T = TypeVar("T")


class InMemoryUnitOfWork:
    """Implements core.app.ports.UnitOfWork over one copy of the rows."""

    def __init__(self, rows: Rows) -> None:
        self.rows = rows
        self.events = InMemoryEvents(rows)
        self.conversations = InMemoryConversations(rows)
        self.teams = InMemoryTeams(rows, self._board)
        self.hypotheses = InMemoryHypotheses(rows)
        self.interviews = InMemoryInterviews(rows, self.hypotheses)
        self.outbox = InMemoryOutbox(rows)
        self.reminders = InMemoryReminders(rows)
        self.digests = InMemoryDigestReads(rows)

    async def _board(self, team_id: int, now: datetime, lang: str) -> Board:
        return await reference_board(self, team_id, now, lang)


class InMemoryStorage:
    """Implements core.app.ports.Storage in memory."""

    def __init__(self) -> None:
        self.rows = Rows()
        self._lock = asyncio.Lock()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[InMemoryUnitOfWork]:
        """One unit of work on a copy of the rows; it replaces them when the block exits cleanly."""
        async with self._lock:
            working = copy.deepcopy(self.rows)
            yield InMemoryUnitOfWork(working)
            self.rows = working

    async def unsent(self, platform: str, limit: int = 100) -> list[OutboxMessage]:
        """Committed messages not yet marked sent, oldest first."""
        async with self.transaction() as uow:
            return await uow.outbox.unsent(platform, limit)

    async def claim_unsent(self, platform: str, claim: Claim, now: datetime, limit: int = 100) -> list[OutboxMessage]:
        """Claim unsent messages nobody holds, a chat's queue from its head."""
        async with self.transaction() as uow:
            return await uow.outbox.claim(platform, claim, now, limit)

    async def renew(self, ids: Sequence[int], claim: Claim) -> None:
        """Extend the lease on messages this relay holds."""
        async with self.transaction() as uow:
            await uow.outbox.renew(ids, claim)

    async def release(self, owner: str, keep: Sequence[int] = ()) -> None:
        """Drop this relay's lease on every unsent message it holds, except `keep` (sent, marks not yet written)."""
        async with self.transaction() as uow:
            await uow.outbox.release(owner, keep)

    async def mark_sent(self, ids: Sequence[int], at: datetime) -> None:
        """Mark messages delivered."""
        async with self.transaction() as uow:
            await uow.outbox.mark_sent(ids, at)

    async def board(self, team_id: int, now: datetime, lang: str) -> Board:
        """The team's board from committed data."""
        return await self.read(lambda view: view.teams.board(team_id, now, lang))

    async def read(self, work: Callable[[InMemoryUnitOfWork], Coroutine[Any, Any, T]]) -> T:
        """Run read-only work on a copy of committed data (whatever it changes is dropped)."""
        return await work(InMemoryUnitOfWork(copy.deepcopy(self.rows)))

    async def export_data(self, team_slug: str | None = None) -> ExportData:
        """Teams, interviews and hypotheses, in the order SqlStorage gives them."""
        rows = self.rows
        teams = sorted((t for t in rows.teams.values() if team_slug in (None, t.slug)), key=lambda t: t.id)
        uow = InMemoryUnitOfWork(rows)
        infos, hypotheses = [], []
        for team in teams:
            people = sorted((m for m in rows.members.values() if m.team_id == team.id), key=lambda m: m.id)
            infos.append(
                TeamInfo(
                    team.id,
                    team.slug,
                    team.name,
                    tuple(m.name for m in people),
                    profile=team,
                    people=tuple(
                        Person(m.name, m.role, m.platform, m.user, rows.reminder_settings.get(m.id)) for m in people
                    ),
                    phase_changes=tuple(await uow.teams.phase_changes(team.id)),
                    funnel_logs=tuple(rows.funnel.get(team.id, [])),
                    merges=tuple(rows.merges.get(team.id, {}).values()),
                    ticks=tuple(rows.ticks.get(team.id, {}).values()),
                )
            )
            created = {row.code: row.created_at for row in rows.hypotheses.values() if row.team_id == team.id}
            hypotheses += [
                HypothesisInfo(
                    team.slug,
                    h.code,
                    h.statement,
                    h.status,
                    h.block,
                    h.criterion,
                    h.predecessor,
                    h.successor,
                    created[h.code],
                    h.history,
                )
                for h in await uow.hypotheses.all(team.id)
            ]
        slugs = {team.id: team.slug for team in teams}
        chosen = sorted((i for i in rows.interviews.values() if i.team_id in slugs), key=lambda i: (i.started_at, i.id))
        return ExportData(infos, [summary(i, slugs[i.team_id], rows) for i in chosen], hypotheses)

    async def team_id(self, slug: str) -> int | None:
        """The id of the team with this slug, if there is one."""
        return next((team.id for team in self.rows.teams.values() if team.slug == slug), None)

    async def prune(
        self, events_before: datetime, sent_before: datetime, batch: int | None = None, dry_run: bool = False
    ) -> Pruned:
        """Delete (or count) processed event ids and sent messages older than the cutoffs; unsent ones stay."""
        async with self.transaction() as uow:
            rows = uow.rows
            events = [key for key, at in rows.events.items() if at < events_before]
            sent = [key for key, row in rows.outbox.items() if row.sent_at is not None and row.sent_at < sent_before]
            if not dry_run:
                for key in events:
                    del rows.events[key]
                for message_id in sent:
                    del rows.outbox[message_id]
        return Pruned(len(events), len(sent))

    async def close(self) -> None:
        """Nothing to release."""
