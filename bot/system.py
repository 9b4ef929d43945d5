"""The real clock and id source behind core's ports."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime


class SystemClock:
    """Wall-clock time in UTC."""

    def now(self) -> datetime:
        """The current time."""
        return datetime.now(UTC)


class UuidIds:
    """Random UUIDs as 32 hex characters."""

    def new_id(self) -> str:
        """A fresh id."""
        return uuid.uuid4().hex
