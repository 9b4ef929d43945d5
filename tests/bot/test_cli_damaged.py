"""A damaged SQLite file says so the same way wherever the damage is; a database on read-only media still exports."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from storage.database import upgrade
from storage.importing import import_batch
from storage.sql_storage import SqlStorage
from tests.storage.board_data import NOW, interviews

runner = CliRunner()
COMMANDS = [["export"], ["board"], ["chat", "--script", "quick", "--as", "alice"], ["gates", "show"]]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    monkeypatch.delenv("SCRIPTS_DIR", raising=False)


def team_database(path: Path) -> Path:
    """A real SQLite database with a team's interviews over many pages, its WAL folded into the file."""
    url = f"sqlite:///{path}"
    upgrade(url)

    async def fill() -> None:
        storage = SqlStorage(url)
        async with storage.transaction() as uow:
            await import_batch(uow, interviews("default", 300), NOW)
        await storage.close()

    asyncio.run(fill())
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def root_pages(path: Path, *tables: str) -> list[int]:
    with sqlite3.connect(path) as connection:
        return [
            connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
            for table in tables
        ]


def run(path: Path, args: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    result = runner.invoke(app, args, input="Anna\n")
    return result.exit_code, result.output


def test_a_page_damaged_mid_file_says_the_same_as_a_damaged_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = team_database(tmp_path / "cusdev.db")
    pages = root_pages(original, "team", "interview")
    page_size = 4096
    assert all(1 < page < original.stat().st_size // page_size for page in pages)  # inside the file, not its header
    header, middle = tmp_path / "header.db", tmp_path / "middle.db"
    for copy in (header, middle):
        shutil.copy(original, copy)
    with header.open("r+b") as file:
        file.write(b"this is no database")
    with middle.open("r+b") as file:
        for page in pages:
            file.seek((page - 1) * page_size)
            file.write(b"\xa5" * page_size)
    for args in COMMANDS:
        outcomes = {}
        for copy in (header, middle):
            code, output = run(copy, args, monkeypatch)
            assert code == 2 and "Traceback" not in output and "Error" not in output, output
            assert f"the database file {copy} is damaged" in output and "cusdev import" in output
            outcomes[copy] = output.replace(str(copy), "FILE")
        assert outcomes[header] == outcomes[middle], args


@pytest.fixture
def media() -> Iterator[Path]:
    """A folder others can read (the commands run as an unprivileged user when the tests run as root)."""
    folder = Path(tempfile.mkdtemp(prefix="cusdev-media-"))
    folder.chmod(0o755)
    yield folder
    for path in (folder, *folder.iterdir()):
        path.chmod(0o755)
    shutil.rmtree(folder)


def as_reader(args: list[str], url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `cusdev` as a user who cannot write the media (root can write anything, so root drops to nobody)."""
    env = {key: value for key, value in os.environ.items() if key not in ("SCRIPTS_DIR", "DATABASE_URL")}
    command = [sys.executable, "-m", "bot.cli", *args]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot make the media read-only for the command")
        command = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    return subprocess.run(
        command,
        env={**env, "DATABASE_URL": url, "PYTHONPATH": str(Path(__file__).parents[2])},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_database_on_read_only_media_still_exports(media: Path) -> None:
    database = team_database(media / "backup" / "cusdev.db")
    database.chmod(0o444)
    database.parent.chmod(0o555)
    before = database.read_bytes()
    url = f"sqlite:///{database}"
    done = as_reader(["export"], url, media)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["interviews"]) == 300
    board = as_reader(["board", "--format", "json"], url, media)
    assert board.returncode == 0 and json.loads(board.stdout)["team"] == "default", board.stderr
    notes = as_reader(["export", "--format", "md"], url, media)
    assert notes.returncode == 0 and notes.stdout.startswith("# Customer interviews"), notes.stderr
    assert sorted(p.name for p in database.parent.iterdir()) == ["cusdev.db"] and database.read_bytes() == before
