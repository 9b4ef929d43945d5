"""core.reminders.ports.ReminderRepository over SQL: settings, the days reminded, and who is due a look."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import func, select, union_all
from sqlmodel import col

from core.domain import SURVEY_SCRIPT
from core.interview.state import ConversationState
from core.reminders.ports import ReminderSettings, ReminderTarget
from storage import tables as t
from storage.executor import SqlRepository, aware, utc

S, SENT = t.ReminderSetting, t.ReminderSent


SETTING_COLUMNS = (col(S.enabled), col(S.minute), col(S.timezone), col(S.away_until))
"""A reminder_setting row's settings, in the order reminder_settings takes them."""


def reminder_settings(enabled: bool, minute: int, timezone: str | None, away_until: date | None) -> ReminderSettings:
    """Settings as a reminder_setting row stores them (the time of day in minutes after midnight)."""
    return ReminderSettings(bool(enabled), time(minute // 60, minute % 60), timezone, away_until)


def setting_values(settings: ReminderSettings) -> dict[str, Any]:
    """The settings as a reminder_setting row's values (reminder_settings read back)."""
    minute = settings.at.hour * 60 + settings.at.minute
    return {
        "enabled": settings.enabled,
        "minute": minute,
        "timezone": settings.timezone,
        "away_until": settings.away_until,
    }


class SqlReminders(SqlRepository):
    """Implements core.reminders.ports.ReminderRepository on one open transaction."""

    async def settings(self, member_id: int) -> ReminderSettings:
        """The founder's settings (the defaults when they never set any)."""
        row = (await self.execute(select(*SETTING_COLUMNS).where(col(S.member_id) == member_id))).first()
        return ReminderSettings() if row is None else reminder_settings(*row)

    async def save(self, member_id: int, settings: ReminderSettings, at: datetime) -> None:
        """Insert or replace the founder's settings."""
        values = setting_values(settings) | {"updated_at": utc(at)}
        statement = self.insert(S).values(member_id=member_id, **values)
        await self.execute(statement.on_conflict_do_update(index_elements=["member_id"], set_=values))

    async def targets(self) -> list[ReminderTarget]:
        """Founders with reminders on whose private conversation currently works in their seat, by member id."""
        rows = await self.execute(
            select(
                col(S.member_id),
                *SETTING_COLUMNS,
                col(t.Member.team_id),
                col(t.Member.role),
                col(t.Member.platform),
                col(t.Member.user_key),
                col(t.Conversation.key),
                col(t.Conversation.state),
                col(t.Team.timezone),
                col(t.Team.weekly_target),
            )
            .join(t.Member, col(t.Member.id) == col(S.member_id))
            .join(t.Team, col(t.Team.id) == col(t.Member.team_id))
            .join(t.Conversation, col(t.Conversation.member_id) == col(S.member_id))
            .where(col(S.enabled).is_(True))
            .order_by(col(S.member_id), col(t.Conversation.updated_at).desc(), col(t.Conversation.key))
        )
        latest: dict[int, tuple[Any, ...]] = {}
        for row in rows:
            latest.setdefault(row[0], tuple(row))
        reminded = await self._last_reminded(list(latest))
        targets = []
        for member_id, found in latest.items():
            _id, enabled, minute, zone, away, team_id, role, platform, user, key, raw, team_zone, weekly = found
            state = ConversationState.from_dict(raw)
            targets.append(
                ReminderTarget(
                    member_id=member_id,
                    team_id=team_id,
                    role=role,
                    settings=reminder_settings(enabled, minute, zone, away),
                    team_timezone=team_zone,
                    weekly_target=int(weekly),
                    conversation_key=key,
                    platform=platform,
                    user=user,
                    lang=state.lang,
                    turn=state.turn,
                    last_reminded=reminded.get(member_id),
                )
            )
        return targets

    async def _last_reminded(self, member_ids: list[int]) -> dict[int, date]:
        if not member_ids:
            return {}
        rows = await self.execute(
            select(col(SENT.member_id), func.max(col(SENT.local_date)))
            .where(col(SENT.member_id).in_(member_ids))
            .group_by(col(SENT.member_id))
        )
        return {member_id: _day(day) for member_id, day in rows}

    async def mark_reminded(self, member_id: int, day: date, at: datetime) -> bool:
        """Record the founder's reminded local day; False if that day was recorded already (by anyone)."""
        statement = (
            self.insert(SENT)
            .values(member_id=member_id, local_date=day, sent_at=utc(at))
            .on_conflict_do_nothing(index_elements=["member_id", "local_date"])
            .returning(col(SENT.member_id))
        )
        return (await self.execute(statement)).first() is not None

    async def completed_since(self, team_id: int, since: datetime) -> list[tuple[int, datetime]]:
        """(member id, moment) of the team's interviews completed at or after `since`, as the board counts them."""
        iv, start = t.Interview, utc(since)
        done = (col(iv.team_id) == team_id, col(iv.status) == "completed", col(iv.script) != SURVEY_SCRIPT)
        rows = await self.execute(
            union_all(  # each an index range (ix_interview_done; ix_interview_latest for the undated), as the digest
                select(col(iv.member_id), col(iv.completed_at)).where(*done, col(iv.completed_at) >= start),
                select(col(iv.member_id), col(iv.started_at)).where(
                    *done, col(iv.completed_at).is_(None), col(iv.started_at) >= start
                ),
            )
        )
        found = []
        for member_id, at in rows:
            value = aware(at)
            if value is not None:
                found.append((int(member_id), value))
        return found


def _day(value: Any) -> date:
    """A date column's value (SQLite may hand back text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))
