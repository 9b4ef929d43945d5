"""Driving the `cusdev` command line in tests, as a user would: one invocation, its exit code and its output."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app

QUICK = "Anna\nDental clinics\nScheduling chaos every morning\n4\n2\nWe lost 12 bookings in October\n1\n"
"""A quick log piped to `cusdev chat --script quick`, one answer per line."""
runner = CliRunner()


def use_database(monkeypatch: pytest.MonkeyPatch, folder: Path, url: str) -> None:
    """`cusdev` run from here on uses the database at `url`, from `folder` (so no stray .env is read), with the
    built-in scripts (no SCRIPTS_DIR)."""
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(folder)
    monkeypatch.delenv("SCRIPTS_DIR", raising=False)


def cusdev(*args: str, input: str | None = None, code: int = 0) -> str:
    """Run `cusdev ARGS` and return its output; the exit code must be `code`."""
    result = runner.invoke(app, list(args), input=input)
    assert result.exit_code == code, result.output
    return result.output
