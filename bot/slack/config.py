"""Whether the settings configure Slack (a light module: checking costs no slack-bolt import)."""

from __future__ import annotations

from bot.settings import Settings


def is_configured(settings: Settings) -> bool:
    """True when Slack can be served: a bot token or OAuth client credentials, and a signing secret (HTTP mode)
    or an app-level token (Socket Mode)."""
    oauth = bool(settings.slack_client_id and settings.slack_client_secret)
    return bool((settings.slack_signing_secret or settings.slack_app_token) and (settings.slack_bot_token or oauth))


def is_attempted(settings: Settings) -> bool:
    """True when any Slack setting is present (then a missing one is an error, not a quiet skip)."""
    return any(
        (settings.slack_bot_token, settings.slack_signing_secret, settings.slack_client_id, settings.slack_app_token)
    )
