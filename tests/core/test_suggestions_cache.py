"""The team's offered answers kept between screens: fresh for a while, forgotten on a change, never kept stale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.app.suggestions_cache import SuggestionsCache
from core.interview.offers import Suggestions


def test_kept_suggestions_expire_and_are_forgotten_per_team_or_all() -> None:
    cache, at = SuggestionsCache(timedelta(seconds=30)), datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    offers = Suggestions(("Dental clinics",), ("Re-booking by hand",))
    cache.keep(1, offers, at, cache.token())
    cache.keep(2, offers, at, cache.token())
    assert cache.get(1, at + timedelta(seconds=29)) is offers
    assert cache.get(1, at + timedelta(seconds=30)) is None, "read again once stale"
    assert cache.get(1, at - timedelta(seconds=1)) is None, "a clock that went back does not keep them forever"
    cache.forget(1)
    assert cache.get(1, at) is None and cache.get(2, at) is offers
    cache.forget()
    assert cache.get(2, at) is None
    token = cache.token()
    cache.forget(3)  # a save committed while offers were being read: what was read may miss it
    cache.keep(1, offers, at, token)
    assert cache.get(1, at) is None
