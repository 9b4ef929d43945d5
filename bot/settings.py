"""Configuration, read once from the environment and `.env` (pydantic-settings), then passed down."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_database_url() -> str:
    """SQLite in the user's data folder ($XDG_DATA_HOME/cusdev/cusdev.db)."""
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return f"sqlite:///{base / 'cusdev' / 'cusdev.db'}"


class Settings(BaseSettings):
    """Every setting cusdev reads; the README's Configuration section lists the same."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    sqlite_synchronous: Literal["NORMAL", "FULL"] = "NORMAL"
    default_team: str = Field(default="default", min_length=1, max_length=80)
    default_language: Literal["en", "ru"] = "en"
    default_currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    scripts_dir: Path | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "WARNING"
    log_format: Literal["text", "json"] = "text"
    telegram_bot_token: str | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_mode: Literal["polling", "webhook"] = "polling"
    telegram_webhook_secret: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,256}$")
    public_url: str | None = None
    port: int = Field(default=8080, ge=1, le=65535)
    telegram_chat_rate: float = Field(default=1.0, gt=0, le=1000)
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_api_base_url: str = "https://slack.com/api/"
    slack_chat_rate: float = Field(default=1.0, gt=0, le=1000)
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    slack_app_token: str | None = None
    scheduler_enabled: bool = True
    digest_grace_hours: float = Field(default=6.0, gt=0, le=72)
    # Event ids must outlive every platform redelivery (Telegram keeps updates 24 h, Slack retries within minutes).
    event_retention_days: int = Field(default=30, ge=2)
    outbox_retention_days: int = Field(default=30, ge=1)
    outbox_lease_seconds: float = Field(default=60.0, ge=1, le=3600)
