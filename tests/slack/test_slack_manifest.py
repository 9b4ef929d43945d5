"""deploy/slack-manifest.yml asks for what the adapter uses, at the URL it serves, with commands that exist."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.slack.run import SLACK_PATH
from bot.slack.translate import SLASH
from core.command_registry import BY_NAME

MANIFEST = Path(__file__).resolve().parents[2] / "deploy" / "slack-manifest.yml"


def test_the_manifest_matches_the_adapter() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == SLASH and command["url"].endswith(SLACK_PATH)
    named = {part.split()[0] for part in command["usage_hint"].split("|")}
    assert named <= set(BY_NAME), named - set(BY_NAME)
    settings = manifest["settings"]
    assert settings["event_subscriptions"]["request_url"].endswith(SLACK_PATH)
    assert settings["interactivity"]["request_url"].endswith(SLACK_PATH)
    assert {"message.im", "app_home_opened", "app_uninstalled", "tokens_revoked"} <= set(
        settings["event_subscriptions"]["bot_events"]
    )
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"chat:write", "commands", "im:history", "im:write", "users:read"} <= scopes
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
