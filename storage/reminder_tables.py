"""Reminder tables: each founder's settings, and the local days they were reminded (the backstop against doubles)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, DateTime
from sqlmodel import Field, SQLModel


class ReminderSetting(SQLModel, table=True):
    """A founder's reminder settings; `minute` is the time of day in minutes after midnight, `timezone` None is
    the team's."""

    __tablename__ = "reminder_setting"
    member_id: int = Field(foreign_key="member.id", primary_key=True, sa_column_kwargs={"autoincrement": False})
    enabled: bool = False
    minute: int = 18 * 60
    timezone: str | None = Field(default=None, max_length=64)
    away_until: date | None = None
    updated_at: datetime = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=False))


class ReminderSent(SQLModel, table=True):
    """A founder was reminded on this local day: one row per founder and day, whatever process queued it."""

    __tablename__ = "reminder_sent"
    member_id: int = Field(foreign_key="member.id", primary_key=True, sa_column_kwargs={"autoincrement": False})
    local_date: date = Field(primary_key=True)
    sent_at: datetime = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=False))
