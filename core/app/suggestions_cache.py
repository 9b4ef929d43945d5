"""The team answers an interview screen offers (segments, top pains), kept briefly between screens."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.interview.offers import Suggestions

FRESH_FOR = timedelta(seconds=30)
"""How long offers read by this process are reused; a save or a board command here forgets them at once, so only an
interview saved through another replica can take this long to be offered."""


class SuggestionsCache:
    """Per-team suggestions, so typing through an interview does not regroup the team's pains at every screen."""

    def __init__(self, fresh_for: timedelta = FRESH_FOR) -> None:
        self.fresh_for = fresh_for
        self._kept: dict[int, tuple[datetime, Suggestions]] = {}

    def get(self, team_id: int, now: datetime) -> Suggestions | None:
        """The team's suggestions read less than `fresh_for` ago, or None."""
        kept = self._kept.get(team_id)
        if kept is None or now - kept[0] >= self.fresh_for or now < kept[0]:
            return None
        return kept[1]

    def keep(self, team_id: int, suggestions: Suggestions, now: datetime) -> None:
        """Remember what was just read."""
        self._kept[team_id] = (now, suggestions)

    def forget(self, team_id: int | None = None) -> None:
        """The team's answers (every team's, without one) changed here: read them again next time."""
        if team_id is None:
            self._kept.clear()
        else:
            self._kept.pop(team_id, None)
