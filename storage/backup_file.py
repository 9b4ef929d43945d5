"""Whole-database backups and restores: SQLite through its online backup API, PostgreSQL through pg_dump/pg_restore.

SQLite's backup copies every page in one step, inside one read transaction: in WAL mode the bot keeps writing
meanwhile and the copy is the database as of one commit. The copy is checked (`PRAGMA integrity_check`) before it
takes the target's name, so a FILE that exists is a whole, checked backup. PostgreSQL's custom-format dump is checked
by reading its table of contents back (`pg_restore --list`). A backup file is created readable by its owner alone
before a byte is written to it: founders' answers are in it.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from storage.database import is_sqlite, normalize_url, schema_status, sqlite_file
from storage.pg_tools import BackupFailed, pg_load, run_tool


@dataclass(frozen=True)
class Copy:
    """A checked backup (or restored database): where, how many bytes, and its schema revision."""

    path: str
    size: int
    revision: str | None


def in_use(url: str) -> bool:
    """Whether restoring here would replace a database: an SQLite file exists, or PostgreSQL has tables."""
    url = normalize_url(url)
    if is_sqlite(url):
        return Path(sqlite_file(url)).exists()
    return schema_status(url).state != "empty"


def backup_database(url: str, target: Path) -> Copy:
    """Copy the database to `target` (SQLite file, or pg_dump's custom format), checked; raises BackupFailed."""
    url = normalize_url(url)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        _create_private(partial)  # the tools below write into it and keep its mode
        if is_sqlite(url):
            source = Path(sqlite_file(url))
            if not source.is_file():
                raise BackupFailed("no_database", str(source))
            _sqlite_copy(source, partial, journal="DELETE")  # one self-contained file
            revision = _sqlite_checked(partial)
        else:
            run_tool("pg_dump", url, "--format=custom", f"--file={partial}", shown=f"--file={target}")
            run_tool("pg_restore", None, "--list", str(partial))
            revision = None
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return Copy(str(target), target.stat().st_size, revision)


def restore_database(url: str, source: Path, replace: bool = False) -> Copy:
    """Put a backup back into the database DATABASE_URL names; raises BackupFailed.

    SQLite: the backup is checked first, then copied in through the backup API (never a file copy, which a stale
    `-wal` beside the target could undo). PostgreSQL: the dump is loaded in one transaction; with `replace`, the
    public schema is dropped and created again first in that same transaction, so no table of a newer schema stays.
    """
    url = normalize_url(url)
    if not source.is_file():
        raise BackupFailed("no_database", str(source))
    if not is_sqlite(url):
        run_tool("pg_restore", None, "--list", str(source))
        pg_load(url, source, replace)
        return Copy(str(source), source.stat().st_size, None)
    _sqlite_checked(source)
    target = Path(sqlite_file(url))
    if target.exists() and target.samefile(source):
        raise BackupFailed("same_file", str(source))
    target.parent.mkdir(parents=True, exist_ok=True)
    _sqlite_copy(source, target, journal="WAL")
    return Copy(str(target), target.stat().st_size, _sqlite_checked(target))


def _create_private(path: Path) -> None:
    """Create an empty file only its owner can read or write (whatever the umask), failing if it exists."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(descriptor, 0o600)  # a umask such as 0o200 would have taken more away than 0o077
    finally:
        os.close(descriptor)


def _sqlite_copy(source: Path, target: Path, journal: str) -> None:
    try:
        with (
            closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=30)) as reading,
            closing(sqlite3.connect(target, timeout=30)) as writing,
        ):
            reading.backup(writing)  # pages=-1: every page in one step, one snapshot of the source
            writing.execute(f"PRAGMA journal_mode={journal}")
    except sqlite3.OperationalError as exc:  # cannot open, read or write (a missing folder, a full disk, a lock)
        raise BackupFailed("tool_failed", f"{source} → {target}: {exc}") from None
    except sqlite3.DatabaseError as exc:
        raise BackupFailed("damaged", f"{source}: {exc}") from None


def _sqlite_checked(path: Path) -> str:
    """The revision of a whole cusdev database at `path`; BackupFailed when it is damaged or not one."""
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as connection:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise BackupFailed("damaged", f"{path}: " + "; ".join(problems[:5]))
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            found = (
                connection.execute("SELECT version_num FROM alembic_version") if "alembic_version" in tables else None
            )
            revision = found.fetchone() if found is not None else None
    except sqlite3.DatabaseError as exc:
        raise BackupFailed("damaged", f"{path}: {exc}") from None
    if revision is None:
        raise BackupFailed("not_cusdev", str(path))
    return str(revision[0])
