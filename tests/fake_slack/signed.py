"""Signed requests to the app, as Slack sends them: events, slash commands, block actions (v0 HMAC-SHA256)."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

import httpx

from tests.fake_slack.model import Person, Posted

SIGNING_SECRET = "fake-signing-secret"
_ids = itertools.count(1)


def signature(secret: str, timestamp: str, body: str) -> str:
    """Slack's `X-Slack-Signature`: v0= HMAC-SHA256 of `v0:{timestamp}:{body}`."""
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return f"v0={digest}"


class SlackClient:
    """Posts signed requests to the app's /slack/events (an httpx client on the ASGI app)."""

    def __init__(self, http: httpx.AsyncClient | None, secret: str = SIGNING_SECRET) -> None:
        self.http, self.secret = http, secret

    async def post(
        self,
        body: str,
        content_type: str,
        timestamp: int | None = None,
        secret: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        signed = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature(secret or self.secret, ts, body),
            **(headers or {}),
        }
        return await self.send(body.encode(), signed)

    async def send(self, body: bytes, headers: dict[str, str]) -> httpx.Response:
        """POST the signed body to /slack/events (bench/slack_e2e.py sends it with aiohttp instead)."""
        assert self.http is not None, "a client without httpx overrides send"
        return await self.http.post("/slack/events", content=body, headers=headers)

    async def event(
        self, person: Person, event: dict[str, Any], event_id: str | None = None, **kw: Any
    ) -> httpx.Response:
        """An Events API callback from the person's workspace."""
        body = {
            "token": "legacy",
            "team_id": person.team,
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_ids):06d}",
            "event_time": int(time.time()),
            "event": event,
        }
        return await self.post(json.dumps(body), "application/json", **kw)

    def im_message(self, person: Person, text: str, **extra: Any) -> dict[str, Any]:
        """A `message.im` event: the person typed in their DM with the app."""
        ts = f"{time.time():.6f}"
        return {
            "type": "message",
            "channel_type": "im",
            "channel": person.dm,
            "user": person.id,
            "text": text,
            "ts": ts,
            "event_ts": ts,
            **extra,
        }

    async def says(self, person: Person, text: str, event_id: str | None = None, **kw: Any) -> httpx.Response:
        """The person types `text` (Slack escapes & < > in it, as the real one does) in their DM."""
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return await self.event(person, self.im_message(person, escaped), event_id, **kw)

    async def command(self, person: Person, text: str, channel: str | None = None, **kw: Any) -> httpx.Response:
        """`/cusdev {text}` in a channel (or the person's DM with the app)."""
        form = {
            "token": "legacy",
            "team_id": person.team,
            "team_domain": "acme",
            "channel_id": channel or person.dm,
            "channel_name": "directmessage" if channel is None else "general",
            "user_id": person.id,
            "user_name": person.name.lower(),
            "command": "/cusdev",
            "text": text,
            "api_app_id": "A1",
            "response_url": "http://127.0.0.1:9/response",
            "trigger_id": f"trig.{next(_ids)}",
        }
        return await self.post(urlencode(form), "application/x-www-form-urlencoded", **kw)

    async def home_opened(self, person: Person, **kw: Any) -> httpx.Response:
        """The person opens the app's Home tab."""
        event = {"type": "app_home_opened", "user": person.id, "channel": person.dm, "tab": "home"}
        return await self.event(person, {**event, "event_ts": f"{time.time():.6f}"}, **kw)

    async def press_home(self, person: Person, view: dict[str, Any], label: str, **kw: Any) -> httpx.Response:
        """The person presses a button on their Home tab."""
        button = Posted(person.team, "", "", view["blocks"], "").button(label)
        payload = {
            "type": "block_actions",
            "team": {"id": person.team, "domain": "acme"},
            "user": {"id": person.id, "team_id": person.team, "name": person.name.lower()},
            "api_app_id": "A1",
            "trigger_id": f"trig.{next(_ids)}",
            "container": {"type": "view", "view_id": "V1"},
            "view": {"id": "V1", "type": "home", "blocks": view["blocks"]},
            "actions": [{**button, "block_id": "b", "action_ts": f"{time.time():.6f}"}],
        }
        return await self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded", **kw)

    async def submit(self, person: Person, view: dict[str, Any], values: dict[str, str], **kw: Any) -> httpx.Response:
        """The person submits a modal the app opened, with these values by block id."""
        state: dict[str, Any] = {}
        for block in view["blocks"]:
            if block["type"] != "input" or block["block_id"] not in values:
                continue
            element, value = block["element"], values[block["block_id"]]
            if element["type"] == "static_select":
                [option] = [o for o in element["options"] if o["value"] == value] or [{"value": value}]
                state[block["block_id"]] = {element["action_id"]: {"type": "static_select", "selected_option": option}}
            else:
                state[block["block_id"]] = {element["action_id"]: {"type": element["type"], "value": value}}
        payload = {
            "type": "view_submission",
            "team": {"id": person.team, "domain": "acme"},
            "user": {"id": person.id, "team_id": person.team, "name": person.name.lower()},
            "api_app_id": "A1",
            "trigger_id": f"trig.{next(_ids)}",
            "view": {**view, "id": f"V{next(_ids)}", "state": {"values": state}},
        }
        return await self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded", **kw)

    async def press(self, person: Person, message: Posted, label: str, **kw: Any) -> httpx.Response:
        """The person presses a button on a message the app posted."""
        button = message.button(label)
        payload = {
            "type": "block_actions",
            "team": {"id": person.team, "domain": "acme"},
            "user": {"id": person.id, "team_id": person.team, "name": person.name.lower()},
            "api_app_id": "A1",
            "trigger_id": f"trig.{next(_ids)}",
            "container": {"type": "message", "message_ts": message.ts, "channel_id": message.channel},
            "channel": {"id": message.channel, "name": "directmessage"},
            "message": {"type": "message", "ts": message.ts, "text": message.text, "blocks": message.blocks},
            "actions": [
                {
                    "type": "button",
                    "action_id": button["action_id"],
                    "block_id": "b",
                    "text": button["text"],
                    **{key: button[key] for key in ("value", "url") if key in button},  # a link button has no value
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        return await self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded", **kw)
