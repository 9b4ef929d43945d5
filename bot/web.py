"""The ASGI entry point: /healthz, plus the routes each running adapter contributes."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route


def create_app(routes: Sequence[BaseRoute] = ()) -> Starlette:
    """The web app: health for load balancers, and each configured platform's endpoints."""

    async def healthz(request: Request) -> Response:
        return JSONResponse({"ok": True})

    return Starlette(routes=[Route("/healthz", healthz, methods=["GET"]), *routes])
