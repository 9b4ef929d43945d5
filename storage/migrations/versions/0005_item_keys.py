"""items: team and normalized key on each row, so the board groups items in SQL

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

Adds item.team_id, item.norm_key (core.analytics.items.normalize_item of the text) and item.key_hash (its
SHA-256), fills them for existing rows (the key is computed in Python: NFC and casefold have no SQL twin), then
makes them NOT NULL and indexes (team_id, kind, key_hash, interview_id, severity) for the board's GROUP BY.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

from core.analytics.items import normalize_item

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade() -> None:
    with op.batch_alter_table("item") as batch:
        batch.add_column(sa.Column("team_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("norm_key", sa.Text(), nullable=True))
        batch.add_column(sa.Column("key_hash", sa.String(length=64), nullable=True))
    connection = op.get_bind()
    item = sa.table(
        "item",
        sa.column("id", sa.Integer),
        sa.column("interview_id", sa.String),
        sa.column("team_id", sa.Integer),
        sa.column("text", sa.Text),
        sa.column("norm_key", sa.Text),
        sa.column("key_hash", sa.String),
    )
    interview = sa.table("interview", sa.column("id", sa.String), sa.column("team_id", sa.Integer))
    owner = sa.select(interview.c.team_id).where(interview.c.id == item.c.interview_id).scalar_subquery()
    connection.execute(sa.update(item).values(team_id=owner))
    last = 0
    while True:
        rows = connection.execute(
            sa.select(item.c.id, item.c.text).where(item.c.id > last).order_by(item.c.id).limit(BATCH)
        ).all()
        if not rows:
            break
        keys = [{"b_id": row.id, "b_key": normalize_item(row.text)} for row in rows]
        for entry in keys:
            entry["b_hash"] = hashlib.sha256(entry["b_key"].encode("utf-8")).hexdigest()
        connection.execute(
            sa.update(item)
            .where(item.c.id == sa.bindparam("b_id"))
            .values(norm_key=sa.bindparam("b_key"), key_hash=sa.bindparam("b_hash")),
            keys,
        )
        last = rows[-1].id
    with op.batch_alter_table("item") as batch:
        batch.alter_column("team_id", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("norm_key", existing_type=sa.Text(), nullable=False)
        batch.alter_column("key_hash", existing_type=sa.String(length=64), nullable=False)
        batch.create_foreign_key("fk_item_team_id_team", "team", ["team_id"], ["id"])
        batch.create_index("ix_item_board", ["team_id", "kind", "key_hash", "interview_id", "severity"])


def downgrade() -> None:
    with op.batch_alter_table("item") as batch:
        batch.drop_index("ix_item_board")
        batch.drop_constraint("fk_item_team_id_team", type_="foreignkey")
        batch.drop_column("key_hash")
        batch.drop_column("norm_key")
        batch.drop_column("team_id")
