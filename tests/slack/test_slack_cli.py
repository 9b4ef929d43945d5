"""`cusdev run` refuses half a Slack configuration, and says what to set when nothing is configured."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    for name in ("TELEGRAM_BOT_TOKEN", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)


def test_nothing_configured_names_both_platforms() -> None:
    result = runner.invoke(app, ["run"])
    assert result.exit_code == 2 and "SLACK_BOT_TOKEN" in result.output and "TELEGRAM_BOT_TOKEN" in result.output


def test_a_slack_token_without_its_signing_secret_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    result = runner.invoke(app, ["run"])
    assert result.exit_code == 2 and "SLACK_SIGNING_SECRET" in result.output
