"""The one command registry: help lines per platform."""

from __future__ import annotations

from core.command_registry import help_lines


def test_help_shows_each_platforms_own_usage() -> None:
    assert "/invite [mentor|new] — Invite a co-founder" in help_lines("team", "en", "telegram")
    assert "/invite — Invite a co-founder" in help_lines("team", "en", "slack")
    assert "/lang en|ru — Language" in help_lines("team", "en", "slack"), "other usages are the same everywhere"
