"""Top item groups from board_item / board_wording (kept by storage.tally_write): the first groups by
interviewees read from an index, then only their wordings, so the cost is the top's, not the vocabulary's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Select, Text, any_, bindparam, cast, func, literal, null, select, union_all

from core.analytics.items import round_ratio
from core.board.reader import ItemFilter, ItemTally, Wording
from storage.board_tables import table
from storage.tally import digest, scope_of

if TYPE_CHECKING:
    from storage.executor import Executor

G, W = table("board_item").c, table("board_wording").c


def _scope(items: ItemFilter) -> str:
    return scope_of(items.min_severity, items.segment_key)


def _rank_key(row: Any) -> tuple[int, int, Decimal]:
    mean = round_ratio(row.severity_sum, row.severity_n, 2) if row.severity_n else Decimal(0)
    return (-row.interviewees, 0 if row.severity_n else 1, -mean)


def _among(column: ColumnElement[Any], chosen: Select[Any], dialect: str) -> ColumnElement[bool]:
    """`column IN (chosen)`; on PostgreSQL as `= ANY(ARRAY(chosen))`, looked up by index: as a semi-join it hashed
    every wording of the scope, a cost that grows with the team's vocabulary."""
    if dialect == "postgresql":
        return column == any_(func.array(chosen.scalar_subquery()))
    return column.in_(chosen)


@cache
def _top_statement(dialect: str) -> Any:
    """Group rows ("g") ranked within a limit, and wording rows ("w": the mentions in `interviewees`)."""
    mine = (G.team_id == bindparam("p_team"), G.kind == bindparam("p_kind"), G.scope == bindparam("p_scope"))
    cut = select(G.interviewees).where(*mine).order_by(G.interviewees.desc()).offset(bindparam("p_skip")).limit(1)
    ranked = (*mine, G.interviewees >= func.coalesce(cut.scalar_subquery(), 0))
    groups = select(
        literal("g").label("row"),
        G.group_key.label("key"),
        cast(null(), Text).label("text"),
        G.interviewees,
        G.mentions,
        G.severity_sum,
        G.severity_n,
    ).where(*ranked)
    words = (W.team_id == bindparam("p_team"), W.kind == bindparam("p_kind"), W.scope == bindparam("p_scope"))
    zero = literal(0)

    def wording_rows(*where: Any) -> Any:
        return select(literal("w"), W.norm_key, W.text, W.mentions, zero, zero, zero).where(*words, *where)

    return union_all(
        groups,
        wording_rows(_among(W.key_hash, select(G.group_hash).where(*ranked), dialect)),
        wording_rows(W.key_hash.in_(bindparam("p_sources", expanding=True))),
    )


class BoardItems:
    """Reads one team's item groups; mixed into storage.board_query.BoardQuery."""

    execute: Executor
    dialect: str

    async def top_items(
        self, team_id: int, items: ItemFilter, merged: Mapping[str, str], limit: int
    ) -> list[ItemTally]:
        """Item groups within the first `limit` by interviewees, severity present and mean severity, ties kept.

        One statement: the groups with at least as many interviewees as the limit-th (read from ix_board_item_rank),
        the wordings of their keys, and those of every key merged into another (few: merges are typed by hand).
        """
        if limit <= 0:
            return []
        sources = [digest(key) for key, into in merged.items() if key != into]
        params = {"p_team": team_id, "p_kind": items.kind, "p_scope": _scope(items), "p_skip": limit - 1}
        rows = (await self.execute(_top_statement(self.dialect), {**params, "p_sources": sources})).all()
        groups = sorted((row for row in rows if row.row == "g"), key=_rank_key)
        chosen = [row for n, row in enumerate(groups) if n < limit or _rank_key(row) == _rank_key(groups[limit - 1])]
        wordings: dict[str, dict[str, Wording]] = {row.key: {} for row in chosen}
        for row in rows:
            group = wordings.get(merged.get(row.key, row.key))
            if row.row == "w" and group is not None:
                group[row.text] = Wording(row.key, row.text, row.interviewees)
        return [
            ItemTally(
                row.interviewees, row.mentions, row.severity_sum, row.severity_n, tuple(wordings[row.key].values())
            )
            for row in chosen
        ]

    async def first_mentions(self, team_id: int, items: ItemFilter, texts: Sequence[str]) -> dict[str, str]:
        """Where the first mention of each exact text comes, oldest first (interview started_at, id, position)."""
        rows = await self.execute(
            select(W.text, W.first).where(
                W.team_id == team_id,
                W.kind == items.kind,
                W.scope == _scope(items),
                W.text_hash.in_([digest(text) for text in texts]),
            )
        )
        return {text: first for text, first in rows}
