"""core.board.reader.BoardSource in SQL: the board's counts computed with GROUP BY in the database.

Item, commitment, price and evidence rows are written once, when their interview completes (uow.complete), so
items are grouped straight from their own index (team_id, kind, key_hash, ...) without joining interviews.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import ColumnElement, String, and_, case, collate, func, literal, or_, select, type_coerce
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects import postgresql, sqlite

from core.analytics.pricing import PriceResponse
from core.board.hypotheses import EvidenceItem, Hypothesis, Tally
from core.board.reader import CommitmentCount, HappenedCounts, ItemFilter, ItemTally, SegmentCount, Wording
from core.domain import InterviewRecord, InterviewSummary
from storage import tables as t
from storage.reads import aware
from storage.statements import AT
from storage.team_repo import TeamRepo, key_hash

if TYPE_CHECKING:
    from storage.uow import Executor

IV, E = t.Interview, t.Evidence
BLANK = key_hash("")


def _money(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).normalize()


class BoardQuery(TeamRepo):
    """Reads one team's aggregates on one connection (a read-only one, or a unit of work's)."""

    def __init__(self, execute: Executor, dialect: str) -> None:
        self.execute = execute
        self.dialect = dialect
        self.insert = postgresql.insert if dialect == "postgresql" else sqlite.insert

    def _completed(self, team_id: int) -> tuple[ColumnElement[bool], ...]:
        return (IV.team_id == team_id, IV.status == "completed")  # type: ignore[return-value]

    def _utc(self, moment: Any) -> Any:
        """A stored moment in a form that compares and sorts as time.

        SQLite holds text in two spellings ("... 09:00:00.000000" from SQLAlchemy, "... 09:00:00+00:00" from the
        driver's default adapter, both UTC); they are rewritten to the first, to the microsecond.
        """
        if self.dialect == "postgresql":
            return moment
        fraction = case((func.substr(moment, 20, 1) == ".", func.substr(moment, 20, 7)), else_=".000000")
        return type_coerce(func.substr(moment, 1, 19).concat(fraction), String)

    def _bound(self, moment: datetime) -> Any:
        if self.dialect == "postgresql":
            return literal(moment, AT)
        if moment.microsecond:
            raise ValueError("board bounds fall on whole seconds")
        return literal(moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"), String)

    def _order(self, *extra: Any) -> ColumnElement[str]:
        """A string that sorts like (started_at, interview id, *extra): the analytics' oldest-first order."""
        if self.dialect == "postgresql":
            at = func.to_char(func.timezone("UTC", IV.started_at), "YYYY-MM-DD HH24:MI:SS.US")
            parts = [at, IV.id, *(func.lpad(sql_cast(x, String), 9, "0") for x in extra)]
            return collate(func.concat_ws(" ", *parts), "C")
        parts = [self._utc(IV.started_at), IV.id, *(func.printf("%09d", x) for x in extra)]
        return cast(ColumnElement[str], func.printf(" ".join(["%s"] * len(parts)), *parts))

    def _read(self, value: Any) -> datetime | None:
        if isinstance(value, str):
            return datetime.strptime(value[:19], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
        return aware(value)

    async def happened(self, team_id: int, bounds: Sequence[datetime]) -> HappenedCounts:
        """Completed interviews: how many, first and last moment (to the second), and how many before each bound."""
        moment: Any = func.coalesce(IV.completed_at, IV.started_at)
        if self.dialect == "sqlite":
            # Bounds fall on whole seconds, so both spellings compare right by their first 19 characters, and
            # a plain text comparison with the bound's "YYYY-MM-DD HH:MM:SS" does just that.
            moment = type_coerce(moment, String)
        before = [func.coalesce(func.sum(case((moment < self._bound(b), 1), else_=0)), 0) for b in bounds]
        row = (
            await self.execute(
                select(func.count(), func.min(moment), func.max(moment), *before).where(*self._completed(team_id))
            )
        ).one()
        return HappenedCounts(row[0], self._read(row[1]), self._read(row[2]), tuple(int(n) for n in row[3:]))

    async def founder_counts(self, team_id: int) -> dict[str, int]:
        """Completed interviews per founder name (members of other teams read as "?")."""
        names = {member.id: member.name for member in await self.members(team_id)}
        rows = await self.execute(
            select(IV.member_id, func.count()).where(*self._completed(team_id)).group_by(IV.member_id)
        )
        counts: dict[str, int] = {}
        for member_id, count in rows:
            name = names.get(member_id, "?")
            counts[name] = counts.get(name, 0) + count
        return counts

    async def segment_counts(self, team_id: int) -> list[SegmentCount]:
        """Completed interviews by exact segment, script and whether they hold a commitment."""
        committed = select(t.Commitment.id).where(t.Commitment.interview_id == IV.id).exists()
        flag = case((committed, 1), else_=0).label("committed")
        rows = await self.execute(
            select(IV.segment, IV.script, flag, func.count())
            .where(*self._completed(team_id))
            .group_by(IV.segment, IV.script, flag)
        )
        return [SegmentCount(segment, script, bool(c), count) for segment, script, c, count in rows]

    async def first_segments(self, team_id: int, segments: Sequence[str]) -> dict[str, str]:
        """Where the first completed interview with each of these exact segments comes, oldest first."""
        rows = await self.execute(
            select(IV.segment, func.min(self._order()))
            .where(*self._completed(team_id), IV.segment.in_(segments))  # type: ignore[union-attr]
            .group_by(IV.segment)
        )
        return {segment: first for segment, first in rows}

    async def sean_ellis_counts(self, team_id: int) -> dict[str, int]:
        """Completed interviews by Sean Ellis answer."""
        rows = await self.execute(
            select(IV.sean_ellis, func.count())
            .where(*self._completed(team_id), IV.sean_ellis.is_not(None))  # type: ignore[union-attr]
            .group_by(IV.sean_ellis)
        )
        return {answer: count for answer, count in rows}

    async def commitment_counts(self, team_id: int) -> list[CommitmentCount]:
        """Commitments of completed interviews by kind, exact currency and amount."""
        c = t.Commitment
        rows = await self.execute(
            select(c.kind, c.currency, c.amount, func.count())
            .join(IV, IV.id == c.interview_id)  # type: ignore[arg-type]
            .where(*self._completed(team_id))
            .group_by(c.kind, c.currency, c.amount)
        )
        return [CommitmentCount(kind, currency, _money(amount), count) for kind, currency, amount, count in rows]

    async def price_groups(self, team_id: int) -> list[PriceResponse]:
        """Complete Van Westendorp answer sets of completed interviews, each distinct one with its count."""
        p = t.PriceAnswer
        answers = (p.too_cheap, p.bargain, p.getting_expensive, p.too_expensive)
        rows = await self.execute(
            select(*answers, p.currency, func.count())
            .join(IV, IV.id == p.interview_id)  # type: ignore[arg-type]
            .where(*self._completed(team_id), *(a.is_not(None) for a in answers))  # type: ignore[attr-defined]
            .group_by(*answers, p.currency)
        )
        responses = []
        for cheap, bargain, expensive, too_expensive, currency, count in rows:
            values = [_money(v) for v in (cheap, bargain, expensive, too_expensive)]
            responses.append(PriceResponse(*cast(list[Decimal], values), currency, count))
        return responses

    async def latest_interviews(self, team_id: int, limit: int) -> list[InterviewSummary]:
        """The latest interviews of any status, oldest first, with their own columns only."""
        names = {member.id: member.name for member in await self.members(team_id)}
        rows = (
            await self.execute(
                select(IV, t.Team.slug)
                .join(t.Team, t.Team.id == IV.team_id)  # type: ignore[arg-type]
                .where(IV.team_id == team_id)
                .order_by(self._utc(IV.started_at).desc(), IV.id.desc())  # type: ignore[attr-defined]
                .limit(limit)
            )
        ).all()
        return [_summary(row, row.slug, names.get(row.member_id, "?")) for row in reversed(rows)]

    async def hypothesis_list(self, team_id: int) -> list[Hypothesis]:
        """Every hypothesis with its history, by number (evidence is counted and listed apart)."""
        h = t.Hypothesis
        rows = (
            await self.execute(select(h).where(h.team_id == team_id).order_by(h.number, h.id))  # type: ignore[arg-type]
        ).all()
        codes = {row.id: row.code for row in rows}
        history = await self._history(list(codes))
        return [
            Hypothesis(
                code=row.code,
                statement=row.statement,
                status=row.status,
                block=row.block,
                criterion=row.criterion,
                predecessor=codes.get(row.predecessor_id),
                successor=codes.get(row.successor_id),
                history=tuple(history[row.id]),
            )
            for row in rows
        ]

    def _evidence_code(self, team_id: int) -> tuple[ColumnElement[str], Any]:
        """The code of the team hypothesis an evidence row belongs to (by id, else by its code), and the joins."""
        by_id, by_code = t.Hypothesis.__table__.alias("by_id"), t.Hypothesis.__table__.alias("by_code")  # type: ignore[attr-defined]
        joined = (
            E.__table__.join(IV.__table__, IV.id == E.interview_id)  # type: ignore[attr-defined]
            .outerjoin(by_id, and_(by_id.c.id == E.hypothesis_id, by_id.c.team_id == team_id))
            .outerjoin(
                by_code,
                and_(by_id.c.id.is_(None), by_code.c.team_id == team_id, by_code.c.code == E.hypothesis_code),
            )
        )
        return func.coalesce(by_id.c.code, by_code.c.code), joined

    async def evidence_counts(self, team_id: int) -> dict[str, Tally]:
        """Evidence by hypothesis code, stance and strength."""
        code, joined = self._evidence_code(team_id)
        rows = await self.execute(
            select(code, E.stance, E.strength, func.count())
            .select_from(joined)
            .where(IV.team_id == team_id, code.is_not(None))
            .group_by(code, E.stance, E.strength)
        )
        tallies: dict[str, Tally] = {}
        for hypothesis, stance, strength, count in rows:
            tally = tallies.setdefault(hypothesis, Tally({}, {}))
            (tally.supports if stance == "supports" else tally.refutes)[strength] = count
        return tallies

    async def latest_evidence(self, team_id: int, per_hypothesis: int) -> dict[str, list[EvidenceItem]]:
        """The latest pieces of evidence of each hypothesis, oldest first (ties in insertion order)."""
        code, joined = self._evidence_code(team_id)
        moment = func.coalesce(IV.completed_at, IV.started_at)
        when = self._utc(moment)
        rank = func.row_number().over(partition_by=code, order_by=(when.desc(), E.id.desc()))  # type: ignore[union-attr]
        ranked = (
            select(
                code.label("code"),
                E.interview_id,
                IV.alias,
                E.stance,
                E.strength,
                E.quote,
                moment.label("at"),
                when.label("sort_at"),
                E.id,
                rank.label("rank"),
            )
            .select_from(joined)
            .where(IV.team_id == team_id, code.is_not(None))
            .subquery()
        )
        rows = await self.execute(
            select(ranked).where(ranked.c.rank <= per_hypothesis).order_by(ranked.c.sort_at, ranked.c.id)
        )
        evidence: dict[str, list[EvidenceItem]] = defaultdict(list)
        for row in rows:
            at = aware(row.at)
            assert at is not None
            stance, strength = cast(Any, row.stance), cast(Any, row.strength)
            evidence[row.code].append(
                EvidenceItem(row.code, row.interview_id, row.alias, stance, strength, row.quote, at)
            )
        return evidence

    async def top_items(
        self, team_id: int, items: ItemFilter, merged: Mapping[str, str], limit: int
    ) -> list[ItemTally]:
        """Item groups within the first `limit` by interviewees, severity present and mean severity, ties kept."""
        item = t.Item
        targets = {key_hash(source): key_hash(target) for source, target in merged.items()}
        group = case(targets, value=item.key_hash, else_=item.key_hash) if targets else item.key_hash
        where = self._item_filter(team_id, items)
        # per (group, interview) first, then per group: both steps stream in ix_item_board's order when no
        # merge rewrites the key, where COUNT(DISTINCT interview_id) would sort every mention
        per_interview = (
            select(
                group.label("grp"),
                func.count().label("mentions"),
                func.coalesce(func.sum(item.severity), 0).label("ss"),
                func.count(item.severity).label("sn"),
            )
            .where(*where)
            .group_by(group, item.interview_id)
            .subquery()
        )
        p = per_interview.c
        grouped = (
            select(
                p.grp,
                func.count().label("people"),
                func.sum(p.mentions).label("mentions"),
                func.sum(p.ss).label("ss"),
                func.sum(p.sn).label("sn"),
            )
            .group_by(p.grp)
            .subquery()
        )
        g = grouped.c
        unranked = case((g.sn == 0, 1), else_=0)
        mean = case((g.sn == 0, 0), else_=(g.ss * 200 + g.sn) / (2 * g.sn))  # half-up to 2 places, times 100
        rank = func.rank().over(order_by=(g.people.desc(), unranked, mean.desc()))
        ranked = select(grouped, rank.label("rnk")).subquery()
        rows = (await self.execute(select(ranked).where(ranked.c.rnk <= limit))).all()
        if not rows:
            return []
        chosen = {row.grp for row in rows}
        hashes = chosen | {source for source, target in targets.items() if target in chosen}
        wordings: dict[str, list[Wording]] = defaultdict(list)
        found = await self.execute(
            select(group, item.norm_key, item.text, func.count())
            .where(*where, item.key_hash.in_(hashes))  # type: ignore[attr-defined]
            .group_by(group, item.norm_key, item.text)
        )
        for grp, key, text, count in found:
            wordings[grp].append(Wording(key, text, count))
        # PostgreSQL's SUM of integers is numeric: read as int
        return [
            ItemTally(int(row.people), int(row.mentions), int(row.ss), int(row.sn), tuple(wordings[row.grp]))
            for row in rows
        ]

    async def first_mentions(self, team_id: int, items: ItemFilter, texts: Sequence[str]) -> dict[str, str]:
        """Where the first mention of each exact text comes, oldest first (interview started_at, id, position)."""
        item = t.Item
        rows = await self.execute(
            select(item.text, func.min(self._order(item.position)))
            .join(IV, IV.id == item.interview_id)  # type: ignore[arg-type]
            .where(*self._item_filter(team_id, items), item.text.in_(texts))  # type: ignore[attr-defined]
            .group_by(item.text)
        )
        return {text: first for text, first in rows}

    def _item_filter(self, team_id: int, items: ItemFilter) -> list[Any]:
        item = t.Item
        where: list[Any] = [item.team_id == team_id, item.kind == items.kind, item.key_hash != BLANK]
        if items.min_severity is not None:
            where.append(item.severity >= items.min_severity)  # type: ignore[operator]
        if items.script is not None or items.segments is not None:
            chosen = select(IV.id).where(*self._completed(team_id))
            if items.script is not None:
                chosen = chosen.where(IV.script == items.script)
            if items.segments is not None:
                named = [s for s in items.segments if s is not None]
                either = [IV.segment.in_(named)] if named else []  # type: ignore[union-attr]
                either += [IV.segment.is_(None)] if None in items.segments else []  # type: ignore[union-attr]
                chosen = chosen.where(or_(*either)) if either else chosen.where(literal(False))
            where.append(item.interview_id.in_(chosen))  # type: ignore[attr-defined]
        return where


def _summary(row: Any, team: str, founder: str) -> InterviewSummary:
    record = InterviewRecord(
        alias=row.alias,
        segment=row.segment,
        role=row.role,
        met_via=row.met_via,
        interview_date=row.interview_date,
        quote=row.quote,
        sean_ellis=row.sean_ellis,
    )
    started = aware(row.started_at)
    assert started is not None
    status = cast(Any, row.status)
    return InterviewSummary(row.id, team, founder, row.script, status, started, aware(row.completed_at), {}, record)
