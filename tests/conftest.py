"""Shared fixtures: real SQLite always, real PostgreSQL whenever it is reachable."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from core.app.service import InterviewService, ServiceSettings
from core.scripts.catalog import builtin_scripts
from storage.database import upgrade
from storage.sql_storage import SqlStorage
from tests.fakes import CountingIds, FakeClock

POSTGRES_URL = os.environ.get("CUSDEV_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
TABLES = (
    "answer, item, price_answer, commitment, evidence, hypothesis, conversation, interview, member, team, "
    "processed_event, outbox, slack_installations, slack_bots, slack_oauth_states"
)


def _postgres_problem() -> str | None:
    try:
        import psycopg

        with psycopg.connect(POSTGRES_URL, connect_timeout=3):
            return None
    except Exception as exc:  # any failure means: skip, and say why
        return (
            f"PostgreSQL not reachable at {POSTGRES_URL} ({type(exc).__name__}: {exc}); "
            "start it (see .ci/run) or set CUSDEV_TEST_POSTGRES_URL"
        )


@contextmanager
def fresh_postgres(prefix: str, revision: str | None = None) -> Iterator[str]:
    """A new PostgreSQL database named `prefix` + a random suffix, migrated to `revision` if given, dropped after.

    Skips the test (saying why) when PostgreSQL is not reachable.
    """
    problem = _postgres_problem()
    if problem:
        pytest.skip(problem)
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = f"{POSTGRES_URL.rpartition('/')[0]}/{name}"
        if revision is not None:
            upgrade(url, revision)
        yield url
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, migrated to head, dropped afterwards."""
    with fresh_postgres("cusdev_test", "head") as url:
        yield url


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database: SQLite in a temp folder, or the session's PostgreSQL database truncated."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'cusdev.db'}"
        upgrade(url)
        return url
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def pg_url(postgres_database: str) -> str:
    """The session's PostgreSQL database, migrated and truncated (for tests that only PostgreSQL can run)."""
    import psycopg

    with psycopg.connect(postgres_database, autocommit=True) as connection:
        connection.execute(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")
    return postgres_database


@pytest.fixture
async def storage(db_url: str) -> AsyncIterator[SqlStorage]:
    store = SqlStorage(db_url)
    yield store
    await store.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def service(storage: SqlStorage, clock: FakeClock) -> InterviewService:
    return InterviewService(storage, builtin_scripts(), clock, CountingIds(), ServiceSettings(default_currency="USD"))


@pytest.fixture(params=["sqlite", "postgres"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no schema at all: a new SQLite file, or a new PostgreSQL database dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    with fresh_postgres("cusdev_empty") as url:
        yield url
