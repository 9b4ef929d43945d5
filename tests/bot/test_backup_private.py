"""A backup is never readable by others, not even while it is being written: Python's audit hooks report the moment
SQLite opens the partial file and the moment pg_dump is started on it, and its mode is read right then."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from storage.database import upgrade
from tests.bot.cli_support import QUICK, cusdev, use_database
from tests.conftest import fresh_postgres

WATCHED: dict[str, list[tuple[str, int | None]]] = {}
"""The partial file being watched (its path) -> (event, its mode then, None when it did not exist yet)."""


def _on_audit(event: str, args: tuple[Any, ...]) -> None:
    if not WATCHED:
        return
    if event == "sqlite3.connect":
        words = [os.fspath(args[0])] if isinstance(args[0], str | os.PathLike) else []
    elif event == "subprocess.Popen":
        words = [str(word) for word in args[1]]
    elif event == "os.rename":  # os.replace: the finished copy takes its final name
        words = [os.fspath(args[0])] if isinstance(args[0], str | os.PathLike) else []
    else:
        return
    for path, seen in WATCHED.items():
        if any(path in word for word in words):
            mode = os.stat(path).st_mode & 0o777 if os.path.exists(path) else None
            seen.append((event.partition(".")[0] if event != "os.rename" else "rename", mode))


sys.addaudithook(_on_audit)  # hooks cannot be removed: it does nothing while WATCHED is empty


@contextmanager
def modes_of(partial: Path) -> Iterator[list[tuple[str, int | None]]]:
    """Record the partial file's mode whenever a tool opens it or it is renamed, while the block runs."""
    seen: list[tuple[str, int | None]] = []
    WATCHED[str(partial)] = seen
    old_umask = os.umask(0o022)  # the usual one: a file created with the default mode would be world-readable
    try:
        yield seen
    finally:
        os.umask(old_umask)
        del WATCHED[str(partial)]


def test_an_sqlite_backup_is_the_owners_alone_from_the_moment_sqlite_opens_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'cusdev.db'}"
    use_database(monkeypatch, tmp_path, url)
    upgrade(url)
    cusdev("chat", "--script", "quick", "--as", "alice", input=QUICK)
    with modes_of(tmp_path / "nightly.db.partial") as seen:
        cusdev("backup", str(tmp_path / "nightly.db"))
    assert seen[0] == ("sqlite3", 0o600) and seen[-1] == ("rename", 0o600)  # created private, kept private
    assert all(mode == 0o600 for _event, mode in seen)
    assert (tmp_path / "nightly.db").stat().st_mode & 0o777 == 0o600


@pytest.mark.postgres
def test_a_pg_dump_is_the_owners_alone_from_the_moment_pg_dump_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with fresh_postgres("cusdev_private", "head") as url:
        use_database(monkeypatch, tmp_path, url)
        cusdev("chat", "--script", "quick", "--as", "alice", input=QUICK)
        with modes_of(tmp_path / "nightly.dump.partial") as seen:
            cusdev("backup", str(tmp_path / "nightly.dump"))
    assert seen[0] == ("subprocess", 0o600) and seen[-1] == ("rename", 0o600)  # pg_dump, then pg_restore --list
    assert all(mode == 0o600 for _event, mode in seen)
    assert (tmp_path / "nightly.dump").stat().st_mode & 0o777 == 0o600
