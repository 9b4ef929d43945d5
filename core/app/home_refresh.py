"""Home views refreshed after saved interviews, off the acknowledgement path and coalesced per team."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from core.app.home import publish_homes
from core.app.ports import Claim, Clock, OutboxMessage, Storage
from core.messages import HomeView

log = logging.getLogger(__name__)
SETTLE_SECONDS = 0.5
"""How long a refresh waits for more saves to join it: a team saving at once costs one board read, read after the
burst of acknowledgements rather than during it (the founder is in the DM, not on the Home tab, meanwhile)."""
Deliver = Callable[[list[OutboxMessage]], None]
"""Hands committed messages to the platform's relay."""


class HomeRefresher:
    """Refreshes people's home views after they saved an interview.

    A team has at most one refresh running; people asking meanwhile wait for the next one, which reads the board
    once per language for all of them. So fifty founders saving at once cost a few board reads, not fifty, and the
    board is never read while the founder waits for Slack's acknowledgement.
    """

    def __init__(
        self,
        storage: Storage,
        clock: Clock,
        claim: Callable[[], Claim],
        deliver: Deliver,
        settle: float = SETTLE_SECONDS,
    ) -> None:
        self.storage, self.clock, self.claim, self.deliver = storage, clock, claim, deliver
        self.settle = settle
        self._waiting: dict[int, dict[HomeView, str]] = {}
        self._running: dict[int, asyncio.Task[None]] = {}

    def request(self, home: HomeView, team_id: int, lang: str) -> None:
        """Refresh this person's home view with the team's board, in their language, soon."""
        self._waiting.setdefault(team_id, {})[home] = lang
        if team_id not in self._running:
            task = asyncio.create_task(self._refresh(team_id))
            self._running[team_id] = task

    async def _refresh(self, team_id: int) -> None:
        try:
            await asyncio.sleep(self.settle)
            while people := self._waiting.pop(team_id, None):
                try:
                    now = self.clock.now()
                    self.deliver(await publish_homes(self.storage, people, team_id, now, self.claim()))
                except Exception:  # a dashboard that failed to refresh is refreshed again when opened
                    log.exception("home views of team %s were not refreshed", team_id)
        finally:
            del self._running[team_id]

    async def drain(self) -> None:
        """Wait for the refreshes under way (and the ones they coalesced) to finish."""
        while self._running:
            await asyncio.gather(*list(self._running.values()), return_exceptions=True)
