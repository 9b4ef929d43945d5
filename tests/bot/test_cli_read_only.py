"""Read-only commands (export, board, gates show) never migrate: behind or absent, they say what to run."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from bot.cli import app
from storage.database import current_revision, normalize_url, schema_status, upgrade
from tests.conftest import POSTGRES_URL, _postgres_problem

READ_ONLY = [["export"], ["board"], ["gates", "show"]]
runner = CliRunner()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    monkeypatch.delenv("SCRIPTS_DIR", raising=False)


@pytest.fixture(params=["sqlite", "postgres"])
def bare_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no schema: an SQLite path with no file yet, or a new PostgreSQL database dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    problem = _postgres_problem()
    if problem:
        pytest.skip(problem)
    import psycopg

    name = f"cusdev_readonly_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{POSTGRES_URL.rpartition('/')[0]}/{name}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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


def test_an_empty_database_is_not_given_tables(monkeypatch: pytest.MonkeyPatch, bare_url: str, tmp_path: Path) -> None:
    if bare_url.startswith("sqlite"):
        (tmp_path / "old.db").touch()  # an empty file is an empty SQLite database
    before = fingerprint(tmp_path)
    for command in READ_ONLY:
        out = run(monkeypatch, bare_url, *command, code=2)
        assert "the database has no tables yet. Run `cusdev db upgrade` first." in out
    assert fingerprint(tmp_path) == before
    assert current_revision(bare_url) is None


def test_an_old_revision_says_what_to_run_and_stays_old(
    monkeypatch: pytest.MonkeyPatch, bare_url: str, tmp_path: Path
) -> None:
    upgrade(bare_url, "0003")
    head = ", ".join(schema_status(bare_url).heads)
    before = fingerprint(tmp_path)
    for command in READ_ONLY:
        out = run(monkeypatch, bare_url, *command, code=2)
        assert f"the database is at revision 0003, older than this version of cusdev ({head})" in out
        assert "Run `cusdev db upgrade` first." in out
    assert fingerprint(tmp_path) == before
    assert current_revision(bare_url) == "0003"
    run(monkeypatch, bare_url, "db", "upgrade", code=0)
    assert json.loads(run(monkeypatch, bare_url, "export", code=0))["interviews"] == []
    assert run(monkeypatch, bare_url, "gates", "show", code=0).strip()


def test_a_revision_from_newer_code_is_named(monkeypatch: pytest.MonkeyPatch, bare_url: str) -> None:
    upgrade(bare_url)
    engine = create_engine(normalize_url(bare_url))
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'f00d'"))
    engine.dispose()
    out = run(monkeypatch, bare_url, "export", code=2)
    assert "revision f00d, which this version of cusdev does not know" in out
    assert schema_status(bare_url).state == "unknown"


def test_status_at_head_lets_read_only_commands_run(monkeypatch: pytest.MonkeyPatch, bare_url: str) -> None:
    upgrade(bare_url)
    status = schema_status(bare_url)
    assert status.state == "current" and status.current == status.heads
    assert json.loads(run(monkeypatch, bare_url, "export", code=0))["teams"] == []
