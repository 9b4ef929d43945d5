"""The HTTP side: an aiohttp server on 127.0.0.1 speaking the Bot API's wire protocol.

``POST/GET {base_url}{token}/{method}`` with parameters in the query string, a JSON body, a form
or a multipart body (what python-telegram-bot sends); answers ``{"ok": true, "result": ...}`` or
``{"ok": false, "error_code": N, "description": "...", "parameters": {...}}`` with the HTTP status
equal to ``error_code``. Files are served at ``{base_file_url}{token}/{file_path}``.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from aiohttp import web
from aiohttp.web_request import FileField

from tests.fake_telegram.inject import Injector
from tests.fake_telegram.methods import BY_LOWER_NAME, METHODS
from tests.fake_telegram.model import FakeUser, RecordedRequest
from tests.fake_telegram.params import Params
from tests.fake_telegram.rules import ApiError, Limits

DEFAULT_TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijk"


def _error(status: int, description: str) -> web.Response:
    return web.json_response({"ok": False, "error_code": status, "description": description}, status=status)


class FakeTelegramServer(Injector):
    """A fake Telegram Bot API for one bot. Use as ``async with FakeTelegramServer() as tg:``.

    Point python-telegram-bot at it with
    ``ApplicationBuilder().token(tg.token).base_url(tg.base_url).base_file_url(tg.base_file_url)``
    (or ``Bot(tg.token, base_url=tg.base_url, base_file_url=tg.base_file_url)``).
    """

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "cusdev_test_bot",
        bot_name: str = "CusDev Test Bot",
        limits: Limits | None = None,
        clock: Callable[[], float] = time.monotonic,
        strict_ampersand: bool = True,
        max_poll_timeout: float = 30.0,
        webhook_timeout: float = 5.0,
    ) -> None:
        bot = FakeUser(int(token.split(":")[0]), bot_name, bot_username, language_code=None, is_bot=True)
        super().__init__(
            bot=bot,
            limits=limits or Limits(),
            clock=clock,
            strict_ampersand=strict_ampersand,
            max_poll_timeout=max_poll_timeout,
            webhook_timeout=webhook_timeout,
        )
        self.token = token
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    # -- lifecycle ----------------------------------------------------------------------------------
    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the fake Telegram server is not started")
        return self._port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """For PTB's ``base_url``: it appends the token, then ``/{method}``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    async def start(self) -> FakeTelegramServer:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))  # a free port, on loopback only
        await web.SockSite(self._runner, sock).start()
        self._port = sock.getsockname()[1]
        return self

    async def stop(self) -> None:
        """Ends waiting long polls, stops webhook delivery and closes the listener (bounded: ~1 s)."""
        await self.updates.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegramServer:
        return await self.start()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    # -- HTTP -----------------------------------------------------------------------------------------
    async def _handle_api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        asked = request.match_info["method"]
        name = BY_LOWER_NAME.get(asked.lower())
        try:
            values = await self._read_params(request)
        except ApiError as exc:
            return web.json_response(exc.payload(), status=exc.status)
        record = RecordedRequest(name or asked, {k: _shown(v) for k, v in values.items()})
        self.requests.append(record)
        self.request_counts[record.method] += 1
        self.changed()
        if name is None:
            record.status, record.description = 404, "Not Found: method not found"
            return _error(404, "Not Found: method not found")
        if self.delays.get(name):
            await asyncio.sleep(self.delays[name])
        if name in self.gates:
            await self.gates[name].wait()
        try:
            failure = self.take_failure(name)
            if failure is not None:
                raise failure
            body, status = {"ok": True, "result": await METHODS[name](self, Params(values))}, 200
        except ApiError as exc:
            body, status = exc.payload(), exc.status
            record.status, record.description = exc.status, exc.description
            self.changed()
        return web.json_response(body, status=status)

    async def _read_params(self, request: web.Request) -> dict[str, Any]:
        values: dict[str, Any] = dict(request.query)
        if not request.body_exists:
            return values
        if request.content_type == "application/json":
            try:
                body = json.loads(await request.text() or "{}")
            except ValueError:
                raise ApiError(400, "Bad Request: can't parse JSON encoded request") from None
            if not isinstance(body, dict):
                raise ApiError(400, "Bad Request: can't parse JSON encoded request")
            values.update(body)
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            values.update((await request.post()).items())
        return values

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        path = request.match_info["path"]
        found = next((f for f in self.files.values() if f.file_path == path and f.content is not None), None)
        if found is None or found.content is None:
            return _error(404, "Not Found")
        return web.Response(body=found.content, content_type=found.mime_type or "application/octet-stream")


def _shown(value: Any) -> Any:
    return f"<file {value.filename!r}>" if isinstance(value, FileField) else value
