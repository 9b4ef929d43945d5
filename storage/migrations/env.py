"""Alembic environment: runs migrations against the URL set by storage.database.alembic_config."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool
from sqlmodel import SQLModel

import storage.tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from storage.search_index import include_name

target_metadata = SQLModel.metadata
MIGRATION_LOCK = 0x63756D67  # "cumg": held while migrating (the scheduler's lock is another key)


def run_migrations_offline() -> None:
    """Emit SQL without a connection."""
    context.configure(
        url=context.config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run against a live connection."""
    engine = create_engine(context.config.get_main_option("sqlalchemy.url") or "", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True, include_name=include_name
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                # Replicas starting together all migrate: the first takes the lock and migrates, the others wait
                # for its commit (the migrations run in one transaction), then find the schema at head.
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
