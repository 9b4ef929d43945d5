"""Whole-database backups and restores: SQLite through its online backup API, PostgreSQL through pg_dump/pg_restore.

SQLite's backup copies every page in one step, inside one read transaction: in WAL mode the bot keeps writing
meanwhile and the copy is the database as of one commit. The copy is checked (`PRAGMA integrity_check`) before it
takes the target's name, so a FILE that exists is a whole, checked backup. PostgreSQL's custom-format dump is checked
by reading its table of contents back (`pg_restore --list`).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy.engine import URL, make_url

from storage.database import is_sqlite, normalize_url, schema_status, sqlite_file

Problem = Literal["no_database", "missing_tool", "tool_failed", "damaged", "not_cusdev", "same_file"]


class BackupFailed(Exception):
    """Why a backup or restore did not happen; `detail` is the file, the command to run, or what a tool said."""

    def __init__(self, problem: Problem, detail: str) -> None:
        super().__init__(f"{problem}: {detail}")
        self.problem, self.detail = problem, detail


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
        if is_sqlite(url):
            source = Path(sqlite_file(url))
            if not source.is_file():
                raise BackupFailed("no_database", str(source))
            _sqlite_copy(source, partial, journal="DELETE")  # one self-contained file
            revision = _sqlite_checked(partial)
        else:
            _run("pg_dump", url, "--format=custom", f"--file={partial}", shown=f"--file={target}")
            _run("pg_restore", None, "--list", str(partial))
            revision = None
        partial.chmod(0o600)  # founders' answers: readable by the bot's user alone
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return Copy(str(target), target.stat().st_size, revision)


def restore_database(url: str, source: Path) -> Copy:
    """Put a backup back into the database DATABASE_URL names (its content is replaced); raises BackupFailed.

    SQLite: the backup is checked first, then copied in through the backup API (never a file copy, which a stale
    `-wal` beside the target could undo). PostgreSQL: pg_restore in one transaction, dropping what is there first.
    """
    url = normalize_url(url)
    if not source.is_file():
        raise BackupFailed("no_database", str(source))
    if not is_sqlite(url):
        _run("pg_restore", None, "--list", str(source))
        _run("pg_restore", url, "--clean", "--if-exists", "--no-owner", "--single-transaction", str(source))
        return Copy(str(source), source.stat().st_size, None)
    _sqlite_checked(source)
    target = Path(sqlite_file(url))
    if target.exists() and target.samefile(source):
        raise BackupFailed("same_file", str(source))
    target.parent.mkdir(parents=True, exist_ok=True)
    _sqlite_copy(source, target, journal="WAL")
    return Copy(str(target), target.stat().st_size, _sqlite_checked(target))


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


def libpq(url: str) -> tuple[str, dict[str, str]]:
    """The URL as libpq tools take it, and the environment carrying its password (never on a command line)."""
    parsed = make_url(url)
    env = {**os.environ}
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    bare = URL.create("postgresql", parsed.username, None, parsed.host, parsed.port, parsed.database, parsed.query)
    return bare.render_as_string(hide_password=False), env


def _run(tool: str, url: str | None, *args: str, shown: str | None = None) -> None:
    """Run a PostgreSQL client tool (on the database at `url`, if given); BackupFailed when absent or failing.

    The command named in a failure has `shown` in place of the last argument (the final file, not the partial one).
    """
    target, env = libpq(url) if url is not None else ("", {**os.environ})
    database = [f"--dbname={target}"] if url is not None else []
    told = [tool, *args[:-1], shown or args[-1], *database] if args else [tool, *database]
    path = shutil.which(tool)
    if path is None:
        raise BackupFailed("missing_tool", " ".join(told))
    done = subprocess.run([path, *args, *database], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupFailed("tool_failed", f"{' '.join(told)}: {done.stderr.strip()}")
