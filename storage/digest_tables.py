"""The digests a team was sent: one row per team and period, the backstop against sending one twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel


class DigestRun(SQLModel, table=True):
    """A digest period a team was sent ("2026-11-30T09:00+03:00" for a scheduled one, "now:…" when asked)."""

    __tablename__ = "digest_run"
    __table_args__ = (UniqueConstraint("team_id", "period", name="uq_digest_run_team_period"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    period: str = Field(max_length=40)
    sent_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    kind: str = Field(max_length=10)
