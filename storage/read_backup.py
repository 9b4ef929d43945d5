"""What a backup carries beyond interviews: team settings, people and roles, logs, hypothesis links and history."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, cast

from sqlalchemy import select
from sqlmodel import col

from core.analytics.funnel import FunnelLog
from core.app.export_data import HypothesisInfo, Logged, Person, TeamInfo
from core.board.hypotheses import HypothesisEvent
from core.board.team import PhaseChange
from core.reminders.ports import ReminderSettings
from storage import tables as t
from storage.executor import Executor, aware
from storage.membership_repo import profile
from storage.reminder_repo import SETTING_COLUMNS, reminder_settings


def _at(value: Any) -> Any:
    moment = aware(value)
    assert moment is not None
    return moment


async def read_teams(execute: Executor, teams: list[Any], members: list[Any]) -> list[TeamInfo]:
    """Each team row with its settings, people (roles and accounts), phase changes, funnel logs, merges and ticks."""
    ids = [row.id for row in teams]
    by_team: dict[str, dict[int, list[Any]]] = {}
    for name, table in (
        ("phases", t.PhaseChangeRow),
        ("funnel", t.FunnelLogRow),
        ("merges", t.ItemMerge),
        ("ticks", t.GateTick),
    ):
        found: dict[int, list[Any]] = defaultdict(list)
        for row in await execute(select(table).where(col(table.team_id).in_(ids)).order_by(col(table.id))):
            found[row.team_id].append(row)
        by_team[name] = found
    people: dict[int, list[Any]] = defaultdict(list)
    for member in members:
        people[member.team_id].append(member)
    reminders = await _reminders(execute, [member.id for member in members])
    return [
        TeamInfo(
            row.id,
            row.slug,
            row.name,
            tuple(m.display_name for m in people[row.id]),
            profile=profile(row),
            people=tuple(
                Person(m.display_name, m.role, m.platform, m.user_key, reminders.get(m.id)) for m in people[row.id]
            ),
            phase_changes=tuple(
                PhaseChange(_at(p.at), p.from_phase, p.to_phase, p.by_name, p.override_reason)
                for p in by_team["phases"][row.id]
            ),
            funnel_logs=tuple(
                Logged(FunnelLog(cast(Any, f.step), f.count, f.segment, _at(f.at)), f.by_name, _at(f.at))
                for f in by_team["funnel"][row.id]
            ),
            merges=tuple(Logged((m.key, m.into), m.by_name, _at(m.at)) for m in by_team["merges"][row.id]),
            ticks=tuple(Logged((g.phase, g.item), g.by_name, _at(g.at)) for g in by_team["ticks"][row.id]),
        )
        for row in teams
    ]


async def _reminders(execute: Executor, member_ids: list[int]) -> dict[int, ReminderSettings]:
    """The reminder settings of those members who ever set any."""
    if not member_ids:
        return {}
    member = col(t.ReminderSetting.member_id)
    rows = await execute(select(member, *SETTING_COLUMNS).where(member.in_(member_ids)))
    return {member: reminder_settings(*values) for member, *values in rows}


async def read_hypotheses(execute: Executor, team_ids: list[int], slugs: dict[int, str]) -> list[HypothesisInfo]:
    """The teams' hypotheses by number, with their pivot links and whole history."""
    rows = (
        await execute(
            select(t.Hypothesis)
            .where(col(t.Hypothesis.team_id).in_(team_ids))
            .order_by(col(t.Hypothesis.team_id), col(t.Hypothesis.number), col(t.Hypothesis.id))
        )
    ).all()
    codes = {row.id: row.code for row in rows}
    history: dict[int, list[HypothesisEvent]] = defaultdict(list)
    if codes:
        events = await execute(
            select(t.HypothesisEvent)
            .where(col(t.HypothesisEvent.hypothesis_id).in_(list(codes)))
            .order_by(col(t.HypothesisEvent.at), col(t.HypothesisEvent.id))
        )
        for e in events:
            history[e.hypothesis_id].append(
                HypothesisEvent(_at(e.at), cast(Any, e.kind), e.by_name, e.status, e.reason, e.successor_code)
            )
    return [
        HypothesisInfo(
            slugs[h.team_id],
            h.code,
            h.statement,
            h.status,
            h.block,
            h.criterion,
            predecessor=codes.get(h.predecessor_id),
            successor=codes.get(h.successor_id),
            created_at=aware(h.created_at),
            history=tuple(history[h.id]),
        )
        for h in rows
    ]
