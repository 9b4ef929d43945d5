"""evidence and tallies: one stance per hypothesis per interview, evidence dated by the interview, counts redone

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

Data only, no schema change. An interview that linked the same hypothesis twice keeps its last link (as
core.domain.one_link_each does for new ones); evidence of an interview dated another day than it was saved takes
that date (core.domain.evidence_dated); then every team's board counts are rebuilt (storage.tally_write.rebuild),
so imported price-survey rows stop counting as interviews and removed links stop counting.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from core.domain import evidence_dated
from storage.board_read import inline, run_inline
from storage.executor import aware
from storage.tally_write import rebuild

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BATCH = 1000
EVIDENCE = sa.table(
    "evidence",
    sa.column("id", sa.Integer),
    sa.column("interview_id", sa.String),
    sa.column("hypothesis_code", sa.String),
    sa.column("happened_at", sa.DateTime(timezone=True)),
)
INTERVIEW = sa.table(
    "interview",
    sa.column("id", sa.String),
    sa.column("started_at", sa.DateTime(timezone=True)),
    sa.column("completed_at", sa.DateTime(timezone=True)),
    sa.column("interview_date", sa.Date),
)


def upgrade() -> None:
    connection = op.get_bind()
    kept = sa.select(sa.func.max(EVIDENCE.c.id)).group_by(EVIDENCE.c.interview_id, EVIDENCE.c.hypothesis_code)
    connection.execute(sa.delete(EVIDENCE).where(EVIDENCE.c.id.not_in(kept.scalar_subquery())))
    _date_evidence(connection)
    execute, dialect = inline(connection), connection.dialect.name
    for (team_id,) in connection.execute(sa.text("SELECT id FROM team ORDER BY id")).all():
        run_inline(rebuild(execute, dialect, team_id))


def _date_evidence(connection: sa.Connection) -> None:
    last = 0
    while True:
        rows = connection.execute(
            sa.select(
                EVIDENCE.c.id,
                EVIDENCE.c.happened_at,
                INTERVIEW.c.started_at,
                INTERVIEW.c.completed_at,
                INTERVIEW.c.interview_date,
            )
            .join(INTERVIEW, INTERVIEW.c.id == EVIDENCE.c.interview_id)
            .where(EVIDENCE.c.id > last, INTERVIEW.c.interview_date.is_not(None))
            .order_by(EVIDENCE.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        values = []
        for row in rows:
            saved = aware(row.completed_at) or aware(row.started_at)
            assert saved is not None
            dated = evidence_dated(row.interview_date, saved)
            if dated != aware(row.happened_at):
                values.append({"b_id": row.id, "b_at": dated})
        if values:
            dating = sa.update(EVIDENCE).where(EVIDENCE.c.id == sa.bindparam("b_id"))
            connection.execute(dating.values(happened_at=sa.bindparam("b_at")), values)
        last = rows[-1].id


def downgrade() -> None:
    """Nothing to undo in the schema; removed duplicate links stay removed."""
