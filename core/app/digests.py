"""Sending digests: the scheduled ones that are due, and the ones a person asks for (`digest now`, `preview`).

A digest is built from committed data outside the write lock, then put in the outbox in one transaction with the
row that records its period; a second sender of the same period (a restart, another process) fails on that row's
unique key and sends nothing. Relays deliver it like any other message (429s and network errors are retried).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from functools import partial

from core.app.ports import Claim, OutboxMessage, Storage, UnitOfWork
from core.app.queue import queue_one
from core.board.digest_target import GRACE, DigestRequest, due_request
from core.digest.model import build_digest
from core.digest.reply import digest_reply
from core.messages import Reply

log = logging.getLogger(__name__)
DigestBuilder = Callable[[Storage, int, datetime, datetime, str], Awaitable[Reply]]
"""Builds a team's digest for a period (storage, team id, start, end, language) from committed data."""


async def digest_of(storage: Storage, team_id: int, start: datetime, end: datetime, lang: str) -> Reply:
    """The team's digest for a period as a reply: what core.digest reads and says, with its chart."""
    return digest_reply(await build_digest(storage, team_id, start, end, lang), lang)


async def send_digest(
    storage: Storage, request: DigestRequest, build: DigestBuilder, now: datetime, claim: Claim | None = None
) -> OutboxMessage | None:
    """Build the digest and put it in the outbox with its period's record; None when the period was sent."""
    reply = await build(storage, request.team_id, request.start, request.end, request.lang)
    async with storage.transaction() as uow:
        if request.key is not None and not await uow.teams.record_digest(
            request.team_id, request.key, now, request.kind
        ):
            return None
        return await queue_one(uow, request.destination, reply, now, claim)


async def _last_sent(view: UnitOfWork, team_id: int) -> datetime | None:
    return await view.teams.last_scheduled_digest(team_id)


async def send_due_digests(
    storage: Storage, build: DigestBuilder, now: datetime, grace: timedelta = GRACE
) -> list[OutboxMessage]:
    """Send every team's digest that is due and not yet sent for its period; a team that fails is logged (with
    the reason) and the others still go."""
    teams = await storage.read(lambda view: view.teams.digest_teams())
    sent: list[OutboxMessage] = []
    for team in teams:
        request = due_request(team, now, grace)
        if request is None or request.key is None:
            continue
        last = await storage.read(partial(_last_sent, team_id=team.id))
        if last is not None and last > request.end - (request.end - request.start) / 2:
            continue  # sent in this period already (the schedule moved after it went out): not twice
        try:
            message = await send_digest(storage, request, build, now)
        except Exception:
            log.exception("the digest of team %s (%s) for %s could not be sent", team.id, team.slug, request.key)
            continue
        if message is not None:
            log.info("digest of team %s for %s queued to %s", team.slug, request.key, request.destination)
            sent.append(message)
    return sent
