"""App Home refreshes after saves: one board read per team and language for everyone waiting, off the ack path."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest

from core.app.home_refresh import HomeRefresher
from core.app.ports import Claim, OutboxMessage
from core.board.snapshot import Board
from core.messages import HomeView
from tests.fakes import FakeClock
from tests.fakes.storage import InMemoryStorage


class HeldBoards(InMemoryStorage):
    """Counts board reads; while `held`, a read waits until the test lets it go (or fails when told to)."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[tuple[int, str]] = []
        self.held = asyncio.Event()
        self.held.set()
        self.failures = 0

    async def board(self, team_id: int, now: datetime, lang: str) -> Board:
        self.reads.append((team_id, lang))
        await self.held.wait()
        if self.failures:
            self.failures -= 1
            raise OSError("database went away")
        return await super().board(team_id, now, lang)


async def team_of(storage: InMemoryStorage) -> int:
    async with storage.transaction() as uow:
        membership = await uow.teams.join_team("slack", "U1", "Alice", "acme", "Acme")
    return membership.team_id


def refresher(storage: InMemoryStorage, delivered: list[OutboxMessage]) -> HomeRefresher:
    clock = FakeClock()
    claim = lambda: Claim("test", clock.now() + timedelta(minutes=1))  # noqa: E731
    return HomeRefresher(storage, clock, claim, delivered.extend, settle=0.0)


async def test_people_asking_during_a_refresh_share_the_next_board_read() -> None:
    storage = HeldBoards()
    team = await team_of(storage)
    delivered: list[OutboxMessage] = []
    homes = refresher(storage, delivered)
    alice, bob, vera = (HomeView("slack", "T1", user) for user in ("U1", "U2", "U3"))
    storage.held.clear()
    homes.request(alice, team, "en")
    while not storage.reads:  # the first refresh is reading the board
        await asyncio.sleep(0)
    homes.request(bob, team, "en")
    homes.request(vera, team, "ru")
    homes.request(alice, team, "en")  # saved again meanwhile: one more view, not two
    storage.held.set()
    await homes.drain()
    assert storage.reads == [(team, "en"), (team, "en"), (team, "ru")], "four asks, three reads: one per language"
    assert [m.destination for m in delivered] == [alice, bob, vera, alice]
    texts = {m.destination.user: m.reply.plain_text for m in delivered}
    assert "Acme · Customer Discovery" in texts["U2"] and "Acme · " in texts["U3"]
    assert texts["U3"] != texts["U2"], "Vera's dashboard is in Russian"
    assert len(await storage.unsent("slack")) == 4, "each view is committed to the outbox before it is handed over"


async def test_a_failed_refresh_is_logged_and_the_next_ask_works(caplog: pytest.LogCaptureFixture) -> None:
    storage = HeldBoards()
    team = await team_of(storage)
    delivered: list[OutboxMessage] = []
    homes = refresher(storage, delivered)
    alice = HomeView("slack", "T1", "U1")
    storage.failures = 1
    homes.request(alice, team, "en")
    await homes.drain()
    assert delivered == [] and "were not refreshed" in caplog.text
    homes.request(alice, team, "en")
    await homes.drain()
    assert [m.destination for m in delivered] == [alice]
