"""Socket Mode on the fake Slack: apps.connections.open hands out a WebSocket URL; envelopes are pushed to the
app over it and the app acknowledges each by its envelope id (no retry headers, as Slack sends none)."""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any

from aiohttp import WSMsgType, web

APP_TOKEN = "xapp-1-fake-app-token"


class SocketHub:
    """The WebSocket side: connected apps, pushed envelopes, and the acknowledgements that came back."""

    def __init__(self) -> None:
        self.sockets: list[web.WebSocketResponse] = []
        self.acks: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(1)
        self._changed = asyncio.Event()

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        self.sockets.append(socket)
        await socket.send_str(json.dumps({"type": "hello", "num_connections": len(self.sockets)}))
        try:
            async for message in socket:
                if message.type == WSMsgType.TEXT:
                    data = json.loads(message.data)
                    if "envelope_id" in data:
                        self.acks[str(data["envelope_id"])] = data
                        self._changed.set()
        finally:
            self.sockets.remove(socket)
        return socket

    async def connected(self, timeout: float = 10.0) -> None:
        """Wait until an app holds a connection."""
        for _ in range(int(timeout * 20)):
            if self.sockets:
                return
            await asyncio.sleep(0.05)
        raise TimeoutError("no Socket Mode connection")

    async def push(self, kind: str, payload: dict[str, Any], envelope_id: str | None = None) -> str:
        """Send one envelope (events_api, slash_commands, interactive) to the connected app."""
        envelope = envelope_id or f"env-{next(self._ids)}"
        body = {
            "envelope_id": envelope,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
        }
        await self.sockets[0].send_str(json.dumps(body))
        return envelope

    async def acked(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        """The app's acknowledgement of an envelope."""
        async with asyncio.timeout(timeout):
            while envelope_id not in self.acks:
                self._changed.clear()
                await self._changed.wait()
        return self.acks[envelope_id]

    async def close(self) -> None:
        for socket in list(self.sockets):
            await socket.close()
