"""problem interviews: the board's counts say which interviews record a pain, and severe pains count from every script

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-01

No schema change. Any completed interview that records a pain is now a problem interview for the Discovery gate
(a quick log counts as a full problem interview does): the segment counts carry whether the interview recorded a
pain, and the severe-pain scopes of board_item and board_wording are no longer split by script. Every team's
counts are rebuilt with the code the write path uses (storage.tally_write.rebuild). The downgrade rebuilds them
the same way: run it with the code of the revision you go back to.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.board_read import inline, run_inline
from storage.tally_write import rebuild

revision = "0009"
down_revision = "0007"
branch_labels = None
depends_on = None


def _rebuild_every_team() -> None:
    connection = op.get_bind()
    execute, dialect = inline(connection), connection.dialect.name
    for (team_id,) in connection.execute(sa.text("SELECT id FROM team ORDER BY id")).all():
        run_inline(rebuild(execute, dialect, team_id))


def upgrade() -> None:
    _rebuild_every_team()


def downgrade() -> None:
    _rebuild_every_team()
