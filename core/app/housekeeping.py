"""Housekeeping: processed event ids and sent outbox messages older than their retention are pruned, so the tables
that every message writes to do not grow forever. The scheduler leader runs it (bot.scheduler); `cusdev prune` too.

An event id must be kept longer than any platform redelivers an update (Telegram keeps updates for 24 hours, Slack
retries within minutes): a redelivered event whose id was pruned would be handled again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.app.ports import Pruned, Storage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Retention:
    """How long processed event ids and sent outbox messages are kept."""

    events: timedelta
    messages: timedelta


async def prune_old(storage: Storage, now: datetime, retention: Retention, dry_run: bool = False) -> Pruned:
    """Prune (or, on a dry run, count) what is older than the retention at `now`, and log how much."""
    pruned = await storage.prune(now - retention.events, now - retention.messages, dry_run=dry_run)
    log.info(
        "housekeeping %s %d processed event ids older than %g days and %d sent outbox messages older than %g days",
        "would prune" if dry_run else "pruned",
        pruned.events,
        retention.events / timedelta(days=1),
        pruned.messages,
        retention.messages / timedelta(days=1),
    )
    return pruned
