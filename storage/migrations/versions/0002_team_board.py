"""team board: team settings, hypothesis links and history, item merges, funnel logs, phase changes, gate ticks

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Upgrades a 0001 database that already holds data: new NOT NULL team columns carry server defaults, so
existing teams are filled in (discovery, 15 a week, 100 in all, digest on Monday at 9). SQLite rebuilds
`hypothesis` in batch mode to add its self-referencing foreign keys.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

PREDECESSOR_FK = "fk_hypothesis_predecessor_id_hypothesis"
SUCCESSOR_FK = "fk_hypothesis_successor_id_hypothesis"


def _name(length: int | None = None) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _team_table(name: str, *columns: sa.Column[Any], unique: tuple[str, ...] = ()) -> None:
    """A table hanging off a team: id, team_id (indexed), the columns, by_name and at."""
    constraints: list[sa.Constraint] = [
        sa.ForeignKeyConstraint(["team_id"], ["team.id"]),
        sa.PrimaryKeyConstraint("id"),
    ]
    if unique:
        constraints.append(sa.UniqueConstraint("team_id", *unique))
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        *columns,
        *constraints,
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{name}_team_id"), ["team_id"], unique=False)


def _by_and_at() -> tuple[sa.Column[Any], sa.Column[Any]]:
    return (
        sa.Column("by_name", _name(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def upgrade() -> None:
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phase", _name(20), server_default="discovery", nullable=False))
        batch_op.add_column(sa.Column("weekly_target", sa.Integer(), server_default="15", nullable=False))
        batch_op.add_column(sa.Column("goal_total", sa.Integer(), server_default="100", nullable=False))
        batch_op.add_column(sa.Column("target_segment", _name(), nullable=True))
        batch_op.add_column(sa.Column("gates_yaml", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("digest_chat", _name(300), nullable=True))
        batch_op.add_column(sa.Column("digest_weekday", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("digest_hour", sa.Integer(), server_default="9", nullable=False))

    with op.batch_alter_table("hypothesis", schema=None) as batch_op:
        batch_op.add_column(sa.Column("predecessor_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("successor_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(PREDECESSOR_FK, "hypothesis", ["predecessor_id"], ["id"])
        batch_op.create_foreign_key(SUCCESSOR_FK, "hypothesis", ["successor_id"], ["id"])

    op.create_table(
        "hypothesis_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hypothesis_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", _name(10), nullable=False),
        sa.Column("by_name", _name(200), nullable=False),
        sa.Column("status", _name(20), nullable=False),
        sa.Column("reason", _name(), nullable=True),
        sa.Column("successor_code", _name(12), nullable=True),
        sa.ForeignKeyConstraint(["hypothesis_id"], ["hypothesis.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hypothesis_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hypothesis_event_hypothesis_id"), ["hypothesis_id"], unique=False)

    _team_table(
        "item_merge",
        sa.Column("key_hash", _name(64), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("into", sa.Text(), nullable=False),
        *_by_and_at(),
        unique=("key_hash",),
    )
    _team_table(
        "funnel_log",
        sa.Column("step", _name(20), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("segment", _name(), nullable=True),
        *_by_and_at(),
    )
    _team_table(
        "phase_change",
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("from_phase", _name(20), nullable=False),
        sa.Column("to_phase", _name(20), nullable=False),
        sa.Column("by_name", _name(200), nullable=False),
        sa.Column("override_reason", _name(), nullable=True),
    )
    _team_table(
        "gate_tick",
        sa.Column("phase", _name(20), nullable=False),
        sa.Column("item", _name(80), nullable=False),
        *_by_and_at(),
        unique=("phase", "item"),
    )


def downgrade() -> None:
    for name in ("gate_tick", "phase_change", "funnel_log", "item_merge"):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{name}_team_id"))
        op.drop_table(name)

    with op.batch_alter_table("hypothesis_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hypothesis_event_hypothesis_id"))
    op.drop_table("hypothesis_event")

    with op.batch_alter_table("hypothesis", schema=None) as batch_op:
        batch_op.drop_constraint(SUCCESSOR_FK, type_="foreignkey")
        batch_op.drop_constraint(PREDECESSOR_FK, type_="foreignkey")
        batch_op.drop_column("successor_id")
        batch_op.drop_column("predecessor_id")

    with op.batch_alter_table("team", schema=None) as batch_op:
        for column in (
            "digest_hour",
            "digest_weekday",
            "digest_chat",
            "gates_yaml",
            "target_segment",
            "goal_total",
            "weekly_target",
            "phase",
        ):
            batch_op.drop_column(column)
