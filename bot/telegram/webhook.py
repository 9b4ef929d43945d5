"""Telegram's webhook endpoint: a secret-checked POST whose update is handled before the answer."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.logs import log_context

log = logging.getLogger(__name__)
TELEGRAM_PATH = "/telegram/webhook"
MAX_BODY = 1_000_000

UpdateSink = Callable[[dict[str, Any]], Awaitable[None]]


def webhook_route(feed: UpdateSink | None, secret: str | None) -> Route:
    """POST /telegram/webhook: 403 without the secret header, 500 (Telegram retries) when handling failed."""

    async def telegram_webhook(request: Request) -> Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "").encode("utf-8", "surrogateescape")
        if feed is None or not secret or not hmac.compare_digest(given, secret.encode()):
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
            await feed(update)
        except Exception:  # nothing was saved; Telegram retries the update after a 500
            with log_context(platform="telegram", event=f"tg:{update.get('update_id')}"):
                log.exception("telegram update failed")
            return PlainTextResponse("retry", status_code=500)
        return PlainTextResponse("ok")

    return Route(TELEGRAM_PATH, telegram_webhook, methods=["POST"])
