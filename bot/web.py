"""The ASGI entry point: /healthz, /readyz and /metrics, plus the routes each running adapter contributes."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.bootstrap import App, database_status, ping_database, unsent_outbox
from bot.readiness import Readiness

log = logging.getLogger(__name__)


def create_app(routes: Sequence[BaseRoute] = (), app: App | None = None) -> Starlette:
    """The web app: health for load balancers, readiness and metrics of the app (when given), and each configured
    platform's endpoints."""

    async def healthz(request: Request) -> Response:
        return JSONResponse({"ok": True})

    own: list[BaseRoute] = [Route("/healthz", healthz, methods=["GET"])]
    if app is not None:
        own += operator_routes(app)
    return Starlette(routes=[*own, *routes])


def operator_routes(app: App) -> list[BaseRoute]:
    """/readyz (the database answers and is at the migrations head) and /metrics (Prometheus text format)."""
    readiness = Readiness(lambda: ping_database(app), lambda: database_status(app.settings).state)

    async def readyz(request: Request) -> Response:
        problem = await readiness.problem()
        if problem is not None:
            return JSONResponse({"ok": False, "reason": problem}, status_code=503)
        return JSONResponse({"ok": True})

    async def metrics(request: Request) -> Response:
        try:  # the outbox gauges are the database's numbers, read at scrape time
            app.metrics.backlog(await unsent_outbox(app), app.clock.now())
        except Exception:
            log.warning("could not read the outbox backlog for /metrics", exc_info=True)
        return Response(app.metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    return [Route("/readyz", readyz, methods=["GET"]), Route("/metrics", metrics, methods=["GET"])]
