"""Every Prometheus metric cusdev exports (prometheus_client), served at /metrics by bot.web.

The metrics live on a registry of the App's own, not prometheus_client's global one: two apps in one process (the
tests, an in-process bench) each count only their own traffic, so a test reads exactly what its app did, and
building an App twice never fails on a name already registered.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Literal, get_args

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from core.app.ports import Backlog

PLATFORMS = ("telegram", "slack")
Outcome = Literal["ok", "duplicate", "ignored", "failed"]
"""How an update or event ended: answered; a redelivery dropped; nothing to do (an edit, a sticker, another bot's
event); raised (nothing of it was saved, the platform will deliver it again)."""
RetryReason = Literal["rate_limited", "server_error", "network"]
HANDLER_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """The metrics of one App, on its own registry."""

    def __init__(self) -> None:
        self.registry = registry = CollectorRegistry()
        self.updates = Counter(
            "cusdev_updates_handled",
            "Updates and events handled, by platform and outcome (ok, duplicate, ignored, failed).",
            ["platform", "outcome"],
            registry=registry,
        )
        self.handler_seconds = Histogram(
            "cusdev_handler_seconds",
            "Seconds spent handling one update or event (on Slack: until it is acknowledged).",
            ["platform"],
            buckets=HANDLER_BUCKETS,
            registry=registry,
        )
        self.outbox_backlog = Gauge(
            "cusdev_outbox_backlog", "Outbox messages committed and not yet sent, by platform.", ["platform"],
            registry=registry,
        )  # fmt: skip
        self.outbox_oldest_age = Gauge(
            "cusdev_outbox_oldest_unsent_age_seconds",
            "Age of the oldest unsent outbox message, by platform (0 when none waits).",
            ["platform"],
            registry=registry,
        )
        self.sends_retried = Counter(
            "cusdev_sends_retried",
            "Platform API requests made again, by platform and reason (rate_limited, server_error, network).",
            ["platform", "reason"],
            registry=registry,
        )
        self.rate_limited = Counter(
            "cusdev_rate_limited", "429 Too Many Requests answers received, by platform.", ["platform"],
            registry=registry,
        )  # fmt: skip
        self.digests_sent = Counter(
            "cusdev_digests_sent",
            "Digests put in the outbox, by the platform they go to and kind (scheduled, now: asked for in chat, "
            "preview: to the asker alone).",
            ["platform", "kind"],
            registry=registry,
        )
        self.scheduler_leader = Gauge(
            "cusdev_scheduler_leader", "1 while this process leads the scheduler, else 0.", registry=registry
        )
        self.duplicates = Counter(
            "cusdev_duplicate_events_dropped",
            "Redelivered updates and events dropped because they were handled before, by platform.",
            ["platform"],
            registry=registry,
        )
        for platform in PLATFORMS:  # every series exists from the start, so rate() sees its first increase
            for outcome in get_args(Outcome):
                self.updates.labels(platform, outcome)
            self.duplicates.labels(platform)
            self.rate_limited.labels(platform)
            self.outbox_backlog.labels(platform)
            self.outbox_oldest_age.labels(platform)

    def handled(self, platform: str, outcome: Outcome, seconds: float) -> None:
        """One update or event handled."""
        self.updates.labels(platform, outcome).inc()
        self.handler_seconds.labels(platform).observe(seconds)

    def retried(self, platform: str, reason: RetryReason) -> None:
        """A request goes again; a 429 also counts as received."""
        self.sends_retried.labels(platform, reason).inc()
        if reason == "rate_limited":
            self.rate_limited.labels(platform).inc()

    def backlog(self, rows: Iterable[Backlog], now: datetime) -> None:
        """Set the outbox gauges from the database's count (a platform without a row has nothing waiting)."""
        seen = {platform: (count, oldest) for platform, count, oldest in rows}
        for platform in {*PLATFORMS, *seen}:
            count, oldest = seen.get(platform, (0, None))
            self.outbox_backlog.labels(platform).set(count)
            age = 0.0 if oldest is None else max(0.0, (now - oldest).total_seconds())
            self.outbox_oldest_age.labels(platform).set(age)

    def exposition(self) -> bytes:
        """The registry in Prometheus' text format."""
        return generate_latest(self.registry)
