"""search: a full-text index of completed interviews (tsvector + GIN on PostgreSQL, FTS5 on SQLite), backfilled

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

from storage.search_index import backfill, create_statements, drop_statements

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    dialect = connection.dialect.name
    for statement in create_statements(dialect):
        op.execute(statement)
    backfill(connection, dialect)


def downgrade() -> None:
    for statement in drop_statements(op.get_bind().dialect.name):
        op.execute(statement)
