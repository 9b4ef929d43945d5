"""Small hand-written fakes of core's clock and id ports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


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
