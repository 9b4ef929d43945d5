"""SQLModel tables. They never leave storage/: repositories return core types."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, Numeric, Text, UniqueConstraint
from sqlalchemy import true as sa_true
from sqlmodel import Field, SQLModel

MONEY = Numeric(18, 4, asdecimal=True)


def _at(nullable: bool = False) -> Any:
    return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=nullable))


def _server(default: str | int, **kwargs: Any) -> Any:
    """A NOT NULL column with the same default in Python and in the database (so migrations can fill old rows)."""
    return Field(default=default, sa_column_kwargs={"server_default": str(default)}, **kwargs)


class Team(SQLModel, table=True):
    """A founding team: its interviews, hypotheses and settings."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, unique=True)
    name: str = Field(max_length=200)
    language: str = Field(default="en", max_length=8)
    timezone: str = Field(default="UTC", max_length=64)
    created_at: datetime = _at()
    phase: str = _server("discovery", max_length=20)
    weekly_target: int = _server(15)
    goal_total: int = _server(100)
    target_segment: str | None = None
    invite_code: str | None = Field(default=None, max_length=24, unique=True)
    gates_yaml: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    digest_chat: str | None = Field(default=None, max_length=300)
    digest_weekday: int = _server(0)
    digest_hour: int = _server(9)
    digest_minute: int = _server(0)
    digest_cadence: str = _server("weekly", max_length=10)
    digest_tenant: str | None = Field(default=None, max_length=120)
    digest_set_at: datetime | None = _at(nullable=True)
    digest_enabled: bool = Field(default=True, sa_column_kwargs={"server_default": sa_true()})


class Member(SQLModel, table=True):
    """A person in a team, identified per platform."""

    __table_args__ = (UniqueConstraint("team_id", "platform", "user_key"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    platform: str = Field(max_length=20)
    user_key: str = Field(max_length=120)
    display_name: str = Field(max_length=200)
    role: str = Field(default="founder", max_length=20)
    created_at: datetime = _at()


class Interview(SQLModel, table=True):
    """One customer interview; the summary columns are filled when it is saved."""

    __table_args__ = (
        Index("ix_interview_latest", "team_id", "started_at", "id"),
        Index("ix_interview_done", "team_id", "completed_at"),
    )
    id: str = Field(primary_key=True, max_length=40)
    team_id: int = Field(foreign_key="team.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    script: str = Field(max_length=40)
    script_version: int = 1
    lang: str = Field(default="en", max_length=8)
    status: str = Field(default="in_progress", max_length=20, index=True)
    started_at: datetime = _at()
    completed_at: datetime | None = _at(nullable=True)
    alias: str | None = None
    segment: str | None = None
    role: str | None = None
    met_via: str | None = None
    interview_date: date | None = None
    quote: str | None = None
    sean_ellis: str | None = Field(default=None, max_length=20)


class Answer(SQLModel, table=True):
    """One answer, keyed by question id; lists are stored whole as JSON."""

    interview_id: str = Field(foreign_key="interview.id", primary_key=True, max_length=40)
    question_id: str = Field(primary_key=True, max_length=40)
    value: Any = Field(default=None, sa_column=Column(JSON))
    flags: Any = Field(default=None, sa_column=Column(JSON))
    updated_at: datetime = _at()


class Item(SQLModel, table=True):
    """A job, pain or gain from a value-proposition canvas.

    Written once, when its interview completes. `team_id` and the normalized key (`norm_key`, core's
    normalize_item, and its SHA-256 `key_hash`) are copies kept so the board groups items in SQL from one index,
    without joining interviews or normalizing text in Python.
    """

    __table_args__ = (Index("ix_item_board", "team_id", "kind", "key_hash", "interview_id", "severity"),)
    id: int | None = Field(default=None, primary_key=True)
    interview_id: str = Field(foreign_key="interview.id", index=True, max_length=40)
    team_id: int = Field(foreign_key="team.id")
    kind: str = Field(max_length=10)
    position: int = 0
    text: str
    norm_key: str = Field(sa_column=Column(Text, nullable=False))
    key_hash: str = Field(max_length=64)
    severity: int | None = None
    frequency: str | None = Field(default=None, max_length=20)
    details: Any = Field(default=None, sa_column=Column(JSON))


class PriceAnswer(SQLModel, table=True):
    """What they spend now and the four Van Westendorp prices, in one currency."""

    __tablename__ = "price_answer"

    interview_id: str = Field(foreign_key="interview.id", primary_key=True, max_length=40)
    spends_now: Decimal | None = Field(default=None, sa_column=Column(MONEY))
    too_cheap: Decimal | None = Field(default=None, sa_column=Column(MONEY))
    bargain: Decimal | None = Field(default=None, sa_column=Column(MONEY))
    getting_expensive: Decimal | None = Field(default=None, sa_column=Column(MONEY))
    too_expensive: Decimal | None = Field(default=None, sa_column=Column(MONEY))
    currency: str | None = Field(default=None, max_length=3)


class Commitment(SQLModel, table=True):
    """A commitment of time, reputation or money."""

    id: int | None = Field(default=None, primary_key=True)
    interview_id: str = Field(foreign_key="interview.id", index=True, max_length=40)
    kind: str = Field(max_length=20)
    note: str | None = None
    amount: Decimal | None = Field(default=None, sa_column=Column(MONEY))
    currency: str | None = Field(default=None, max_length=3)


class Hypothesis(SQLModel, table=True):
    """A team hypothesis on the Business Model Canvas."""

    __table_args__ = (UniqueConstraint("team_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    code: str = Field(max_length=12)
    number: int = 0
    block: str | None = Field(default=None, max_length=40)
    statement: str
    criterion: str | None = None
    status: str = Field(default="untested", max_length=20)
    created_at: datetime = _at()
    predecessor_id: int | None = Field(default=None, foreign_key="hypothesis.id")
    successor_id: int | None = Field(default=None, foreign_key="hypothesis.id")


class HypothesisEvent(SQLModel, table=True):
    """One change in a hypothesis's life: created, status changed, pivoted. Never edited."""

    __tablename__ = "hypothesis_event"
    id: int | None = Field(default=None, primary_key=True)
    hypothesis_id: int = Field(foreign_key="hypothesis.id", index=True)
    at: datetime = _at()
    kind: str = Field(max_length=10)
    by_name: str = Field(max_length=200)
    status: str = Field(max_length=20)
    reason: str | None = None
    successor_code: str | None = Field(default=None, max_length=12)


class Evidence(SQLModel, table=True):
    """An interview supporting or refuting a hypothesis.

    `team_id`, `happened_at` (core.domain.evidence_dated: the interview's own date, else when it was saved) and
    `alias` (the interviewee's) are copies written with the row, so the board reads the latest evidence of a
    hypothesis from one index, without looking up its interviews.
    """

    __table_args__ = (
        Index("ix_evidence_latest", "team_id", "hypothesis_id", "hypothesis_code", "happened_at", "id"),
        Index("ix_evidence_dated", "team_id", "happened_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    interview_id: str = Field(foreign_key="interview.id", index=True, max_length=40)
    team_id: int = Field(foreign_key="team.id")
    happened_at: datetime = _at()
    alias: str | None = None
    hypothesis_id: int | None = Field(default=None, foreign_key="hypothesis.id", index=True)
    hypothesis_code: str = Field(max_length=12)
    stance: str = Field(max_length=10)
    strength: str = Field(max_length=10)
    quote: str | None = None


class Conversation(SQLModel, table=True):
    """The engine state of one founder in one chat."""

    key: str = Field(primary_key=True, max_length=300)
    team_id: int = Field(foreign_key="team.id")
    member_id: int = Field(foreign_key="member.id")
    state: Any = Field(default=None, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = _at()


class ProcessedEvent(SQLModel, table=True):
    """Platform event ids already handled: a re-delivered event changes nothing."""

    __tablename__ = "processed_event"
    __table_args__ = (Index("ix_processed_event_at", "processed_at"),)  # pruning (storage.housekeeping)
    event_id: str = Field(primary_key=True, max_length=200)
    processed_at: datetime = _at()


class Outbox(SQLModel, table=True):
    """Messages committed with the state that produced them, sent after commit by a delivery relay.

    `chat` is the ordering key of the destination (core.messages.chat_of); the payload holds the whole
    destination and the reply, versioned (core.messages.stored). A relay claims a row by a lease.
    """

    __table_args__ = (
        Index("ix_outbox_unsent", "platform", "sent_at", "id"),
        Index("ix_outbox_chat_unsent", "platform", "tenant", "chat", "sent_at", "id"),
        Index("ix_outbox_sent", "sent_at"),  # pruning sent messages (storage.housekeeping)
    )
    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)
    tenant: str = Field(max_length=120)
    chat: str = Field(max_length=120)
    kind: str = _server("chat", max_length=12)
    payload: Any = Field(default=None, sa_column=Column(JSON, nullable=False))
    created_at: datetime = _at()
    sent_at: datetime | None = _at(nullable=True)
    claimed_until: datetime | None = _at(nullable=True)
    claimed_by: str | None = Field(default=None, max_length=64)


class ItemMerge(SQLModel, table=True):
    """A team's decision that one normalized item key is the same as another.

    Keys are item texts and may be long, so uniqueness is on a SHA-256 of the key (PostgreSQL cannot index
    arbitrarily long text in a btree).
    """

    __tablename__ = "item_merge"
    __table_args__ = (UniqueConstraint("team_id", "key_hash"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    key_hash: str = Field(max_length=64)
    key: str = Field(sa_column=Column(Text, nullable=False))
    into: str = Field(sa_column=Column(Text, nullable=False))
    by_name: str = Field(max_length=200)
    at: datetime = _at()


class FunnelLogRow(SQLModel, table=True):
    """A funnel count logged by hand: people contacted, customers who paid."""

    __tablename__ = "funnel_log"
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    step: str = Field(max_length=20)
    count: int
    segment: str | None = None
    by_name: str = Field(max_length=200)
    at: datetime = _at()


class PhaseChangeRow(SQLModel, table=True):
    """A move to another phase; an override reason means the gate had not passed."""

    __tablename__ = "phase_change"
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    at: datetime = _at()
    from_phase: str = Field(max_length=20)
    to_phase: str = Field(max_length=20)
    by_name: str = Field(max_length=200)
    override_reason: str | None = None


class GateTick(SQLModel, table=True):
    """A manual exit-gate item the team ticked."""

    __tablename__ = "gate_tick"
    __table_args__ = (UniqueConstraint("team_id", "phase", "item"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    phase: str = Field(max_length=20)
    item: str = Field(max_length=80)
    by_name: str = Field(max_length=200)
    at: datetime = _at()


# the board's counts live beside the tables they count (same metadata)
from storage.board_tables import BoardCount as BoardCount  # noqa: E402
from storage.board_tables import BoardItem as BoardItem  # noqa: E402
from storage.board_tables import BoardWording as BoardWording  # noqa: E402
from storage.digest_tables import DigestRun as DigestRun  # noqa: E402
from storage.reminder_tables import ReminderSent as ReminderSent  # noqa: E402
from storage.reminder_tables import ReminderSetting as ReminderSetting  # noqa: E402
from storage.slack_tables import slack_bots as slack_bots  # noqa: E402
from storage.slack_tables import slack_installations as slack_installations  # noqa: E402
from storage.slack_tables import slack_oauth_states as slack_oauth_states  # noqa: E402
