"""Throw-away databases for a benchmark run: a PostgreSQL database (None, with the reason printed, when
unreachable), or each of SQLite and PostgreSQL in turn, migrated, and dropped afterwards."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine

from storage.database import normalize_url, sqlite_engine, upgrade

POSTGRES = os.environ.get("CUSDEV_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
"""The server benchmarks make their throw-away PostgreSQL databases on (the tests' one by default)."""


def postgres_database(base_url: str) -> tuple[str, str] | None:
    """Create a fresh database next to `base_url`; its URL and name, or None when PostgreSQL is unreachable."""
    try:
        import psycopg

        name = f"cusdev_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(base_url, autocommit=True, connect_timeout=3) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return f"{base_url.rpartition('/')[0]}/{name}", name
    except Exception as exc:  # report and carry on with SQLite only
        print(f"PostgreSQL skipped: {base_url} unreachable ({exc})")
        return None


def drop_database(base_url: str, name: str) -> None:
    """Drop a database `postgres_database` made."""
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def each_database(
    base_url: str, file_name: str, which: tuple[str, ...] = ("sqlite", "postgresql")
) -> Iterator[tuple[str, str, Engine]]:
    """(label, URL, a synchronous engine) for a new SQLite file, then a new PostgreSQL database (when reachable),
    each migrated to head; each is removed once the loop moves on."""
    if "sqlite" in which:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/{file_name}"
            with _engine(url, sqlite_engine) as engine:
                yield "SQLite", url, engine
    created = postgres_database(base_url) if "postgresql" in which else None
    if created is not None:
        url, name = created
        try:
            with _engine(url, lambda u: create_engine(normalize_url(u))) as engine:
                yield "PostgreSQL", url, engine
        finally:
            drop_database(base_url, name)


@contextmanager
def _engine(url: str, make: Callable[[str], Engine]) -> Iterator[Engine]:
    """The database at `url` migrated, and an engine on it (disposed after)."""
    upgrade(url)
    engine = make(url)
    try:
        yield engine
    finally:
        engine.dispose()


def analyze(engine: Engine) -> None:
    """Refresh the planner's statistics after seeding (SQLite ANALYZE, PostgreSQL VACUUM ANALYZE)."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
    else:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
