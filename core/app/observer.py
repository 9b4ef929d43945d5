"""What the service tells its process about the events it handles (for metrics and log lines); no-ops by default."""

from __future__ import annotations

from typing import Protocol

from core.messages import Incoming


class ServiceObserver(Protocol):
    """Told, while an event is being handled, what the caller cannot see from the messages it gets back."""

    def duplicate(self, incoming: Incoming) -> None:
        """The event was applied before (a redelivery) and changed nothing now."""

    def team(self, team_id: int) -> None:
        """The event belongs to this team."""

    def digest(self, platform: str, kind: str) -> None:
        """A digest asked for in chat ("now", "preview") was put in the outbox for this platform."""


class Unobserved:
    """The observer when nobody listens."""

    def duplicate(self, incoming: Incoming) -> None:
        """Nothing."""

    def team(self, team_id: int) -> None:
        """Nothing."""

    def digest(self, platform: str, kind: str) -> None:
        """Nothing."""
