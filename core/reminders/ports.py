"""What reminders store: a founder's settings, the days they were reminded, and where their private chat is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Protocol

DEFAULT_AT = time(18, 0)
"""The time of day a nudge goes out unless the founder picks another."""


@dataclass(frozen=True)
class ReminderSettings:
    """One founder's reminder settings; a timezone of None means the team's."""

    enabled: bool = False
    at: time = DEFAULT_AT
    timezone: str | None = None
    away_until: date | None = None
    """No nudges before this day (the founder is back on it)."""

    def zone(self, team_timezone: str) -> str:
        """The timezone nudges follow: the founder's own, else the team's."""
        return self.timezone or team_timezone


@dataclass(frozen=True)
class ReminderTarget:
    """A founder with reminders on, their private chat (the conversation now working in their seat) and its state."""

    member_id: int
    team_id: int
    role: str
    settings: ReminderSettings
    team_timezone: str
    weekly_target: int
    conversation_key: str
    platform: str
    user: str
    lang: str
    turn: int
    last_reminded: date | None
    """The latest local day they were reminded, if ever."""


class ReminderRepository(Protocol):
    """Reminder settings and sends, inside one unit of work."""

    async def settings(self, member_id: int) -> ReminderSettings:
        """The founder's settings (the defaults when they never set any)."""

    async def save(self, member_id: int, settings: ReminderSettings, at: datetime) -> None:
        """Insert or replace the founder's settings."""

    async def targets(self) -> list[ReminderTarget]:
        """Founders with reminders on whose private conversation currently works in their seat, by member id."""

    async def mark_reminded(self, member_id: int, day: date, at: datetime) -> bool:
        """Record that the founder was reminded on their local day; False if that day was recorded already."""

    async def completed_since(self, team_id: int, since: datetime) -> list[tuple[int, datetime]]:
        """(member id, moment) of the team's interviews completed at or after `since`, as the board counts them."""
