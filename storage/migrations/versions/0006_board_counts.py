"""board counts: what the board reads, kept as interviews complete, so its cost does not grow with interviews

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Adds evidence.team_id, evidence.happened_at and evidence.alias (copies of the interview's team, completed_at else
started_at, and alias, filled for existing rows in Python so SQLite holds one spelling of the moment) with an index
for the latest evidence of a hypothesis; an index on interview (team_id, started_at, id) for the latest interviews;
and the tables board_count, board_item and board_wording (storage.board_tables), filled for every team by counting
its completed interviews with the same code the write path uses (storage.tally_write.rebuild).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from storage.board_read import inline, run_inline
from storage.tally_write import rebuild

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BATCH = 1000
EVIDENCE_FK = "fk_evidence_team_id_team"


def _name(length: int | None = None) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _board_table(name: str, *columns: sa.Column[Any], unique: tuple[str, ...]) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(["team_id"], ["team.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", *unique),
    )


def upgrade() -> None:
    with op.batch_alter_table("evidence") as batch:
        batch.add_column(sa.Column("team_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("happened_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("alias", _name(), nullable=True))
    connection = op.get_bind()
    _fill_evidence(connection)
    with op.batch_alter_table("evidence") as batch:
        batch.alter_column("team_id", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("happened_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch.create_foreign_key(EVIDENCE_FK, "team", ["team_id"], ["id"])
        batch.create_index("ix_evidence_latest", ["team_id", "hypothesis_id", "hypothesis_code", "happened_at", "id"])
    op.create_index("ix_interview_latest", "interview", ["team_id", "started_at", "id"])
    _board_table(
        "board_count",
        sa.Column("facet", _name(12), nullable=False),
        sa.Column("slot", _name(64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("first", sa.Text(), nullable=True),
        sa.Column("last", sa.Text(), nullable=True),
        unique=("facet", "slot"),
    )
    _board_table(
        "board_item",
        sa.Column("kind", _name(10), nullable=False),
        sa.Column("scope", _name(120), nullable=False),
        sa.Column("group_hash", _name(64), nullable=False),
        sa.Column("group_key", sa.Text(), nullable=False),
        *(
            sa.Column(n, sa.Integer(), nullable=False)
            for n in ("interviewees", "mentions", "severity_sum", "severity_n")
        ),
        unique=("kind", "scope", "group_hash"),
    )
    op.create_index("ix_board_item_rank", "board_item", ["team_id", "kind", "scope", "interviewees"])
    _board_table(
        "board_wording",
        sa.Column("kind", _name(10), nullable=False),
        sa.Column("scope", _name(120), nullable=False),
        sa.Column("text_hash", _name(64), nullable=False),
        sa.Column("key_hash", _name(64), nullable=False),
        sa.Column("norm_key", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("mentions", sa.Integer(), nullable=False),
        sa.Column("first", sa.Text(), nullable=False),
        unique=("kind", "scope", "text_hash"),
    )
    op.create_index("ix_board_wording_key", "board_wording", ["team_id", "kind", "scope", "key_hash"])
    execute, dialect = inline(connection), connection.dialect.name
    for (team_id,) in connection.execute(sa.text("SELECT id FROM team ORDER BY id")).all():
        run_inline(rebuild(execute, dialect, team_id))


def _fill_evidence(connection: sa.Connection) -> None:
    evidence = sa.table(
        "evidence",
        sa.column("id", sa.Integer),
        sa.column("interview_id", sa.String),
        sa.column("team_id", sa.Integer),
        sa.column("happened_at", sa.DateTime(timezone=True)),
        sa.column("alias", sa.String),
    )
    interview = sa.table(
        "interview",
        sa.column("id", sa.String),
        sa.column("team_id", sa.Integer),
        sa.column("started_at", sa.DateTime(timezone=True)),
        sa.column("completed_at", sa.DateTime(timezone=True)),
        sa.column("alias", sa.String),
    )
    last = 0
    while True:
        rows = connection.execute(
            sa.select(
                evidence.c.id, interview.c.team_id, interview.c.started_at, interview.c.completed_at, interview.c.alias
            )
            .join(interview, interview.c.id == evidence.c.interview_id)
            .where(evidence.c.id > last)
            .order_by(evidence.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        values = [
            {"b_id": row.id, "b_team": row.team_id, "b_at": row.completed_at or row.started_at, "b_alias": row.alias}
            for row in rows
        ]
        connection.execute(
            sa.update(evidence)
            .where(evidence.c.id == sa.bindparam("b_id"))
            .values(team_id=sa.bindparam("b_team"), happened_at=sa.bindparam("b_at"), alias=sa.bindparam("b_alias")),
            values,
        )
        last = rows[-1].id


def downgrade() -> None:
    for table in ("board_wording", "board_item", "board_count"):
        op.drop_table(table)
    op.drop_index("ix_interview_latest", "interview")
    with op.batch_alter_table("evidence") as batch:
        batch.drop_index("ix_evidence_latest")
        batch.drop_constraint(EVIDENCE_FK, type_="foreignkey")
        batch.drop_column("alias")
        batch.drop_column("happened_at")
        batch.drop_column("team_id")
