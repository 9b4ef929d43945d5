"""The ASGI app: health check, and the Telegram webhook's secret header."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from bot.telegram.webhook import TELEGRAM_PATH, webhook_route
from bot.web import create_app

UPDATE = {"update_id": 7, "message": {"message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"}, "text": "hi"}}


def client(received: list[dict[str, Any]]) -> TestClient:
    async def sink(update: dict[str, Any]) -> None:
        received.append(update)

    return TestClient(create_app([webhook_route(sink, "s3cret-token")]))


def test_healthz() -> None:
    response = client([]).get("/healthz")
    assert response.status_code == 200 and response.json() == {"ok": True}


def test_webhook_accepts_only_the_right_secret() -> None:
    received: list[dict[str, Any]] = []
    web = client(received)
    assert web.post(TELEGRAM_PATH, json=UPDATE).status_code == 403
    assert web.post(TELEGRAM_PATH, json=UPDATE, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}).status_code == 403
    assert received == []
    good = web.post(TELEGRAM_PATH, json=UPDATE, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"})
    assert good.status_code == 200 and received == [UPDATE]


def test_webhook_rejects_garbage_and_an_unconfigured_platform() -> None:
    received: list[dict[str, Any]] = []
    web = client(received)
    headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
    assert web.post(TELEGRAM_PATH, content=b"{not json", headers=headers).status_code == 400
    assert web.post(TELEGRAM_PATH, json=[1, 2], headers=headers).status_code == 400
    assert received == []
    bare = TestClient(create_app([webhook_route(None, None)]))
    assert bare.post(TELEGRAM_PATH, json=UPDATE, headers=headers).status_code == 403
    assert TestClient(create_app()).post(TELEGRAM_PATH, json=UPDATE, headers=headers).status_code in (404, 405)
