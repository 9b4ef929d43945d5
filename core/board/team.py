"""Teams, members and roles, and the ports through which the board reads and changes team data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal, Protocol

from core.analytics.funnel import FunnelLog
from core.board.hypotheses import Hypothesis
from core.board.search import InterviewHits, InterviewQuery
from core.domain import HypothesisRef
from core.i18n import LANGUAGES, N_, gettext_for
from core.reminders.ports import ReminderRepository

if TYPE_CHECKING:
    from core.board.snapshot import Board

Role = Literal["owner", "founder", "mentor"]
ROLES: dict[str, str] = {"owner": N_("owner"), "founder": N_("founder"), "mentor": N_("mentor (read-only)")}
# The role after "is now": English needs its article, which a bare role in a list must not have.
A_ROLE: dict[str, str] = {"owner": N_("an owner"), "founder": N_("a founder"), "mentor": N_("a mentor (read-only)")}
ROLE_ALIASES: dict[str, Role] = {"co-founder": "founder", "cofounder": "founder", "сооснователь": "founder"}


def role_names(lang: str) -> list[str]:
    """The roles as a founder types them in that language: "mentor", not "mentor (read-only)"."""
    _ = gettext_for(lang)
    return [_(name).split(" (")[0] for name in ROLES.values()]


def role_named(word: str) -> Role | None:
    """The role a typed word names, in any language the bot speaks, or None."""
    typed = word.strip().casefold()
    for lang in LANGUAGES:
        for role, name in zip(ROLES, role_names(lang), strict=True):
            if typed in (role, name.casefold()):
                return role  # type: ignore[return-value]
    return ROLE_ALIASES.get(typed)


def can_change(role: str) -> bool:
    """Owners and founders change things; mentors only read."""
    return role in ("owner", "founder")


@dataclass(frozen=True)
class TeamProfile:
    """A team's settings."""

    id: int
    slug: str
    name: str
    phase: str = "discovery"
    timezone: str = "UTC"
    language: str = "en"
    weekly_target: int = 15
    goal_total: int = 100
    target_segment: str | None = None
    gates_yaml: str | None = None
    digest_chat: str | None = None
    digest_weekday: int = 0
    digest_hour: int = 9
    digest_minute: int = 0
    digest_cadence: str = "weekly"
    """"weekly" (on digest_weekday) or "daily"."""
    digest_tenant: str | None = None
    """The platform's tenant of the digest chat (a Slack workspace, a Telegram bot), for sending from the scheduler."""
    digest_set_at: datetime | None = None
    """When the digest's place or schedule was last set: runs before that are not sent (no surprise catch-up)."""
    digest_enabled: bool = True
    """False after `digest off` (the cadence and time are kept for `digest on`)."""


@dataclass(frozen=True)
class MemberInfo:
    """A member as the board lists them; `user` is their id on their platform, where a direct message reaches them."""

    id: int
    name: str
    role: str
    platform: str
    user: str = field(default="", compare=False)


@dataclass(frozen=True)
class PhaseChange:
    """A move to another phase; an override reason means the gate had not passed."""

    at: datetime
    from_phase: str
    to_phase: str
    by: str
    override_reason: str | None = None


@dataclass(frozen=True)
class Membership:
    """A founder's seat in a team."""

    team_id: int
    team_slug: str
    member_id: int


class TeamRepository(Protocol):
    """Teams: settings, members and roles, invites, item merges, funnel logs, phases, gate ticks and the board."""

    async def team(self, team_id: int) -> TeamProfile:
        """The team's settings."""

    async def update_team(self, team_id: int, **changes: object) -> None:
        """Change settings (name, timezone, language, weekly_target, goal_total, target_segment, gates_yaml, phase)."""

    async def join_team(
        self, platform: str, user: str, display_name: str, team_slug: str, team_name: str | None = None
    ) -> Membership:
        """The founder's membership in the team, creating team and member as needed."""

    async def members(self, team_id: int) -> list[MemberInfo]:
        """Everyone in the team."""

    async def member_role(self, member_id: int) -> str:
        """A member's role: owner, founder or mentor."""

    async def set_role(self, team_id: int, member_id: int, role: Role) -> None:
        """Change a member's role."""

    async def teams_of(self, platform: str, user: str) -> list[tuple[TeamProfile, int, str]]:
        """Every team this person belongs to, with their member id and role there."""

    async def invite_code(self, team_id: int) -> str:
        """The team's invite code, made on first use."""

    async def rotate_invite(self, team_id: int) -> str:
        """A fresh invite code for the team; links with the old one stop working."""

    async def team_by_invite(self, code: str) -> TeamProfile | None:
        """The team an invite code opens, if any."""

    async def add_member(self, team_id: int, platform: str, user: str, name: str) -> tuple[int, str]:
        """Put a person in a team (as founder; the first one owns it); their member id and role."""

    async def team_of_chat(self, digest_chat: str) -> TeamProfile | None:
        """The team whose digest channel this chat ("platform:chat") is."""

    async def digest_teams(self) -> list[TeamProfile]:
        """Every team with a digest channel and a digest not switched off."""

    async def last_scheduled_digest(self, team_id: int) -> datetime | None:
        """When the team's latest scheduled digest was sent, if ever."""

    async def record_digest(self, team_id: int, period: str, at: datetime, kind: str) -> bool:
        """Record that the team's digest for this period is being sent; False when it already was."""

    async def board(self, team_id: int, now: datetime, lang: str) -> Board:
        """The team's board as of `now`, computed with aggregates in this unit of work (it sees its changes)."""

    async def merges(self, team_id: int) -> dict[str, str]:
        """Explicit item merges: normalized key -> key it was merged into."""

    async def add_merge(self, team_id: int, key: str, into: str, by: str, at: datetime) -> None:
        """Record that one item is the same as another."""

    async def known_items(self, team_id: int, keys: Sequence[str]) -> set[str]:
        """Which of these normalized keys a pain, job or gain of a completed interview of the team has."""

    async def funnel_logs(self, team_id: int) -> list[FunnelLog]:
        """Every logged funnel count."""

    async def log_funnel(self, team_id: int, log: FunnelLog, by: str) -> None:
        """Add a funnel count."""

    async def phase_changes(self, team_id: int) -> list[PhaseChange]:
        """The team's phase history, oldest first."""

    async def change_phase(self, team_id: int, change: PhaseChange) -> None:
        """Move the team to another phase and record it."""

    async def ticks(self, team_id: int) -> set[str]:
        """Manual gate items the team has ticked, as "phase.item"."""

    async def tick(self, team_id: int, phase: str, item: str, by: str, at: datetime, done: bool = True) -> None:
        """Tick (or untick) a manual gate item."""

    async def find_interviews(self, team_id: int, query: InterviewQuery, limit: int, offset: int = 0) -> InterviewHits:
        """A page of the team's interviews (not survey answers) the query finds, newest first (as they started).

        With words, only completed interviews whose text (core.board.search.document) holds every word, stemmed
        as the database can; `more` counts the rest found, up to core.board.search.COUNT_CAP.
        """


class HypothesisRepository(Protocol):
    """A team's hypotheses: their statuses, history, pivots and the evidence linked to them."""

    async def linkable(self, team_id: int) -> tuple[HypothesisRef, ...]:
        """The hypotheses an interview can still link evidence to (all but pivoted ones), by number."""

    async def all(self, team_id: int) -> list[Hypothesis]:
        """Every hypothesis (pivoted ones too) with history and evidence, by number."""

    async def add(
        self, team_id: int, statement: str, block: str | None, criterion: str | None, by: str, at: datetime
    ) -> str:
        """Create the next hypothesis (H1, H2...); returns its code."""

    async def set_status(self, team_id: int, code: str, status: str, reason: str, by: str, at: datetime) -> None:
        """Change a status, recording who, when and why in the history."""

    async def pivot(self, team_id: int, code: str, statement: str, reason: str, by: str, at: datetime) -> str:
        """Mark a hypothesis pivoted and create its successor (same block and criterion); returns the new code."""


class BoardRepositories(Protocol):
    """What the board's commands read and change, inside the unit of work of one message."""

    @property
    def teams(self) -> TeamRepository:
        """Teams, members and the board."""

    @property
    def hypotheses(self) -> HypothesisRepository:
        """The team's hypotheses."""

    @property
    def reminders(self) -> ReminderRepository:
        """Founders' reminder settings and the days they were reminded."""


def names(members: Sequence[MemberInfo]) -> dict[int, str]:
    """Member ids to display names."""
    return {member.id: member.name for member in members}
