"""The board's counts, kept as interviews complete (storage.tally_write) and read by storage.board_query.

Each is bounded by a team's vocabulary (founders, segments, item wordings, price answers) and time span, never by
its number of interviews.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, Index, Table, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class BoardCount(SQLModel, table=True):
    """A count the board reads, kept as interviews complete: one team, one facet, one value of it.

    `slot` is short and unique within the facet: the bucket itself for time facets ("2026-11-22",
    "2026-11-22 09:15", UTC), a SHA-256 of `value` otherwise. `first`/`last` are the least/greatest sortable
    strings seen (a moment, or where the first interview comes), for the facets that need them.
    """

    __tablename__ = "board_count"
    __table_args__ = (UniqueConstraint("team_id", "facet", "slot"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    facet: str = Field(max_length=12)
    slot: str = Field(max_length=64)
    value: Any = Field(default=None, sa_column=Column(JSON))
    count: int = 0
    first: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    last: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class BoardItem(SQLModel, table=True):
    """One item group (normalized key after the team's merges) in one scope, counted as interviews complete.

    A scope is "" (every completed interview) or "script/min severity[/segment key hash]" for pains.
    """

    __tablename__ = "board_item"
    __table_args__ = (
        UniqueConstraint("team_id", "kind", "scope", "group_hash"),
        Index("ix_board_item_rank", "team_id", "kind", "scope", "interviewees"),
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    kind: str = Field(max_length=10)
    scope: str = Field(max_length=120)
    group_hash: str = Field(max_length=64)
    group_key: str = Field(sa_column=Column(Text, nullable=False))
    interviewees: int = 0
    mentions: int = 0
    severity_sum: int = 0
    severity_n: int = 0


class BoardWording(SQLModel, table=True):
    """Mentions of one exact item text in one scope, with where its first mention comes."""

    __tablename__ = "board_wording"
    __table_args__ = (
        UniqueConstraint("team_id", "kind", "scope", "text_hash"),
        Index("ix_board_wording_key", "team_id", "kind", "scope", "key_hash"),
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    kind: str = Field(max_length=10)
    scope: str = Field(max_length=120)
    text_hash: str = Field(max_length=64)
    key_hash: str = Field(max_length=64)
    norm_key: str = Field(sa_column=Column(Text, nullable=False))
    text: str = Field(sa_column=Column(Text, nullable=False))
    mentions: int = 0
    first: str = Field(sa_column=Column(Text, nullable=False))


def table(name: str) -> Table:
    """A table as SQLAlchemy Core sees it (columns typed), for the board's statements built once."""
    return SQLModel.metadata.tables[name]
