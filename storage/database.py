"""Database URLs, engines and migrations: SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import logging
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

MIGRATIONS = Path(__file__).with_name("migrations")
log = logging.getLogger(__name__)


def normalize_url(url: str) -> str:
    """Accept the usual spellings (postgres://, postgresql://) and pick the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif parsed.get_backend_name() == "sqlite":
        parsed = parsed.set(drivername="sqlite")
    else:
        raise ValueError(f"unsupported database {parsed.get_backend_name()!r}: use sqlite:/// or postgresql://")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    """True for an SQLite URL."""
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_engine(url: str, synchronous: str = "NORMAL") -> Engine:
    """A synchronous SQLite engine: WAL, foreign keys, busy timeout, and BEGIN IMMEDIATE transactions."""
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    # hide_parameters: an error's text never carries a founder's answer into a log line
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10}, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front, so two processes never deadlock upgrading a read lock.
        # An AUTOCOMMIT connection (the storage's own) runs its transactions itself.
        if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def sqlite_file(url: str) -> str:
    """The path of an SQLite database file; "" for PostgreSQL or an in-memory database."""
    url = normalize_url(url)
    database = make_url(url).database if is_sqlite(url) else None
    return str(Path(database).expanduser()) if database and database != ":memory:" else ""


SQLITE_CORRUPT, SQLITE_NOTADB = 11, 26


def is_damaged(exc: BaseException) -> bool:
    """Whether SQLite found its file damaged: a corrupt page, or a header that is not a database's."""
    cause = getattr(exc, "orig", None) or exc
    code = getattr(cause, "sqlite_errorcode", None)
    return (
        isinstance(cause, sqlite3.DatabaseError) and code is not None and code & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB)
    )


def sync_engine(url: str) -> Engine:
    """A synchronous engine on the database, for libraries that bring their own SQL (slack_sdk's OAuth stores)."""
    url = normalize_url(url)
    return sqlite_engine(url) if is_sqlite(url) else create_engine(url, pool_pre_ping=True, hide_parameters=True)


def postgres_engine(url: str, pool_size: int = 10) -> AsyncEngine:
    """An async PostgreSQL engine over psycopg 3."""
    return create_async_engine(
        url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True, hide_parameters=True
    )


def alembic_config(url: str) -> Config:
    """Alembic configuration pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations up to a revision (idempotent)."""
    url = normalize_url(url)
    if not is_sqlite(url):  # PostgreSQL: migrations/env.py serializes processes with an advisory lock
        command.upgrade(alembic_config(url), revision)
        return
    sqlite_engine(url).dispose()  # creates the folder and switches the file to WAL
    path = sqlite_file(url)
    with _folder_locked(Path(path).parent) if path else contextlib.nullcontext():
        command.upgrade(alembic_config(url), revision)


@contextlib.contextmanager
def _folder_locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on the database's folder: two processes starting on one SQLite file migrate one after
    the other (the second finds it at head). The folder, not a lock file: nothing is left beside the database."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def current_revision(url: str) -> str | None:
    """The revision the database is at, or None when it has no schema yet."""
    engine = create_engine(normalize_url(url))
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


SchemaState = Literal["missing", "empty", "behind", "unknown", "current"]


@dataclass(frozen=True)
class SchemaStatus:
    """Where the database's schema stands against the code's migrations."""

    state: SchemaState
    current: tuple[str, ...]
    heads: tuple[str, ...]
    sqlite_file: str = ""  # where an SQLite database lives (never a URL: those may hold passwords)


def schema_status(url: str) -> SchemaStatus:
    """Compare the database's revisions with the migrations' heads, creating and changing nothing.

    missing: an SQLite file that does not exist; empty: no schema yet; behind: older than the code;
    unknown: a revision this code does not know (a newer cusdev wrote it); current: at head.
    """
    url = normalize_url(url)
    scripts = _scripts()
    heads = tuple(sorted(scripts.get_heads()))
    where = sqlite_file(url)
    engine = _read_only_engine(url)
    if engine is None:
        return SchemaStatus("missing", (), heads, where)
    try:
        with engine.connect() as connection:
            current = tuple(sorted(MigrationContext.configure(connection).get_current_heads()))
    finally:
        engine.dispose()
    if not current:
        return SchemaStatus("empty", current, heads, where)
    if current == heads:
        return SchemaStatus("current", current, heads, where)
    try:
        for revision in current:
            scripts.get_revision(revision)
    except CommandError:
        return SchemaStatus("unknown", current, heads, where)
    return SchemaStatus("behind", current, heads, where)


@functools.cache
def _scripts() -> ScriptDirectory:
    """The migration scripts, read once per process (parsing them is most of a status check's cost)."""
    return ScriptDirectory.from_config(alembic_config("sqlite://"))


def _read_only_engine(url: str) -> Engine | None:
    """An engine that cannot create or change an SQLite file (None when the file is absent)."""
    if not is_sqlite(url):
        return create_engine(url)
    database = make_url(url).database
    if not database or database == ":memory:":
        return create_engine(url)
    path = Path(database).expanduser()
    if not path.is_file():
        return None
    return read_only_sqlite_engine(path)


def read_only_sqlite_engine(path: Path) -> Engine:
    """An engine on an SQLite file that never writes to it, even on read-only media (a mounted backup).

    It opens the file read-only; when even that fails because SQLite cannot make the WAL index beside it (the
    folder is read-only), the file is opened as immutable: nothing can change it there anyway.
    """
    base = path.resolve().as_uri()

    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(base + "?mode=ro", uri=True, check_same_thread=False, timeout=10)
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
        except sqlite3.OperationalError:  # not sqlite3.DatabaseError: a damaged file stays an error
            connection.close()
            wal = path.with_name(path.name + "-wal")
            if wal.is_file() and wal.stat().st_size:
                log.warning("%s is read-only: the commits still in %s are not read", path, wal.name)
            connection = sqlite3.connect(base + "?mode=ro&immutable=1", uri=True, check_same_thread=False)
        connection.isolation_level = None  # reads run their own BEGIN (storage.board_read)
        return connection

    return create_engine("sqlite://", creator=connect)
