"""Small hand-written fakes of core's clock and id ports, and how tests build events and mark deliveries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from core.app.ports import OutboxMessage, Storage
from core.messages import ChoicePressed, Incoming, Origin


class FakeClock:
    """A clock that moves only when told to (or by a fixed step per reading)."""

    def __init__(self, start: datetime | None = None, step: timedelta = timedelta(seconds=1)) -> None:
        self.current = start or datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
        self.step = step

    def now(self) -> datetime:
        value = self.current
        self.current += self.step
        return value

    def advance(self, delta: timedelta) -> None:
        self.current += delta


class CountingIds:
    """Predictable ids: i0001, i0002, ..."""

    def __init__(self, prefix: str = "i") -> None:
        self.prefix, self.count = prefix, 0

    def new_id(self) -> str:
        self.count += 1
        return f"{self.prefix}{self.count:04d}"


def event(
    platform: str,
    tenant: str,
    chat: str,
    user: str,
    event_id: str,
    text: str | None = None,
    choice: str | None = None,
    user_name: str | None = None,
    locale: str | None = None,
    is_group: bool = False,
) -> Incoming:
    """An Incoming as a platform adapter would build it: typed text (commands included) or a pressed button."""
    origin = Origin(platform, tenant, chat, user, chat_kind="group" if is_group else "private")
    if choice is not None:
        return Incoming(origin, event_id, ChoicePressed(choice), locale, user_name)
    return Incoming.typed(origin, event_id, text or "", locale, user_name)


async def mark_delivered(storage: Storage, messages: Sequence[OutboxMessage]) -> None:
    """What a relay does after the platform took the messages: mark them sent, durably."""
    await storage.mark_sent([message.id for message in messages], datetime(2026, 1, 1, tzinfo=UTC))
