"""The ASGI entry point: /healthz, and the Telegram webhook (Slack will mount here too)."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

log = logging.getLogger(__name__)
TELEGRAM_PATH = "/telegram/webhook"
MAX_BODY = 1_000_000

UpdateSink = Callable[[dict[str, Any]], Awaitable[None]]


def create_app(telegram: UpdateSink | None = None, telegram_secret: str | None = None) -> Starlette:
    """The web app: health for load balancers, and each configured platform's endpoint."""

    async def healthz(request: Request) -> Response:
        return JSONResponse({"ok": True})

    async def telegram_webhook(request: Request) -> Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "").encode("utf-8", "surrogateescape")
        if telegram is None or not telegram_secret or not hmac.compare_digest(given, telegram_secret.encode()):
            return PlainTextResponse("forbidden", status_code=403)
        body = await request.body()
        if len(body) > MAX_BODY:
            return PlainTextResponse("too large", status_code=413)
        try:
            update = json.loads(body)
        except ValueError:
            return PlainTextResponse("bad request", status_code=400)
        if not isinstance(update, dict):
            return PlainTextResponse("bad request", status_code=400)
        try:
            await telegram(update)
        except Exception:  # nothing was saved; Telegram retries the update after a 500
            log.exception("telegram update failed")
            return PlainTextResponse("retry", status_code=500)
        return PlainTextResponse("ok")

    routes = [Route("/healthz", healthz, methods=["GET"]), Route(TELEGRAM_PATH, telegram_webhook, methods=["POST"])]
    return Starlette(routes=routes)
