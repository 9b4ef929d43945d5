"""The board's per-team counts (board_count rows, kept by storage.tally_write) read as core.board.reader types.

Each method reads one facet: a bounded number of rows (founders, segment wordings, answers, price sets, days),
whatever the number of interviews.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Text, bindparam, cast, func, select, union_all

from core.analytics.pricing import PriceCounts
from core.board.hypotheses import Tally
from core.board.reader import CommitmentCount, HappenedCounts, SegmentCount, TeamCounts
from storage.board_tables import table
from storage.executor import aware
from storage.tally import day_slot, quarter_slot

if TYPE_CHECKING:
    from storage.executor import Executor

C, IV = table("board_count").c, table("interview").c
_MINE = C.team_id == bindparam("p_team")
SMALL_FACETS = ("founder", "segment", "ellis", "commitment", "price", "price_drop", "evidence")
"""The facets bounded by a team's vocabulary (the time facets grow by a row a day and are read by range)."""
_FACETS = select(C.facet, cast(C.value, Text), C["count"], C.first).where(
    _MINE, C.facet.in_(bindparam("p_facets", expanding=True))
)


@cache
def _happened_statement(bounds: int) -> Any:
    """The total row, day rows after the earliest bound's day, and each bound's own day by quarter hour from it:
    one index range each, joined by UNION ALL (an OR of ranges made SQLite gather row ids first)."""
    columns = (C.facet, C.slot, C["count"], C.first, C.last)
    parts = [
        select(*columns).where(_MINE, C.facet == "total", C.slot == ""),
        select(*columns).where(_MINE, C.facet == "day", C.slot > bindparam("p_day")),
    ]
    parts += [
        select(*columns).where(
            _MINE, C.facet == "quarter", C.slot >= bindparam(f"p_from_{n}"), C.slot < bindparam(f"p_to_{n}")
        )
        for n in range(bounds)
    ]
    return union_all(*parts)


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.strptime(text, "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=UTC)


Rows = list[tuple[Any, int, str | None]]
"""A facet's rows: (value, count, first)."""
Pairs = dict[tuple[int | None, str], tuple[str, list[tuple[str, str, int]]]]
"""Evidence by (hypothesis id, code) as saved: the team hypothesis code it counts for, and its counts by stance and
strength."""


class BoardCounts:
    """Reads one team's board_count facets; mixed into storage.board_query.BoardQuery."""

    execute: Executor
    dialect: str

    async def _facets(self, team_id: int, names: Sequence[str]) -> dict[str, Rows]:
        """Some small facets' rows, in one statement."""
        rows = (await self.execute(_FACETS, {"p_team": team_id, "p_facets": list(names)})).all()
        values = json.loads("[" + ",".join(row[1] for row in rows) + "]")  # one parse, not one per row
        facets: dict[str, Rows] = {name: [] for name in names}
        for value, (name, _value, count, first) in zip(values, rows, strict=True):
            facets[name].append((value, count, first))
        return facets

    async def counts(self, team_id: int) -> TeamCounts:
        """Everything the board counts by segment, founder, answer, commitment, price and evidence."""
        facets = await self._facets(team_id, SMALL_FACETS)
        tallies: dict[str, Tally] = {}
        for owner, counted in (await self._pairs(team_id, facets["evidence"])).values():
            tally = tallies.setdefault(owner, Tally({}, {}))
            for stance, strength, count in counted:
                side = tally.supports if stance == "supports" else tally.refutes
                side[strength] = side.get(strength, 0) + count
        return TeamCounts(
            segments=[
                SegmentCount(segment, script, committed, pained, n)
                for (segment, script, committed, pained), n, _ in facets["segment"]
            ],
            founders={member_id: n for (member_id,), n, _first in facets["founder"]},
            sean_ellis={answer: n for (answer,), n, _first in facets["ellis"]},
            commitments=[
                CommitmentCount(kind, currency, _decimal(amount), n)
                for (kind, currency, amount), n, _first in facets["commitment"]
            ],
            prices=_prices(facets["price"], facets["price_drop"]),
            evidence=tallies,
        )

    async def first_segments(self, team_id: int, segments: Sequence[str]) -> dict[str, str]:
        """Where the first completed interview with each of these exact segments comes, oldest first."""
        wanted = set(segments)
        firsts: dict[str, str] = {}
        for (segment, *_flags), _count, first in (await self._facets(team_id, ["segment"]))["segment"]:
            if segment in wanted and first is not None:
                firsts[segment] = min(firsts.get(segment, first), first)
        return firsts

    async def evidence_pairs(self, team_id: int) -> Pairs:
        """Evidence by (hypothesis id, code) as saved, rows of no hypothesis of the team left out."""
        return await self._pairs(team_id, (await self._facets(team_id, ["evidence"]))["evidence"])

    async def _pairs(self, team_id: int, rows: Rows) -> Pairs:
        """Each evidence row's hypothesis: the team's one with its id, else the team's one with its code."""
        h = table("hypothesis").c
        found = await self.execute(select(h.id, h.code).where(h.team_id == team_id))
        ids: dict[int, str] = {hypothesis_id: code for hypothesis_id, code in found}
        codes = set(ids.values())
        pairs: Pairs = {}
        for (hypothesis_id, code, stance, strength), count, _first in rows:
            owner = ids.get(hypothesis_id, code if code in codes else None)
            if owner is not None:
                pairs.setdefault((hypothesis_id, code), (owner, []))[1].append((stance, strength, count))
        return pairs

    async def happened(self, team_id: int, bounds: Sequence[datetime]) -> HappenedCounts:
        """Completed interviews: how many, first and last moment, and how many before each bound.

        Read in one statement from the team's total and, for each bound, the later days and its own day by quarter
        hour (UTC); a bound off the quarter hour (no zone has used one since 1979) is counted exactly.
        """
        days = [day_slot(bound) for bound in bounds]
        params: dict[str, Any] = {"p_team": team_id, "p_day": min(days, default="~")}
        for n, (bound, day) in enumerate(zip(bounds, days, strict=True)):
            params |= {f"p_from_{n}": quarter_slot(bound), f"p_to_{n}": day + "~"}
        rows = (await self.execute(_happened_statement(len(bounds)), params)).all()
        found = {(facet, slot): (count, first, last) for facet, slot, count, first, last in rows}
        if ("total", "") not in found:
            return HappenedCounts(0, None, None, tuple(0 for _ in bounds))
        total, first, last = found.pop(("total", ""))
        counts = []
        for bound, day in zip(bounds, days, strict=True):
            quarter = quarter_slot(bound)
            later = sum(n for (facet, slot), (n, _f, _l) in found.items() if facet == "day" and slot > day)
            same_day = sum(
                n for (facet, slot), (n, _f, _l) in found.items() if facet == "quarter" and quarter <= slot < day + "~"
            )
            counts.append(total - later - same_day + await self._before_in_quarter(team_id, bound))
        return HappenedCounts(total, _moment(first), _moment(last), tuple(counts))

    async def _before_in_quarter(self, team_id: int, bound: datetime) -> int:
        """Completed interviews in the bound's quarter hour but before it (0 when the bound starts the quarter)."""
        start = datetime.strptime(quarter_slot(bound), "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
        if start == bound:
            return 0
        moment = func.coalesce(IV.completed_at, IV.started_at)
        rows = await self.execute(select(moment).where(IV.team_id == team_id, IV.status == "completed"))
        moments = [at for (at,) in rows if (value := aware(at)) is not None and start <= value < bound]
        return len(moments)


def _prices(answers: Rows, drops: Rows) -> list[PriceCounts]:
    """Van Westendorp answers per currency: kept ones by question and price, and drops."""
    questions: dict[str | None, list[dict[Decimal, int]]] = {}
    dropped: dict[str | None, int] = {}
    for (currency, question, amount), count, _first in answers:
        questions.setdefault(currency, [{}, {}, {}, {}])[question][Decimal(amount)] = count
    for (currency,), count, _first in drops:
        dropped[currency] = count
    counted = []
    for currency in {**questions, **dropped}:
        cheap, bargain, expensive, too_expensive = questions.get(currency, [{}, {}, {}, {}])
        counted.append(PriceCounts(currency, cheap, bargain, expensive, too_expensive, dropped.get(currency, 0)))
    return counted
