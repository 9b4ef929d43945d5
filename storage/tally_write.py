"""Keeping the board's counts (storage.board_tables) in step: as an interview completes, when merges change, and
rebuilt whole for a team (a migration's backfill, a bulk load).

Every path reads the rows as stored (so amounts and moments are what the database holds) and counts them with
storage.tally, in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Select, Table, bindparam, case, collate, delete, select

from core.analytics.items import resolved_merges
from storage.board_tables import table
from storage.executor import Executor, aware, insert_for
from storage.tally import Done, ItemFact, Tallies, digest

BATCH = 500
IV, C, G, W = table("interview"), table("board_count"), table("board_item"), table("board_wording")
ITEM, PRICE, COMMITMENT, EVIDENCE = table("item"), table("price_answer"), table("commitment"), table("evidence")
MERGE = table("item_merge")
_MERGES = select(MERGE.c.key, MERGE.c.into).where(MERGE.c.team_id == bindparam("p_team"))


async def count_completed(execute: Executor, dialect: str, team_id: int, interview_id: str) -> None:
    """Add a just-completed interview to its team's counts (on every save: its statements are all prepared)."""
    tallies = Tallies()
    merged = resolved_merges(await read_merges(execute, team_id))
    for done in await read_done(execute, [interview_id]):
        tallies.add(done, merged)
    await write(execute, dialect, team_id, tallies)


def prepared_statements(dialect: str) -> tuple[Any, ...]:
    """What count_completed runs, for storage to execute on its fast path (storage.prepared)."""
    return (_MERGES, *(statement for _name, statement in _reads(True)), *_upserts(dialect))


async def recount_merges(
    execute: Executor, dialect: str, team_id: int, before: Mapping[str, str], after: Mapping[str, str]
) -> None:
    """Recount the item groups a change of merges touched (`before`/`after`: the merges as stored)."""
    old, new = resolved_merges(before), resolved_merges(after)
    keys = set(old) | set(new)
    moved = {key for key in keys if old.get(key, key) != new.get(key, key)}
    if not moved:
        return
    groups = {old.get(key, key) for key in moved} | {new.get(key, key) for key in moved}
    members = {key for key in keys | groups if new.get(key, key) in groups}
    await execute(delete(G).where(G.c.team_id == team_id, G.c.group_hash.in_([digest(g) for g in groups])))
    hashes = [digest(key) for key in members]
    named = select(ITEM.c.interview_id).where(ITEM.c.team_id == team_id, ITEM.c.key_hash.in_(hashes))
    ids = sorted({row[0] for row in await execute(named)})
    tallies = Tallies()
    for start in range(0, len(ids), BATCH):
        for done in await read_done(execute, ids[start : start + BATCH]):
            tallies.add_items(done, new, keep=groups.__contains__, wordings=False)
    await write(execute, dialect, team_id, tallies)


async def rebuild(execute: Executor, dialect: str, team_id: int) -> None:
    """Count every completed interview of a team afresh."""
    for counts in (C, G, W):
        await execute(delete(counts).where(counts.c.team_id == team_id))
    completed = select(IV.c.id).where(IV.c.team_id == team_id, IV.c.status == "completed").order_by(IV.c.id)
    ids = [row[0] for row in await execute(completed)]
    merged = resolved_merges(await read_merges(execute, team_id))
    tallies = Tallies()
    for start in range(0, len(ids), BATCH):
        for done in await read_done(execute, ids[start : start + BATCH]):
            tallies.add(done, merged)
    await write(execute, dialect, team_id, tallies)


async def read_merges(execute: Executor, team_id: int) -> dict[str, str]:
    """The team's merges as stored: normalized key -> key it was merged into."""
    rows = await execute(_MERGES, {"p_team": team_id})
    return {key: into for key, into in rows}


async def read_done(execute: Executor, ids: Sequence[str]) -> list[Done]:
    """These interviews as stored, with their items, price answers, commitments and evidence."""
    children: dict[str, dict[str, list[Any]]] = {interview_id: {} for interview_id in ids}
    single = len(ids) == 1
    params = {"p_id": ids[0]} if single else {"p_ids": list(ids)}
    interviews, *reads = _reads(single)
    for name, statement in reads:
        for row in await execute(statement, params):
            children[row[0]].setdefault(name, []).append(tuple(row[1:]))
    rows = await execute(interviews[1], params)
    done = []
    for interview_id, member_id, script, started, completed, segment, sean_ellis in rows:
        mine = children[interview_id]
        started_at = aware(started)
        assert started_at is not None
        prices = mine.get("prices")
        done.append(
            Done(
                id=interview_id,
                member_id=member_id,
                script=script,
                started_at=started_at,
                happened_at=aware(completed) or started_at,
                segment=segment,
                sean_ellis=sean_ellis,
                items=tuple(ItemFact(*row) for row in mine.get("items", [])),
                prices=prices[0] if prices else None,
                commitments=tuple(mine.get("commitments", [])),
                evidence=tuple(mine.get("evidence", [])),
            )
        )
    return done


async def write(execute: Executor, dialect: str, team_id: int, tallies: Tallies) -> None:
    """Add the tallies to the stored counts (rows that exist are added to, others inserted)."""
    counts, groups, wordings = _upserts(dialect)
    if tallies.counts:
        rows = [
            {"team_id": team_id, "facet": facet, "slot": slot, "value": row.value, "count": row.count,
             "first": row.first, "last": row.last}
            for (facet, slot), row in tallies.counts.items()
        ]  # fmt: skip
        await execute(counts, rows)
    if tallies.groups:
        rows = [
            {"team_id": team_id, "kind": kind, "scope": scope, "group_hash": digest(key), "group_key": key,
             "interviewees": row.interviewees, "mentions": row.mentions, "severity_sum": row.severity_sum,
             "severity_n": row.severity_n}
            for (kind, scope, key), row in tallies.groups.items()
        ]  # fmt: skip
        await execute(groups, rows)
    if tallies.wordings:
        rows = [
            {"team_id": team_id, "kind": kind, "scope": scope, "text_hash": digest(text), "key_hash": digest(row.key),
             "norm_key": row.key, "text": text, "mentions": row.mentions, "first": row.first}
            for (kind, scope, text), row in tallies.wordings.items()
        ]  # fmt: skip
        await execute(wordings, rows)


@cache
def _reads(single: bool) -> list[tuple[str, Any]]:
    """What read_done runs, built once: the interviews, then their items, prices, commitments and evidence.

    `single` reads one interview by `p_id` (a statement that can be prepared); otherwise a list by `p_ids`.
    """
    c = IV.c
    reads: list[tuple[str, Select[Any]]] = [
        ("interviews", select(c.id, c.member_id, c.script, c.started_at, c.completed_at, c.segment, c.sean_ellis))
    ]
    for name, child, columns in (
        ("items", ITEM, ("kind", "position", "text", "norm_key", "severity")),
        ("prices", PRICE, ("too_cheap", "bargain", "getting_expensive", "too_expensive", "currency")),
        ("commitments", COMMITMENT, ("kind", "currency", "amount")),
        ("evidence", EVIDENCE, ("hypothesis_id", "hypothesis_code", "stance", "strength")),
    ):
        reads.append((name, select(child.c.interview_id, *(child.c[column] for column in columns))))
    ids: BindParameter[Any] = bindparam("p_ids", expanding=True)
    return [
        (
            name,
            statement.where(
                statement.selected_columns[0] == bindparam("p_id") if single else statement.selected_columns[0].in_(ids)
            ),
        )
        for name, statement in reads
    ]


@cache
def _upserts(dialect: str) -> tuple[Any, Any, Any]:
    """The three INSERT ... ON CONFLICT statements that add to a count row, built once per dialect."""
    insert = insert_for(dialect)

    def insert_into(counts: Table) -> Any:  # named binds for every column but the id, as prepared statements need
        return insert(counts).values({c.name: bindparam(c.name, type_=c.type) for c in counts.c if c.name != "id"})

    def least(old: Any, new: Any, greatest: bool = False) -> ColumnElement[Any]:
        if dialect == "postgresql":  # bytewise, as SQLite and Python compare
            old, new = collate(old, "C"), collate(new, "C")
        wins = new > old if greatest else new < old
        return case((old.is_(None), new), (new.is_(None), old), (wins, new), else_=old)

    counts = insert_into(C)
    counts = counts.on_conflict_do_update(
        index_elements=["team_id", "facet", "slot"],
        set_={
            "count": C.c.count + counts.excluded.count,
            "first": least(C.c.first, counts.excluded.first),
            "last": least(C.c.last, counts.excluded.last, greatest=True),
        },
    )
    groups = insert_into(G)
    groups = groups.on_conflict_do_update(
        index_elements=["team_id", "kind", "scope", "group_hash"],
        set_={
            name: G.c[name] + groups.excluded[name]
            for name in ("interviewees", "mentions", "severity_sum", "severity_n")
        },
    )
    wordings = insert_into(W)
    wordings = wordings.on_conflict_do_update(
        index_elements=["team_id", "kind", "scope", "text_hash"],
        set_={
            "mentions": W.c.mentions + wordings.excluded.mentions,
            "first": least(W.c.first, wordings.excluded.first),
        },
    )
    return counts, groups, wordings
