"""Read-only commands (export, board, gates show) never migrate: behind or absent, they say what to run."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from bot.cli import app
from storage.database import current_revision, normalize_url, schema_status, upgrade

READ_ONLY = [["export"], ["board"], ["gates", "show"]]
runner = CliRunner()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    monkeypatch.delenv("SCRIPTS_DIR", raising=False)


def run(monkeypatch: pytest.MonkeyPatch, url: str, *args: str, code: int) -> str:
    monkeypatch.setenv("DATABASE_URL", url)
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.output


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file in a folder with a hash of its bytes (SQLite's database, -wal and -shm files)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_missing_sqlite_database_stays_absent(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    folder = tmp_path / "not" / "yet"
    url = f"sqlite:///{folder / 'cusdev.db'}"
    for command in READ_ONLY:
        out = run(monkeypatch, url, *command, code=2)
        assert f"there is no database at {folder / 'cusdev.db'} yet" in out
        assert "Run `cusdev db upgrade` to create it." in out
    assert not (tmp_path / "not").exists()


def test_an_empty_database_is_not_given_tables(monkeypatch: pytest.MonkeyPatch, empty_url: str, tmp_path: Path) -> None:
    if empty_url.startswith("sqlite"):
        (tmp_path / "old.db").touch()  # an empty file is an empty SQLite database
    before = fingerprint(tmp_path)
    for command in READ_ONLY:
        out = run(monkeypatch, empty_url, *command, code=2)
        assert "the database has no tables yet. Run `cusdev db upgrade` first." in out
    assert fingerprint(tmp_path) == before
    assert current_revision(empty_url) is None


def test_an_old_revision_says_what_to_run_and_stays_old(
    monkeypatch: pytest.MonkeyPatch, empty_url: str, tmp_path: Path
) -> None:
    upgrade(empty_url, "0003")
    head = ", ".join(schema_status(empty_url).heads)
    before = fingerprint(tmp_path)
    for command in READ_ONLY:
        out = run(monkeypatch, empty_url, *command, code=2)
        assert f"the database is at revision 0003, older than this version of cusdev ({head})" in out
        assert "Run `cusdev db upgrade` first." in out
    assert fingerprint(tmp_path) == before
    assert current_revision(empty_url) == "0003"
    run(monkeypatch, empty_url, "db", "upgrade", code=0)
    assert json.loads(run(monkeypatch, empty_url, "export", code=0))["interviews"] == []
    assert run(monkeypatch, empty_url, "gates", "show", code=0).strip()


def test_a_revision_from_newer_code_is_named(monkeypatch: pytest.MonkeyPatch, empty_url: str) -> None:
    upgrade(empty_url)
    engine = create_engine(normalize_url(empty_url))
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'f00d'"))
    engine.dispose()
    out = run(monkeypatch, empty_url, "export", code=2)
    assert "revision f00d, which this version of cusdev does not know" in out
    assert schema_status(empty_url).state == "unknown"


@pytest.mark.parametrize(
    "command",
    [["db", "upgrade"], ["run"], ["chat", "--script", "quick"], ["prune"], ["digest", "--send"]],
)
def test_commands_that_write_refuse_a_database_migrated_by_newer_code(
    monkeypatch: pytest.MonkeyPatch, empty_url: str, command: list[str]
) -> None:
    """An old process restarting mid-rollout, or a rollback without its backup: a clear exit, not a traceback."""
    upgrade(empty_url)
    engine = create_engine(normalize_url(empty_url))
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'f00d'"))
    engine.dispose()
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")  # so `run` has something to serve
    out = run(monkeypatch, empty_url, *command, code=2)
    assert "revision f00d, which this version of cusdev does not know; it was migrated by a newer cusdev" in out
    assert "restore the backup taken before the upgrade" in out and "Traceback" not in out
    assert current_revision(empty_url) == "f00d"


def test_status_at_head_lets_read_only_commands_run(monkeypatch: pytest.MonkeyPatch, empty_url: str) -> None:
    upgrade(empty_url)
    status = schema_status(empty_url)
    assert status.state == "current" and status.current == status.heads
    assert json.loads(run(monkeypatch, empty_url, "export", code=0))["teams"] == []
