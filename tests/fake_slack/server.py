"""A fake Slack Web API on 127.0.0.1: `POST {url}/api/{method}` with a bearer token, JSON or form parameters.

It records every request, keeps what the app posted, enforces Block Kit limits (answering `invalid_blocks`)
and answers 429 with Retry-After when a test asks for it.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
from collections import defaultdict
from collections.abc import Callable
from types import TracebackType
from typing import Any

from aiohttp import web

from tests.fake_slack.limits import MAX_HOME_BLOCKS, MAX_TEXT, block_problem
from tests.fake_slack.model import Person, Posted, Recorded, Shared, Workspace
from tests.fake_slack.socket import APP_TOKEN, SocketHub


class SlackError(Exception):
    """An `{"ok": false, "error": ...}` answer."""

    def __init__(self, error: str, status: int = 200, headers: dict[str, str] | None = None) -> None:
        super().__init__(error)
        self.error, self.status, self.headers = error, status, headers or {}


class FakeSlack:
    """Use as `async with FakeSlack() as slack:`; point the app at `slack.base_url`."""

    def __init__(self) -> None:
        self.workspaces: dict[str, Workspace] = {}
        self.people: dict[str, Person] = {}
        self.posted: list[Posted] = []
        self._in_channel: dict[str, list[Posted]] = defaultdict(list)
        self._by_ts: dict[tuple[str, str, str], Posted] = {}
        self._new_in_channel: dict[str, asyncio.Event] = defaultdict(asyncio.Event)
        self.views: list[dict[str, Any]] = []
        self.requests: list[Recorded] = []
        self.uploads: dict[str, bytes] = {}
        self.shared: list[Shared] = []
        """Files shared into a channel (files.completeUploadExternal with channel_id), in order."""
        self.rate_limits: dict[tuple[str, str | None], list[float]] = defaultdict(list)
        self.failures: dict[str, list[tuple[str, int]]] = defaultdict(list)
        self._ts = itertools.count(1)
        self._files = itertools.count(1)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.socket = SocketHub()
        self.add_workspace("T1", "Acme")

    # -- set-up -------------------------------------------------------------------------------------------
    def add_workspace(self, team: str, name: str) -> Workspace:
        workspace = Workspace(team, name, f"xoxb-{team}-fake", f"U{team}BOT", f"B{team}")
        self.workspaces[team] = workspace
        return workspace

    def add_person(self, name: str, team: str = "T1", locale: str = "en-US") -> Person:
        person = Person(f"U{team}{len(self.people) + 1:03d}", team, name, locale)
        self.people[person.id] = person
        return person

    def rate_limit(self, method: str, retry_after: float = 1.0, channel: str | None = None, times: int = 1) -> None:
        """The next `times` calls of `method` (to `channel`, if given) get 429 with this Retry-After."""
        self.rate_limits[(method, channel)].extend([retry_after] * times)

    def fail(self, method: str, error: str, times: int = 1, status: int = 200) -> None:
        """The next `times` calls of `method` answer `{"ok": false, "error": error}` with this HTTP status."""
        self.failures[method].extend([(error, status)] * times)

    @property
    def token(self) -> str:
        return str(self.workspaces["T1"].token)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    # -- reading ------------------------------------------------------------------------------------------
    def messages(self, channel: str, ephemeral: bool | None = False) -> list[Posted]:
        """What the app posted in a channel (ephemerals only when asked)."""
        return [
            m
            for m in self._in_channel.get(channel, ())
            if ephemeral is None or (m.ephemeral_to is not None) == ephemeral
        ]

    def calls(self, method: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method]

    async def wait_for(self, check: Callable[[], Any], timeout: float = 10.0) -> Any:
        """Wait until `check()` returns something truthy; return it."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(check), timeout)
        return check()

    async def next_message(self, channel: str, seen: int, timeout: float = 10.0) -> Posted:
        """Wait until the channel holds more than `seen` messages (ephemerals counted); return the next one.

        Wakes only this channel's waiter, so many concurrent waiters (bench/slack_e2e.py) cost no more than one."""
        async with asyncio.timeout(timeout):
            while len(self._in_channel[channel]) <= seen:
                event = self._new_in_channel[channel]
                await event.wait()
        return self._in_channel[channel][seen]

    def _keep(self, posted: Posted) -> None:
        self.posted.append(posted)
        self._in_channel[posted.channel].append(posted)
        self._by_ts[(posted.team, posted.channel, posted.ts)] = posted
        self._new_in_channel.pop(posted.channel, asyncio.Event()).set()

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # -- lifecycle ----------------------------------------------------------------------------------------
    async def __aenter__(self) -> FakeSlack:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._handle)
        app.router.add_post("/upload/{file}", self._upload)
        app.router.add_get("/socket", self.socket.handle)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        await web.SockSite(self._runner, sock).start()
        self.port = sock.getsockname()[1]
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # -- HTTP ---------------------------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = dict(request.query)
        if request.body_exists:
            if request.content_type == "application/json":
                params.update(json.loads(await request.text() or "{}"))
            else:
                params.update((await request.post()).items())
        token = request.headers.get("Authorization", "").removeprefix("Bearer ") or str(params.pop("token", ""))
        workspace = next((w for w in self.workspaces.values() if w.token and w.token == token), None)
        if method == "oauth.v2.access":  # client credentials, not a token: the code names the workspace
            workspace = self.workspaces.get(str(params.get("code", "")).removeprefix("code-"))
        if method == "apps.connections.open" and token == APP_TOKEN:  # the app-level token
            workspace = self.workspaces["T1"]
        record = Recorded(method, params, workspace.id if workspace else None)
        self.requests.append(record)
        try:
            if workspace is None:
                raise SlackError("invalid_auth")
            waits = self.rate_limits.get((method, params.get("channel"))) or self.rate_limits.get((method, None))
            if waits:
                raise SlackError("ratelimited", 429, {"Retry-After": str(int(waits.pop(0)))})
            if self.failures.get(method):
                raise SlackError(*self.failures[method].pop(0))
            handler = getattr(self, "m_" + method.replace(".", "_"), None)
            if handler is None:
                raise SlackError("unknown_method", 404)
            body = {"ok": True, **(handler(workspace, params) or {})}
            status, headers = 200, {}
        except SlackError as exc:
            record.error = exc.error
            body, status, headers = {"ok": False, "error": exc.error}, exc.status, exc.headers
        await self._notify()
        return web.json_response(body, status=status, headers=headers)

    async def _upload(self, request: web.Request) -> web.Response:
        self.uploads[request.match_info["file"]] = await request.read()
        await self._notify()
        return web.Response(text="OK")

    # -- methods ------------------------------------------------------------------------------------------
    def m_auth_test(self, ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
        return {"team": ws.name, "team_id": ws.id, "user": "cusdev", "user_id": ws.bot_user, "bot_id": ws.bot_id}

    def m_oauth_v2_access(self, ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
        ws.token = ws.token or f"xoxb-{ws.id}-fake-again"
        return {
            "app_id": "A1",
            "authed_user": {"id": f"U{ws.id}001"},
            "scope": "chat:write,commands,im:history,im:write,users:read",
            "token_type": "bot",
            "access_token": ws.token,
            "bot_user_id": ws.bot_user,
            "team": {"id": ws.id, "name": ws.name},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def m_apps_connections_open(self, ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
        return {"url": f"ws://127.0.0.1:{self.port}/socket"}

    def uninstall(self, team: str) -> None:
        """The workspace removes the app: its token stops working."""
        self.workspaces[team].token = None

    def m_users_info(self, ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
        person = self.people.get(str(p.get("user")))
        if person is None or person.team != ws.id:
            raise SlackError("user_not_found")
        user = {"id": person.id, "team_id": person.team, "name": person.name.lower(), "real_name": person.name}
        if str(p.get("include_locale")).lower() in ("true", "1"):
            user["locale"] = person.locale
        return {"user": {**user, "profile": {"display_name": person.name, "real_name": person.name}}}

    def m_conversations_open(self, ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
        person = self.people.get(str(p.get("users")))
        if person is None or person.team != ws.id:
            raise SlackError("user_not_found")
        return {"channel": {"id": person.dm}}

    def _channel(self, ws: Workspace, channel: Any) -> str:
        channel = str(channel or "")
        person = self.people.get(channel)
        if person is not None:
            if person.team != ws.id:
                raise SlackError("channel_not_found")
            return person.dm
        if not channel:
            raise SlackError("channel_not_found")
        return channel

    def _checked(self, p: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
        blocks = p.get("blocks")
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        if block_problem(blocks):
            raise SlackError("invalid_blocks")
        text = str(p.get("text") or "")
        if len(text) > MAX_TEXT:
            raise SlackError("msg_too_long")
        if not blocks and not text:
            raise SlackError("no_text")
        return list(blocks or []), text

    def m_chat_postMessage(self, ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(ws, p.get("channel"))
        blocks, text = self._checked(p)
        posted = Posted(ws.id, channel, f"{next(self._ts)}.000100", blocks, text, p.get("thread_ts"))
        self._keep(posted)
        return {"channel": channel, "ts": posted.ts, "message": {"text": text, "blocks": blocks, "ts": posted.ts}}

    def m_chat_postEphemeral(self, ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(ws, p.get("channel"))
        blocks, text = self._checked(p)
        posted = Posted(ws.id, channel, f"{next(self._ts)}.000200", blocks, text, ephemeral_to=str(p.get("user")))
        self._keep(posted)
        return {"message_ts": posted.ts}

    def m_chat_update(self, ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str(p.get("channel")), str(p.get("ts"))
        found = self._by_ts.get((ws.id, channel, ts))
        if found is None or found.ephemeral_to is not None:
            raise SlackError("message_not_found")
        blocks, text = self._checked(p)
        found.history.append(found.blocks)
        found.blocks, found.text = blocks, text
        return {"channel": channel, "ts": ts}

    def _view(self, ws: Workspace, p: dict[str, Any], limit: int = MAX_HOME_BLOCKS) -> dict[str, Any]:
        view = p.get("view")
        if isinstance(view, str):
            view = json.loads(view)
        if not isinstance(view, dict) or block_problem(view.get("blocks"), limit):
            raise SlackError("invalid_arguments")
        return view

    def m_views_publish(self, ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
        view = self._view(ws, p)
        self.views.append({"team": ws.id, "user": p.get("user_id"), "kind": "home", "view": view})
        return {"view": {"id": f"V{len(self.views)}", **view}}

    def m_views_open(self, ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
        if not p.get("trigger_id"):
            raise SlackError("invalid_trigger_id")
        view = self._view(ws, p)
        self.views.append({"team": ws.id, "trigger": p.get("trigger_id"), "kind": "modal", "view": view})
        return {"view": {"id": f"V{len(self.views)}", **view}}

    def m_files_getUploadURLExternal(self, ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
        if not p.get("filename") or not str(p.get("length") or "").isdigit() or int(p["length"]) <= 0:
            raise SlackError("invalid_arguments")
        file_id = f"F{next(self._files):04d}"
        return {"upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}", "file_id": file_id}

    def m_files_completeUploadExternal(self, ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
        files = p.get("files")
        files = json.loads(files) if isinstance(files, str) else files
        missing = [f["id"] for f in files or [] if f.get("id") not in self.uploads]
        if not files or missing:
            raise SlackError("file_not_found")
        channel = p.get("channel_id")
        if channel:
            channel = self._channel(ws, channel)
            for f in files:
                self.shared.append(Shared(ws.id, channel, f["id"], str(f.get("title", "")), self.uploads[f["id"]]))
        return {"files": [{"id": f["id"], "title": f.get("title", "")} for f in files]}
