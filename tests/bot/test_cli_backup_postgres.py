"""`cusdev backup` and `restore` on real PostgreSQL databases, pg_dump, pg_restore and psql run for real: a restore
replaces the whole schema in one transaction, so a dump from before later migrations upgrades cleanly afterwards."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from storage.database import schema_status
from tests.bot.cli_support import QUICK, cusdev, use_database
from tests.conftest import fresh_postgres

pytestmark = pytest.mark.postgres
OLD = "0013"
"""A revision before three migrations that create tables (0014 search, 0015 reminders, 0016 digests)."""
NEWER_TABLES = {"interview_search", "reminder_setting", "digest_run"}


@pytest.fixture
def pg_databases(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two new PostgreSQL databases (the first migrated), dropped afterwards; DATABASE_URL is the first."""
    with fresh_postgres("cusdev_keep", "head") as first, fresh_postgres("cusdev_keep") as second:
        use_database(monkeypatch, tmp_path, first)
        yield first, second


def tables(url: str) -> set[str]:
    with psycopg.connect(url) as connection:
        rows = connection.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    return {str(name) for (name,) in rows}


def revision(url: str) -> str:
    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    assert row is not None
    return str(row[0])


def founders() -> list[str]:
    return [interview["founder"] for interview in json.loads(cusdev("export"))["interviews"]]


def test_postgres_backup_with_pg_dump_and_restore_with_pg_restore(
    pg_databases: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _first, second = pg_databases
    cusdev("chat", "--script", "quick", "--as", "alice", input=QUICK)
    out = cusdev("backup", str(tmp_path / "cusdev.dump"))
    assert "with pg_dump; pg_restore reads it back whole" in out
    listed = subprocess.run(["pg_restore", "--list", str(tmp_path / "cusdev.dump")], capture_output=True, text=True)
    assert "TABLE DATA public interview" in listed.stdout

    monkeypatch.setenv("DATABASE_URL", second)
    out = cusdev("restore", str(tmp_path / "cusdev.dump"))
    assert "Restored the database in DATABASE_URL from" in out
    assert founders() == ["alice"]
    cusdev("chat", "--script", "quick", "--as", "bob", input=QUICK)
    assert "already holds a database" in cusdev("restore", str(tmp_path / "cusdev.dump"), code=1)
    cusdev("restore", "--force", str(tmp_path / "cusdev.dump"))  # replaces what is there, in one transaction
    assert founders() == ["alice"]
    assert "There is no database at" in cusdev("restore", "--force", str(tmp_path / "missing.dump"), code=2)


def test_a_forced_restore_of_a_dump_older_than_the_database_leaves_no_newer_table_and_upgrades(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with fresh_postgres("cusdev_old", OLD) as old, fresh_postgres("cusdev_new", "head") as new:
        with psycopg.connect(old) as connection:
            connection.execute("INSERT INTO processed_event VALUES ('from-the-old-dump', now())")
        use_database(monkeypatch, tmp_path, old)
        cusdev("backup", str(tmp_path / "old.dump"))

        monkeypatch.setenv("DATABASE_URL", new)
        cusdev("chat", "--script", "quick", "--as", "bob", input=QUICK)
        assert tables(new) >= NEWER_TABLES
        assert "Restored the database in DATABASE_URL" in cusdev("restore", "--force", str(tmp_path / "old.dump"))
        assert revision(new) == OLD and not NEWER_TABLES & tables(new)  # the database is the dump's, and only it

        assert "Database is up to date." in cusdev("db", "upgrade")
        assert schema_status(new).state == "current" and tables(new) >= NEWER_TABLES
        with psycopg.connect(new) as connection:
            events = connection.execute("SELECT event_id FROM processed_event").fetchall()
        assert events == [("from-the-old-dump",)] and founders() == []


def test_a_restore_that_fails_halfway_changes_nothing(
    pg_databases: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _second = pg_databases
    cusdev("chat", "--script", "quick", "--as", "alice", input=QUICK)
    cusdev("backup", str(tmp_path / "whole.dump"))
    whole = (tmp_path / "whole.dump").read_bytes()
    (tmp_path / "cut.dump").write_bytes(whole[:-100])  # the table of contents intact, the last data cut off
    listed = subprocess.run(["pg_restore", "--list", str(tmp_path / "cut.dump")], capture_output=True, check=False)
    assert listed.returncode == 0  # so the restore gets as far as loading, and fails there
    cusdev("chat", "--script", "quick", "--as", "bob", input=QUICK)
    before = tables(first)

    out = cusdev("restore", "--force", str(tmp_path / "cut.dump"), code=1)
    assert "The command failed, nothing was replaced" in out and "--file=restore.sql" in out and "&& psql" in out
    assert tables(first) == before and founders() == ["alice", "bob"]  # the schema was not dropped: rolled back


def test_without_psql_restore_names_psql_and_the_whole_command(
    pg_databases: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cusdev("backup", str(tmp_path / "cusdev.dump"))
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "pg_restore").symlink_to(shutil.which("pg_restore") or "pg_restore")  # pg_restore, and no psql
    monkeypatch.setenv("PATH", str(tools))
    out = cusdev("restore", "--force", str(tmp_path / "cusdev.dump"), code=2)
    assert "psql is not installed here" in out
    # by hand the SQL goes to a file first: a pg_restore that fails leaves psql unrun, nothing half-loaded
    assert f"pg_restore --no-owner --file=restore.sql {tmp_path / 'cusdev.dump'} && psql " in out
    assert "--single-transaction '--command=DROP SCHEMA public CASCADE; CREATE SCHEMA public;" in out
    assert "--file=restore.sql --dbname=" in out
