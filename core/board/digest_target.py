"""Where a team's digest goes and which one is due: the chat set with `digest here`, the period of a run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.board.digest_schedule import latest_run, period_before, period_key, schedule_of
from core.board.team import TeamProfile
from core.messages import Destination, ToChat

GRACE = timedelta(hours=6)
"""How late a scheduled digest may still go out (the process was down at 09:00): after that it is skipped."""


@dataclass(frozen=True)
class DigestRequest:
    """A digest to send: for which team, where, over which period, and the key that makes it once-only."""

    team_id: int
    destination: Destination
    start: datetime
    end: datetime
    lang: str
    key: str | None
    """The period's key for the once-per-period record; None for a preview (it is not the team's digest)."""
    kind: str = "scheduled"
    asker: Destination | None = None
    """Who asked for it in chat (`digest now`, `preview`): told if it cannot be built. None for a scheduled one."""
    asker_lang: str = "en"


def digest_chat_of(team: TeamProfile) -> tuple[str, str] | None:
    """The platform and chat of the team's digest channel (stored as "platform:chat"), or None."""
    platform, _sep, chat = (team.digest_chat or "").partition(":")
    return (platform, chat) if platform and chat else None


def target_of(team: TeamProfile) -> ToChat | None:
    """The chat the team's digest goes to (set with `digest here`), or None."""
    found = digest_chat_of(team)
    if found is None:
        return None
    platform, chat = found
    tenant = team.digest_tenant
    if tenant is None:  # set before the tenant was kept: a Slack team's slug names its workspace
        tenant = team.slug.removeprefix("slack-") if platform == "slack" else ""
    return ToChat(platform, tenant, chat)


def due_request(team: TeamProfile, now: datetime, grace: timedelta = GRACE) -> DigestRequest | None:
    """The team's scheduled digest that is due at `now` (its latest run, no more than `grace` ago), or None."""
    target, schedule = target_of(team), schedule_of(team)
    run = latest_run(schedule, now)
    if target is None or run is None or now - run > grace:
        return None
    if team.digest_set_at is not None and run < team.digest_set_at:
        return None  # set up (or moved) after this run's time: the first digest is the next one
    start, end = period_before(schedule, run)
    return DigestRequest(team.id, target, start, end, team.language, period_key(run))
