"""deploy/.env.example: every setting, each with a comment, and every value in it one that cusdev accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings
from tests.deploy.deploy_files import COMPOSE_ONLY, ENV_EXAMPLE, ENV_LINE, env_file_entries

SETTINGS = frozenset(name.upper() for name in Settings.model_fields)


def test_every_setting_is_listed_and_nothing_else() -> None:
    assert set(env_file_entries()) == SETTINGS | COMPOSE_ONLY


def test_every_setting_has_a_comment_above_it() -> None:
    explained = False
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            explained = False
        elif match := ENV_LINE.match(line):
            assert explained, f"{match['key']} has no comment saying what it is"
        elif line.startswith("#") and not line.startswith("# ---"):
            explained = True


def load(path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    for key in SETTINGS:
        monkeypatch.delenv(key, raising=False)
    return Settings(_env_file=path)  # type: ignore[call-arg]


def test_the_file_as_shipped_loads_with_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load(ENV_EXAMPLE, monkeypatch)
    assert not settings.telegram_bot_token  # the one line to fill in
    assert settings.telegram_mode == "polling" and settings.port == 8080


def test_every_example_value_is_valid(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    uncommented = tmp_path / ".env"
    lines = [f"{key}={value}" for key, (value, _) in env_file_entries().items() if key in SETTINGS]
    uncommented.write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = load(uncommented, monkeypatch)
    assert settings.default_currency == "USD" and settings.telegram_webhook_secret
