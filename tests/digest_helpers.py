"""A team with a digest group, a small digest builder and a founder typing, for the digest and scheduler tests."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from core.app.ports import OutboxMessage, Storage
from core.app.service import InterviewService, ServiceSettings
from core.messages import Reply, TextBuilder
from core.scripts.catalog import builtin_scripts
from tests.fakes import CountingIds, FakeClock, event, mark_delivered

MONDAY_0900_MOSCOW = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
TICK = timedelta(seconds=0.2)  # how often the digest job runs in the scheduler tests
_events = itertools.count(1)


async def built(storage: Storage, team_id: int, start: datetime, end: datetime, lang: str) -> Reply:
    """A small digest builder: the team's name, the period and the language (the real content is tested apart)."""
    board = await storage.board(team_id, end, lang)
    text = f"Digest of {board.team.name} {start:%Y-%m-%d %H:%M}–{end:%Y-%m-%d %H:%M} UTC [{lang}]"
    return Reply(TextBuilder().add(text).build())


def service_at(storage: Storage, now: datetime) -> tuple[InterviewService, FakeClock]:
    clock = FakeClock(now, step=timedelta(0))
    settings = ServiceSettings(default_currency="USD")
    return InterviewService(storage, builtin_scripts(), clock, CountingIds(), settings, digest_builder=built), clock


async def say(service: InterviewService, text: str, user: str = "1", chat: str | None = None) -> list[OutboxMessage]:
    """A message from a founder: in their private chat, or in a group when `chat` is given."""
    group = chat is not None
    incoming = event(
        "telegram", "bot", chat or user, user, f"e{next(_events)}", text=text, user_name=f"Founder {user}",
        is_group=group,
    )  # fmt: skip
    messages = await service.handle(incoming, team="acme", team_name="Acme")
    await mark_delivered(service.storage, messages)
    return messages


def text_of(messages: list[OutboxMessage]) -> str:
    return "\n".join(m.reply.plain_text for m in messages)


async def team_with_digest_group(storage: Storage, now: datetime = MONDAY_0900_MOSCOW) -> InterviewService:
    service, _clock = service_at(storage, now - timedelta(days=3))
    await say(service, "/start")
    here = text_of(await say(service, "/digest here", chat="-100"))
    assert "digest channel" in here and "every Monday at 09:00 (UTC)" in here and "It goes to this chat" in here
    schedule = text_of(await say(service, "/digest schedule monday 09:00 Europe/Moscow"))
    assert "every Monday at 09:00 (Europe/Moscow)" in schedule and "Next one: Mon 30 Nov, 09:00" in schedule
    assert "goes to the team's group" in schedule
    return service
