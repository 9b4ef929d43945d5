"""`cusdev backup`, `restore` and `prune`, driven as a user would, on real SQLite files; the SQLite backup is taken
while another process keeps writing. PostgreSQL's are in test_cli_backup_postgres.py."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage.database import upgrade
from tests.bot.cli_support import QUICK, cusdev, use_database

WRITER = """
import sqlite3, sys, pathlib
db, stop = sys.argv[1], pathlib.Path(sys.argv[2])
connection = sqlite3.connect(db, isolation_level=None, timeout=30)
connection.execute("PRAGMA busy_timeout=30000")
batch = 0
while not stop.exists():
    connection.execute("BEGIN IMMEDIATE")
    connection.executemany(
        "INSERT INTO processed_event (event_id, processed_at) VALUES (?, '2026-12-01 12:00:00.000000')",
        [(f"w{batch}-{i}",) for i in range(10)],
    )
    connection.execute("COMMIT")
    batch += 1
"""
"""A bot stand-in: transactions of ten event ids each, as fast as it can, until told to stop."""


@pytest.fixture
def sqlite_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data" / "cusdev.db"
    use_database(monkeypatch, tmp_path, f"sqlite:///{path}")
    return path


def writer_batches(path: Path) -> list[int]:
    """How many event ids of each writer transaction a database holds."""
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT substr(event_id, 1, instr(event_id, '-')), count(*) FROM processed_event "
            "WHERE event_id LIKE 'w%' GROUP BY 1"
        ).fetchall()
    connection.close()
    return [count for _batch, count in rows]


def wait_for_more(writer: subprocess.Popen[bytes], database: Path, than: int) -> int:
    """Wait (20 s at most) until the writer committed more than `than` transactions; how many it has."""
    for _ in range(2000):
        assert writer.poll() is None, "the writer died"
        found = len(writer_batches(database))
        if found > than:
            return found
        time.sleep(0.01)
    raise AssertionError(f"the writer committed nothing past {than} in 20 s")


def test_an_sqlite_backup_taken_while_another_process_writes_is_whole_and_consistent(
    sqlite_db: Path, tmp_path: Path
) -> None:
    cusdev("chat", "--script", "quick", "--as", "alice", input=QUICK)
    with sqlite3.connect(sqlite_db) as connection:  # some bulk, so the copy takes a while
        connection.executemany(
            "INSERT INTO processed_event VALUES (?, '2026-11-01 12:00:00.000000')",
            [(f"bulk-{n}",) for n in range(50_000)],
        )
    connection.close()
    stop = tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(sqlite_db), str(stop)])
    try:
        before = wait_for_more(writer, sqlite_db, 0)  # the writer is under way before the backup starts
        out = cusdev("backup", str(tmp_path / "backup.db"))
        after = wait_for_more(writer, sqlite_db, len(writer_batches(sqlite_db)))  # and goes on after it
    finally:
        stop.touch()
        writer.wait(timeout=30)
    assert writer.returncode == 0
    assert "Backed up the database to" in out and "revision 0018" in out and "checks out whole" in out
    copied = writer_batches(tmp_path / "backup.db")
    assert set(copied) == {10}  # every writer transaction whole, none torn
    assert before <= len(copied) < after  # the database as of one commit between the two
    assert not (tmp_path / "backup.db.partial").exists()
    with sqlite3.connect(tmp_path / "backup.db") as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one self-contained file
        assert copy.execute("SELECT count(*) FROM processed_event WHERE event_id LIKE 'bulk-%'").fetchone() == (50_000,)
    copy.close()


def test_backup_refuses_to_replace_a_file_unless_forced(sqlite_db: Path, tmp_path: Path) -> None:
    upgrade(f"sqlite:///{sqlite_db}")
    (tmp_path / "old.db").write_text("an older backup")
    out = cusdev("backup", str(tmp_path / "old.db"), code=1)
    assert "exists already; pass --force" in out and (tmp_path / "old.db").read_text() == "an older backup"
    assert "checks out whole" in cusdev("backup", "--force", str(tmp_path / "old.db"))
    assert (tmp_path / "old.db").stat().st_mode & 0o777 == 0o600  # founders' answers: the owner's alone


def test_restore_puts_a_backup_back_and_refuses_what_it_should(sqlite_db: Path, tmp_path: Path) -> None:
    cusdev("chat", "--script", "quick", "--as", "alice", input=QUICK)
    cusdev("backup", str(tmp_path / "monday.db"))
    cusdev("chat", "--script", "quick", "--as", "bob", input=QUICK)
    assert len(json.loads(cusdev("export"))["interviews"]) == 2

    out = cusdev("restore", str(tmp_path / "monday.db"), code=1)
    assert "Stop the bot before restoring" in out and "already holds a database" in out
    assert len(json.loads(cusdev("export"))["interviews"]) == 2  # refused: nothing changed

    out = cusdev("restore", "--force", str(tmp_path / "monday.db"))
    assert f"Restored {sqlite_db} from" in out
    assert [i["founder"] for i in json.loads(cusdev("export"))["interviews"]] == ["alice"]

    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    assert "is damaged, nothing was replaced" in cusdev("restore", "--force", str(tmp_path / "junk.db"), code=1)
    assert "is the database itself" in cusdev("restore", "--force", str(sqlite_db), code=1)
    assert len(json.loads(cusdev("export"))["interviews"]) == 1


def test_restore_into_a_new_file_and_the_messages_in_russian(
    sqlite_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cusdev("chat", "--script", "quick", "--as", "alice", input=QUICK)
    cusdev("backup", str(tmp_path / "b.db"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'elsewhere' / 'new.db'}")
    monkeypatch.setenv("DEFAULT_LANGUAGE", "ru")
    out = cusdev("restore", str(tmp_path / "b.db"))
    assert "Остановите бота" in out and "база восстановлена из" in out
    assert [i["founder"] for i in json.loads(cusdev("export"))["interviews"]] == ["alice"]
    assert "уже есть" in cusdev("backup", str(tmp_path / "b.db"), code=1)


def test_prune_by_hand_counts_then_prunes(sqlite_db: Path) -> None:
    upgrade(f"sqlite:///{sqlite_db}")
    old = (datetime.now(UTC) - timedelta(days=31)).strftime("%Y-%m-%d %H:%M:%S.%f")
    with sqlite3.connect(sqlite_db) as connection:
        connection.executemany("INSERT INTO processed_event VALUES (?, ?)", [(f"e{n}", old) for n in range(3)])
        connection.execute(
            "INSERT INTO outbox (platform, tenant, chat, kind, payload, created_at, sent_at) "
            "VALUES ('telegram', '', '1', 'chat', '{}', ?, ?), ('telegram', '', '1', 'chat', '{}', ?, NULL)",
            (old, old, old),
        )
    connection.close()
    assert "Would prune: processed event ids older than 30 d: 3; sent messages older than 30 d: 1." in cusdev(
        "prune", "--dry-run"
    )
    assert "Pruned: processed event ids older than 30 d: 3; sent messages older than 30 d: 1." in cusdev("prune")
    assert "Pruned: processed event ids older than 30 d: 0; sent messages older than 30 d: 0." in cusdev("prune")


def test_without_pg_dump_backup_names_the_command_to_run_without_the_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://cusdev:s3cret@db.example:5432/cusdev?sslmode=require")
    monkeypatch.setenv("PATH", str(tmp_path))  # no PostgreSQL client tools on it
    monkeypatch.chdir(tmp_path)
    out = cusdev("backup", "nightly.dump", code=2)
    assert "pg_dump is not installed here" in out
    assert "pg_dump --format=custom --file=nightly.dump --dbname=postgresql://cusdev@db.example:5432/cusdev" in out
    assert "sslmode=require" in out and "s3cret" not in out
    assert not (tmp_path / "nightly.dump").exists()
