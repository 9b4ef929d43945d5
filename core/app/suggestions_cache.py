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
        self._forgotten = 0

    def get(self, team_id: int, now: datetime) -> Suggestions | None:
        """The team's suggestions read less than `fresh_for` ago, or None."""
        kept = self._kept.get(team_id)
        if kept is None or now - kept[0] >= self.fresh_for or now < kept[0]:
            return None
        return kept[1]

    def token(self) -> int:
        """Taken before a read: `keep` refuses what was read while something was forgotten (it may be stale)."""
        return self._forgotten

    def keep(self, team_id: int, suggestions: Suggestions, now: datetime, token: int) -> None:
        """Remember what was just read, unless answers changed since its token was taken."""
        if token == self._forgotten:
            self._kept[team_id] = (now, suggestions)

    def forget(self, team_id: int | None = None) -> None:
        """The team's answers (every team's, without one) changed here: read them again next time."""
        self._forgotten += 1
        if team_id is None:
            self._kept.clear()
        else:
            self._kept.pop(team_id, None)
