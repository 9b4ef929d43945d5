"""Who a Slack user is (name and locale, from users.info) and where their DM with the bot is, cached."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)
TTL_SECONDS = 3600.0
MAX_ENTRIES = 20_000


@dataclass(frozen=True)
class Person:
    """A Slack user's display name and locale ("ru-RU"); locale None when Slack did not say."""

    name: str
    locale: str | None


class People:
    """users.info and conversations.open answers, cached per workspace for an hour."""

    def __init__(self, client: AsyncWebClient, clock: Callable[[], float] = time.monotonic) -> None:
        self.client, self.clock = client, clock
        self.people: dict[tuple[str, str], tuple[float, Person]] = {}
        self.dms: dict[tuple[str, str], str] = {}
        self.workspaces: dict[str, str] = {}

    async def _call(self, token: str, method: str, **params: Any) -> dict[str, Any] | None:
        try:
            response = await self.client.api_call(
                method, params=params, headers={"Authorization": f"Bearer {token}"}, http_verb="GET"
            )
        except (SlackApiError, OSError, TimeoutError) as exc:
            log.info("slack %s failed: %s", method, exc)
            return None
        return dict(response.data) if isinstance(response.data, dict) else None

    async def person(self, token: str, team: str, user: str) -> Person:
        """Name and locale of a user (a plain fallback when Slack cannot be asked)."""
        key, now = (team, user), self.clock()
        cached = self.people.get(key)
        if cached is not None and now - cached[0] < TTL_SECONDS:
            return cached[1]
        data = await self._call(token, "users.info", user=user, include_locale="true")
        info = (data or {}).get("user") or {}
        profile = info.get("profile") or {}
        name = profile.get("display_name") or info.get("real_name") or profile.get("real_name") or info.get("name")
        person = Person(str(name or user), info.get("locale"))
        if data is not None:
            if len(self.people) >= MAX_ENTRIES:
                self.people.clear()
            self.people[key] = (now, person)
        return person

    async def dm(self, token: str, team: str, user: str) -> str | None:
        """The id of the user's direct-message channel with the bot (opened when needed)."""
        key = (team, user)
        if key not in self.dms:
            data = await self._call(token, "conversations.open", users=user)
            channel = ((data or {}).get("channel") or {}).get("id")
            if not channel:
                return None
            if len(self.dms) >= MAX_ENTRIES:
                self.dms.clear()
            self.dms[key] = str(channel)
        return self.dms[key]

    def remember_dm(self, team: str, user: str, channel: str) -> None:
        """A DM channel seen in an event (saves a conversations.open)."""
        self.dms[(team, user)] = channel

    async def workspace_name(self, token: str, team: str) -> str:
        """The workspace's name (auth.test), to name its team."""
        if team not in self.workspaces:
            data = await self._call(token, "auth.test")
            self.workspaces[team] = str((data or {}).get("team") or team)
        return self.workspaces[team]

    def forget(self, team: str) -> None:
        """Drop everything cached about a workspace (it uninstalled the app)."""
        self.people = {key: value for key, value in self.people.items() if key[0] != team}
        self.dms = {key: value for key, value in self.dms.items() if key[0] != team}
        self.workspaces.pop(team, None)
