"""Read-only board commands are answered on a snapshot outside the write transaction; only their reply is written."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import pytest

from core.app.service import InterviewService, ServiceSettings
from core.scripts.catalog import builtin_scripts
from storage.sql_storage import SqlStorage
from storage.uow import SqlUnitOfWork
from tests.fakes import CountingIds, FakeClock, event, mark_delivered

T = TypeVar("T")


class RecordingStorage(SqlStorage):
    """The real storage, noting when reads and write transactions begin and end."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.log: list[str] = []

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqlUnitOfWork]:
        self.log.append("write")
        async with super().transaction() as uow:
            yield uow
        self.log.append("/write")

    async def read(self, work: Callable[[SqlUnitOfWork], Coroutine[Any, Any, T]]) -> T:
        self.log.append("read")
        result = await super().read(work)
        self.log.append("/read")
        return result


@pytest.fixture
async def recorded(db_url: str) -> AsyncIterator[tuple[InterviewService, RecordingStorage]]:
    storage = RecordingStorage(db_url)
    service = InterviewService(storage, builtin_scripts(), FakeClock(), CountingIds(), ServiceSettings())
    yield service, storage
    await storage.close()


_n = 0


async def say(service: InterviewService, text: str, user: str = "zoe", group: bool = False) -> str:
    global _n
    _n += 1
    chat = "-100" if group else f"dm-{user}"
    incoming = event("telegram", "bot", chat, user, f"e{_n}", text=text, user_name=user.title(), is_group=group)
    messages = await service.handle(incoming, team=f"team-{user}")
    await mark_delivered(service.storage, messages)
    return "\n".join(m.reply.plain_text for m in messages)


async def test_status_is_read_on_a_snapshot_and_only_its_reply_is_written(
    recorded: tuple[InterviewService, RecordingStorage],
) -> None:
    service, storage = recorded
    await say(service, "/start")
    storage.log.clear()
    reply = await say(service, "/status")
    assert "Exit gate" in reply
    # the board was computed before the write transaction opened, not inside it
    assert storage.log[:4] == ["read", "/read", "write", "/write"]


async def test_a_change_goes_through_the_write_transaction_only(
    recorded: tuple[InterviewService, RecordingStorage],
) -> None:
    service, storage = recorded
    await say(service, "/start")
    storage.log.clear()
    reply = await say(service, "/hypothesis add vp Clinics lose hours re-booking patients | 8 of 10 confirm")
    assert "Added H1" in reply
    assert "read" not in storage.log[:2] and storage.log[0] == "write"


async def test_a_first_message_that_reads_still_creates_the_founder(
    recorded: tuple[InterviewService, RecordingStorage],
) -> None:
    service, storage = recorded
    reply = await say(service, "/status", user="newcomer")
    assert "Exit gate" in reply
    assert storage.log[:3] == ["read", "/read", "write"]  # nothing to read yet: the write path made the team


async def test_a_repeated_read_event_answers_once(recorded: tuple[InterviewService, RecordingStorage]) -> None:
    service, _storage = recorded
    await say(service, "/start")
    incoming = event("telegram", "bot", "dm-zoe", "zoe", "same-id", text="/status", user_name="Zoe")
    first = await service.handle(incoming, team="team-zoe")
    again = await service.handle(incoming, team="team-zoe")
    assert len(first) == 1 and again == []


async def test_group_status_reads_and_digest_here_writes(recorded: tuple[InterviewService, RecordingStorage]) -> None:
    service, storage = recorded
    await say(service, "/start")
    storage.log.clear()
    assert "digest channel" in await say(service, "/digest_here", group=True)
    assert storage.log[0] == "write"
    storage.log.clear()
    assert "Exit gate" in await say(service, "/status", group=True)
    assert storage.log[:2] == ["read", "/read"]
