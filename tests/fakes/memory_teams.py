"""core.board.team's TeamRepository and HypothesisRepository over in-memory rows."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import fields, replace
from datetime import datetime

from core.analytics.funnel import FunnelLog
from core.analytics.items import normalize_item
from core.app.export_data import Logged
from core.board.hypotheses import SETTABLE, EvidenceItem, Hypothesis, HypothesisEvent
from core.board.search import InterviewHits, InterviewQuery
from core.board.snapshot import Board
from core.board.team import ROLES, MemberInfo, Membership, PhaseChange, Role, TeamProfile
from core.domain import HypothesisRef, evidence_dated
from tests.fakes.memory_rows import HypothesisRow, MemberRow, Rows
from tests.fakes.memory_search import find_in_rows

SETTABLE_TEAM_FIELDS = frozenset(f.name for f in fields(TeamProfile)) - {"id", "slug"}
BoardOf = Callable[[int, datetime, str], Awaitable[Board]]


class InMemoryTeams:
    """Implements core.board.team.TeamRepository; the board comes from `board_of` (computed in Python)."""

    def __init__(self, rows: Rows, board_of: BoardOf) -> None:
        self.rows, self.board_of = rows, board_of

    async def team(self, team_id: int) -> TeamProfile:
        """The team's settings; LookupError for an unknown team."""
        if team_id not in self.rows.teams:
            raise LookupError(f"no team {team_id}")
        return self.rows.teams[team_id]

    async def update_team(self, team_id: int, **changes: object) -> None:
        """Change settings; ValueError naming a field that cannot change, LookupError for an unknown team."""
        unknown = set(changes) - SETTABLE_TEAM_FIELDS
        if unknown:
            raise ValueError(f"cannot change team field(s): {', '.join(sorted(unknown))}")
        self.rows.teams[team_id] = replace(await self.team(team_id), **changes)

    async def join_team(
        self, platform: str, user: str, display_name: str, team_slug: str, team_name: str | None = None
    ) -> Membership:
        """The founder's membership, creating the team (first member owns it) and the member as needed."""
        team = next((team for team in self.rows.teams.values() if team.slug == team_slug), None)
        if team is None:
            team = TeamProfile(self.rows.next_id(), team_slug, (team_name or team_slug)[:200])
            self.rows.teams[team.id] = team
        member_id, _role = await self.add_member(team.id, platform, user, display_name)
        return Membership(team.id, team_slug, member_id)

    async def members(self, team_id: int) -> list[MemberInfo]:
        """Everyone in the team, by id."""
        return [MemberInfo(m.id, m.name, m.role, m.platform, m.user) for m in self._members(team_id)]

    def _members(self, team_id: int) -> list[MemberRow]:
        return sorted((m for m in self.rows.members.values() if m.team_id == team_id), key=lambda m: m.id)

    async def member_role(self, member_id: int) -> str:
        """A member's role ("founder" when the member is gone)."""
        member = self.rows.members.get(member_id)
        return member.role if member else "founder"

    async def set_role(self, team_id: int, member_id: int, role: Role) -> None:
        """Change a member's role; ValueError for an unknown role, LookupError when they are not in the team."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r} (one of {', '.join(ROLES)})")
        member = self.rows.members.get(member_id)
        if member is None or member.team_id != team_id:
            raise LookupError(f"no member {member_id} in team {team_id}")
        member.role = role

    async def teams_of(self, platform: str, user: str) -> list[tuple[TeamProfile, int, str]]:
        """Every team this person belongs to, with their member id and role there, by team id."""
        seats = [m for m in self.rows.members.values() if m.platform == platform and m.user == user]
        return sorted(((self.rows.teams[m.team_id], m.id, m.role) for m in seats), key=lambda seat: seat[0].id)

    async def find_interviews(self, team_id: int, query: InterviewQuery, limit: int, offset: int = 0) -> InterviewHits:
        """The team's interviews the query finds, newest first (tests.fakes.memory_search)."""
        return find_in_rows(self.rows, team_id, query, limit, offset)

    async def invite_code(self, team_id: int) -> str:
        """The team's invite code, made on first use."""
        return self.rows.invites.setdefault(team_id, secrets.token_urlsafe(9))

    async def rotate_invite(self, team_id: int) -> str:
        """A fresh invite code for the team; links with the old one stop working."""
        self.rows.invites[team_id] = secrets.token_urlsafe(9)
        return self.rows.invites[team_id]

    async def team_by_invite(self, code: str) -> TeamProfile | None:
        """The team an invite code opens, if any."""
        found = next((team_id for team_id, invite in self.rows.invites.items() if invite == code), None)
        return None if found is None else self.rows.teams[found]

    async def add_member(self, team_id: int, platform: str, user: str, name: str) -> tuple[int, str]:
        """Put a person in a team (as founder; the first one owns it); their member id and role."""
        members = self._members(team_id)
        for member in members:
            if member.platform == platform and member.user == user:
                return member.id, member.role
        member = MemberRow(self.rows.next_id(), team_id, platform, user, name[:200], "founder" if members else "owner")
        self.rows.members[member.id] = member
        return member.id, member.role

    async def team_of_chat(self, digest_chat: str) -> TeamProfile | None:
        """The team whose digest channel this chat is."""
        return next((team for team in self.rows.teams.values() if team.digest_chat == digest_chat), None)

    async def digest_teams(self) -> list[TeamProfile]:
        """Every team with a digest channel and a digest not switched off."""
        teams = self.rows.teams.values()
        return sorted((t for t in teams if t.digest_chat and t.digest_enabled), key=lambda t: t.id)

    async def last_scheduled_digest(self, team_id: int) -> datetime | None:
        """When the team's latest scheduled digest was sent, if ever."""
        sent = [
            at for (team, _period), (at, kind) in self.rows.digests.items() if team == team_id and kind == "scheduled"
        ]
        return max(sent, default=None)

    async def record_digest(self, team_id: int, period: str, at: datetime, kind: str) -> bool:
        """Record the period's digest; False when it already was."""
        if (team_id, period) in self.rows.digests:
            return False
        self.rows.digests[(team_id, period)] = (at, kind)
        return True

    async def board(self, team_id: int, now: datetime, lang: str) -> Board:
        """The team's board as of `now`, as this transaction sees it."""
        return await self.board_of(team_id, now, lang)

    async def merges(self, team_id: int) -> dict[str, str]:
        """Explicit item merges: normalized key -> key it was merged into."""
        return {key: merge.entry[1] for key, merge in self.rows.merges.get(team_id, {}).items()}

    async def add_merge(self, team_id: int, key: str, into: str, by: str, at: datetime) -> None:
        """Record that one item is the same as another; merging a key again replaces its target."""
        self.rows.merges.setdefault(team_id, {})[key] = Logged((key, into), by[:200], at)

    async def known_items(self, team_id: int, keys: Sequence[str]) -> set[str]:
        """Which of these normalized keys a pain, job or gain of a completed interview of the team has."""
        found = set()
        for row in self.rows.interviews.values():
            if row.team_id == team_id and row.status == "completed":
                items = (*row.record.pains, *row.record.jobs, *row.record.gains)
                found |= {normalize_item(item.text) for item in items}
        return found & set(keys)

    async def funnel_logs(self, team_id: int) -> list[FunnelLog]:
        """Every logged funnel count, oldest first."""
        return sorted((logged.entry for logged in self.rows.funnel.get(team_id, [])), key=lambda log: log.at)

    async def log_funnel(self, team_id: int, log: FunnelLog, by: str) -> None:
        """Add a funnel count."""
        self.rows.funnel.setdefault(team_id, []).append(Logged(log, by[:200], log.at))

    async def phase_changes(self, team_id: int) -> list[PhaseChange]:
        """The team's phase history, oldest first."""
        return sorted(self.rows.phases.get(team_id, []), key=lambda change: change.at)

    async def change_phase(self, team_id: int, change: PhaseChange) -> None:
        """Move the team to another phase and record it; LookupError for an unknown team."""
        self.rows.teams[team_id] = replace(await self.team(team_id), phase=change.to_phase)
        self.rows.phases.setdefault(team_id, []).append(replace(change, by=change.by[:200]))

    async def ticks(self, team_id: int) -> set[str]:
        """Manual gate items the team has ticked, as "phase.item"."""
        return set(self.rows.ticks.get(team_id, {}))

    async def tick(self, team_id: int, phase: str, item: str, by: str, at: datetime, done: bool = True) -> None:
        """Tick (or untick) a manual gate item."""
        ticked = self.rows.ticks.setdefault(team_id, {})
        if done:
            ticked.setdefault(f"{phase}.{item}", Logged((phase, item), by[:200], at))
        else:
            ticked.pop(f"{phase}.{item}", None)


class InMemoryHypotheses:
    """Implements core.board.team.HypothesisRepository."""

    def __init__(self, rows: Rows) -> None:
        self.rows = rows

    def _of(self, team_id: int) -> list[HypothesisRow]:
        return sorted((h for h in self.rows.hypotheses.values() if h.team_id == team_id), key=lambda h: h.number)

    async def linkable(self, team_id: int) -> tuple[HypothesisRef, ...]:
        """The team's hypotheses that can still take evidence, by number."""
        return tuple(
            HypothesisRef(h.code, h.statement, h.status, h.block) for h in self._of(team_id) if h.status != "pivoted"
        )

    async def all(self, team_id: int) -> list[Hypothesis]:
        """Every hypothesis (pivoted ones too) with history and evidence, by number."""
        return [
            Hypothesis(
                code=h.code,
                statement=h.statement,
                status=h.status,
                block=h.block,
                criterion=h.criterion,
                predecessor=h.predecessor,
                successor=h.successor,
                history=tuple(sorted(h.history, key=lambda event: event.at)),
                evidence=self._evidence(team_id, h.code),
            )
            for h in self._of(team_id)
        ]

    def _evidence(self, team_id: int, code: str) -> tuple[EvidenceItem, ...]:
        items = []
        for row in self.rows.evidence:
            interview = self.rows.interviews[row.interview_id]
            if row.code == code and interview.team_id == team_id:
                at = evidence_dated(interview.record.interview_date, interview.completed_at or interview.started_at)
                item = EvidenceItem(
                    hypothesis=code,
                    interview_id=row.interview_id,
                    interviewee=interview.record.alias,
                    stance=row.stance,
                    strength=row.strength,
                    quote=row.quote,
                    at=at,
                )
                items.append(item)
        return tuple(sorted(items, key=lambda item: item.at))

    async def add(
        self, team_id: int, statement: str, block: str | None, criterion: str | None, by: str, at: datetime
    ) -> str:
        """Create the next hypothesis (H1, H2...); returns its code."""
        return self.create(team_id, statement, at, by, block=block, criterion=criterion).code

    def create(
        self,
        team_id: int,
        statement: str,
        at: datetime,
        by: str,
        *,
        block: str | None = None,
        criterion: str | None = None,
        predecessor: str | None = None,
        reason: str | None = None,
    ) -> HypothesisRow:
        """The team's next hypothesis (untested) with its 'created' event."""
        number = max((h.number for h in self._of(team_id)), default=0) + 1
        row = HypothesisRow(self.rows.next_id(), team_id, number, statement, "untested", block, criterion, predecessor)
        row.created_at = at
        row.history.append(HypothesisEvent(at, "created", by[:200], "untested", reason))
        self.rows.hypotheses[row.id] = row
        return row

    def _find(self, team_id: int, code: str) -> HypothesisRow:
        wanted = code.strip().upper()
        for row in self._of(team_id):
            if row.code == wanted:
                return row
        raise LookupError(f"no hypothesis {code!r} in team {team_id}")

    async def set_status(self, team_id: int, code: str, status: str, reason: str, by: str, at: datetime) -> None:
        """Change a status; LookupError for an unknown code, ValueError for a pivoted one or an unsettable status."""
        if status not in SETTABLE:
            raise ValueError(f"status {status!r} cannot be set directly (one of {', '.join(SETTABLE)})")
        row = self._find(team_id, code)
        if row.status == "pivoted":
            raise ValueError(f"{row.code} was pivoted; change its successor instead")
        row.status = status
        row.history.append(HypothesisEvent(at, "status", by[:200], status, reason))

    async def pivot(self, team_id: int, code: str, statement: str, reason: str, by: str, at: datetime) -> str:
        """Mark a hypothesis pivoted and create its successor (same block and criterion); returns the new code."""
        old = self._find(team_id, code)
        if old.status == "pivoted":
            raise ValueError(f"{old.code} was already pivoted")
        new = self.create(
            team_id,
            statement,
            at,
            by,
            block=old.block,
            criterion=old.criterion,
            predecessor=old.code,
            reason=f"pivot of {old.code}: {reason}",
        )
        old.status, old.successor = "pivoted", new.code
        old.history.append(HypothesisEvent(at, "pivoted", by[:200], "pivoted", reason, new.code))
        return new.code
