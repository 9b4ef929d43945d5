"""core.reminders.ports.ReminderRepository over in-memory rows."""

from __future__ import annotations

from datetime import date, datetime

from core.domain import SURVEY_SCRIPT
from core.interview.state import ConversationState
from core.reminders.ports import ReminderSettings, ReminderTarget
from tests.fakes.memory_rows import Rows


class InMemoryReminders:
    """Implements core.reminders.ports.ReminderRepository."""

    def __init__(self, rows: Rows) -> None:
        self.rows = rows

    async def settings(self, member_id: int) -> ReminderSettings:
        """The founder's settings (the defaults when they never set any)."""
        return self.rows.reminder_settings.get(member_id, ReminderSettings())

    async def save(self, member_id: int, settings: ReminderSettings, at: datetime) -> None:
        """Insert or replace the founder's settings."""
        self.rows.reminder_settings[member_id] = settings

    async def targets(self) -> list[ReminderTarget]:
        """Founders with reminders on whose private conversation currently works in their seat, by member id."""
        targets = []
        for member_id, settings in sorted(self.rows.reminder_settings.items()):
            member = self.rows.members.get(member_id)
            theirs = [(key, row) for key, row in self.rows.conversations.items() if row.member_id == member_id]
            if not settings.enabled or member is None or not theirs:
                continue
            key, row = min(theirs, key=lambda pair: (-pair[1].updated_at.timestamp(), pair[0]))
            state = ConversationState.from_dict(row.state)
            team = self.rows.teams[member.team_id]
            days = [day for (who, day) in self.rows.reminded if who == member_id]
            targets.append(
                ReminderTarget(
                    member_id,
                    member.team_id,
                    member.role,
                    settings,
                    team.timezone,
                    team.weekly_target,
                    key,
                    member.platform,
                    member.user,
                    state.lang,
                    state.turn,
                    max(days, default=None),
                )
            )
        return targets

    async def mark_reminded(self, member_id: int, day: date, at: datetime) -> bool:
        """Record the founder's reminded local day; False if that day was recorded already."""
        if (member_id, day) in self.rows.reminded:
            return False
        self.rows.reminded[(member_id, day)] = at
        return True

    async def completed_since(self, team_id: int, since: datetime) -> list[tuple[int, datetime]]:
        """(member id, moment) of the team's interviews completed at or after `since`, as the board counts them."""
        found = []
        for row in self.rows.interviews.values():
            moment = row.completed_at or row.started_at
            if row.team_id == team_id and row.status == "completed" and row.script != SURVEY_SCRIPT and moment >= since:
                found.append((row.member_id, moment))
        return sorted(found, key=lambda pair: pair[1])
