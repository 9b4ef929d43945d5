"""The team's board: phase, gate, hypotheses with tallies and the analytics, assembled from the repository."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.analytics.activity import (
    CommitmentSummary,
    Pace,
    commitments_summary,
    interviews_per_founder,
    interviews_per_week,
    pace,
)
from core.analytics.funnel import FunnelRow, sales_funnel
from core.analytics.items import RankedItem, normalize_item, top_gains, top_jobs, top_pain_share, top_pains
from core.analytics.pricing import PriceRange, PriceResponse, SeanEllis, sean_ellis, van_westendorp
from core.board.hypotheses import Hypothesis, Tally, suggested_status, tally
from core.board.phases import Gate, GateFacts, GatesConfig, default_gates, evaluate_gate, load_gates_text
from core.board.team import MemberInfo, PhaseChange, TeamProfile, TeamRepository
from core.domain import InterviewSummary
from core.transfer.export import json_number

PRICE_MINIMUM = 20
WEEKS_SHOWN = 8


@dataclass(frozen=True)
class HypothesisView:
    """A hypothesis with its tally and what the evidence suggests."""

    hypothesis: Hypothesis
    tally: Tally
    suggestion: str | None


@dataclass(frozen=True)
class Board:
    """Everything "where do we stand?" needs, computed once per request."""

    team: TeamProfile
    members: list[MemberInfo]
    gate: Gate
    hypotheses: list[HypothesisView]
    interviews: list[InterviewSummary]
    top_pains: list[RankedItem]
    top_jobs: list[RankedItem]
    top_gains: list[RankedItem]
    sean_ellis: SeanEllis
    commitments: CommitmentSummary
    pace: Pace
    prices: list[PriceRange]
    funnel: list[FunnelRow]
    per_founder: dict[str, int]
    per_week: list[tuple[int, int, int]]
    phase_changes: list[PhaseChange]


def team_zone(team: TeamProfile) -> tzinfo:
    """The team's timezone (UTC when the name is unknown)."""
    try:
        return ZoneInfo(team.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def gates_of(team: TeamProfile) -> GatesConfig:
    """The team's own gates when it set them, else the defaults."""
    if team.gates_yaml:
        return load_gates_text(team.gates_yaml, f"{team.slug} gates")
    return default_gates()


def price_responses(interviews: list[InterviewSummary]) -> list[PriceResponse]:
    """Completed interviews that answered all four Van Westendorp questions."""
    responses = []
    for interview in interviews:
        price = interview.record.price
        values = (price.too_cheap, price.bargain, price.getting_expensive, price.too_expensive)
        if interview.status == "completed" and all(value is not None for value in values):
            cheap, bargain, expensive, too_expensive = (Decimal(value) for value in values)  # type: ignore[arg-type]
            responses.append(PriceResponse(cheap, bargain, expensive, too_expensive, price.currency))
    return responses


async def load_board(repo: TeamRepository, team_id: int, now: datetime, lang: str) -> Board:
    """Read the team's data and compute its board."""
    team = await repo.team(team_id)
    interviews = await repo.interviews(team_id)
    completed = [interview for interview in interviews if interview.status == "completed"]
    merges = await repo.merges(team_id)
    hypotheses = await repo.hypotheses_full(team_id)
    zone = team_zone(team)
    prices = van_westendorp(price_responses(completed), PRICE_MINIMUM)
    ellis = sean_ellis([i.record.sean_ellis for i in completed if i.record.sean_ellis])
    commitments = commitments_summary(completed)
    funnel_logs = await repo.funnel_logs(team_id)
    facts = GateFacts(
        interviews=_interview_counts(completed, team.target_segment),
        top_pain=lambda severity: _top_pain(_problem_interviews(completed, team.target_segment), merges, severity),
        statuses_by_block=_statuses_by_block(hypotheses),
        price_answers=max((price.n for price in prices), default=0),
        sean_ellis_n=ellis.n,
        very_share=None if ellis.very_disappointed_share is None else Decimal(str(ellis.very_disappointed_share)),
        money_commitments=commitments.money_commitments,
        funnel_logged=bool(funnel_logs),
        ticked=frozenset(
            tick.split(".", 1)[1] for tick in await repo.ticks(team_id) if tick.startswith(team.phase + ".")
        ),
    )
    return Board(
        team=team,
        members=await repo.members(team_id),
        gate=evaluate_gate(team.phase, gates_of(team), facts, lang),
        hypotheses=[HypothesisView(h, tally(h.evidence), suggested_status(h)) for h in hypotheses],
        interviews=interviews,
        top_pains=top_pains(completed, merges),
        top_jobs=top_jobs(completed, merges),
        top_gains=top_gains(completed, merges),
        sean_ellis=ellis,
        commitments=commitments,
        pace=pace(completed, team.weekly_target, team.goal_total, now.astimezone(zone).date(), zone),
        prices=prices,
        funnel=sales_funnel(completed, funnel_logs),
        per_founder=interviews_per_founder(completed),
        per_week=interviews_per_week(completed, zone)[-WEEKS_SHOWN:],
        phase_changes=await repo.phase_changes(team_id),
    )


def _interview_counts(
    completed: list[InterviewSummary], target_segment: str | None
) -> dict[tuple[str | None, bool], int]:
    """Completed interviews by script (None: any), overall and in the target segment (all when none is set)."""
    target = normalize_item(target_segment) if target_segment else None
    counts: dict[tuple[str | None, bool], int] = {}
    for interview in completed:
        segment = normalize_item(interview.record.segment or "")
        in_target = target is None or segment == target
        for script in (interview.script, None):
            counts[(script, False)] = counts.get((script, False), 0) + 1
            if in_target:
                counts[(script, True)] = counts.get((script, True), 0) + 1
    return counts


def _problem_interviews(completed: list[InterviewSummary], target_segment: str | None) -> list[InterviewSummary]:
    """Discovery interviews in the target segment (every segment when none is set): the gate's "them"."""
    target = normalize_item(target_segment) if target_segment else None
    return [
        i
        for i in completed
        if i.script == "discovery" and (target is None or normalize_item(i.record.segment or "") == target)
    ]


def _top_pain(completed: list[InterviewSummary], merges: dict[str, str], severity: int) -> tuple[str | None, int, int]:
    item, _share = top_pain_share(completed, merges, severity)
    return (item.text, item.interviewees, len(completed)) if item else (None, 0, len(completed))


def _statuses_by_block(hypotheses: list[Hypothesis]) -> dict[str, list[str]]:
    statuses: dict[str, list[str]] = {}
    for hypothesis in hypotheses:
        if hypothesis.block:
            statuses.setdefault(hypothesis.block, []).append(hypothesis.status)
    return statuses


def _ranked(items: list[RankedItem], limit: int = 10) -> list[dict[str, Any]]:
    return [
        {
            "text": i.text,
            "interviewees": i.interviewees,
            "mentions": i.mentions,
            "mean_severity": json_number(i.mean_severity),
        }
        for i in items[:limit]
    ]


def board_to_dict(board: Board) -> dict[str, Any]:
    """The board as JSON data (`cusdev board --format json`)."""
    pace_now = board.pace
    return {
        "team": board.team.slug,
        "phase": board.team.phase,
        "gate": {
            "passed": board.gate.passed,
            "items": [
                {"id": i.id, "label": i.label, "progress": i.progress, "passed": i.passed} for i in board.gate.items
            ],
        },
        "hypotheses": [
            {
                "code": v.hypothesis.code,
                "block": v.hypothesis.block,
                "statement": v.hypothesis.statement,
                "criterion": v.hypothesis.criterion,
                "status": v.hypothesis.status,
                "predecessor": v.hypothesis.predecessor,
                "successor": v.hypothesis.successor,
                "supports": v.tally.supports,
                "refutes": v.tally.refutes,
                "suggested_status": v.suggestion,
            }
            for v in board.hypotheses
        ],
        "top_pains": _ranked(board.top_pains),
        "top_jobs": _ranked(board.top_jobs),
        "top_gains": _ranked(board.top_gains),
        "sean_ellis": {"n": board.sean_ellis.n, "very_disappointed_share": board.sean_ellis.very_disappointed_share},
        "commitments": {
            "by_kind": board.commitments.by_kind,
            "money_commitments": board.commitments.money_commitments,
            "money_total": [
                {"currency": c, "amount": json_number(a)} for c, a in board.commitments.money_total.items()
            ],
        },
        "pace": {
            "this_week": pace_now.this_week,
            "last_7_days": pace_now.last_7_days,
            "weekly_rate": json_number(pace_now.weekly_rate),
            "weekly_target": pace_now.weekly_target,
            "total": pace_now.total,
            "goal_total": pace_now.goal_total,
            "weeks_to_goal": pace_now.weeks_to_goal,
            "on_track": pace_now.on_track,
        },
        "price": [
            {
                "currency": p.currency,
                "n": p.n,
                "dropped": p.dropped,
                "needed": p.needed,
                "pmc": json_number(p.pmc),
                "pme": json_number(p.pme),
                "opp": json_number(p.opp),
                "ipp": json_number(p.ipp),
            }
            for p in board.prices
        ],
        "funnel": [
            {
                "segment": row.label,
                "contacted": row.contacted,
                "interviewed": row.interviewed,
                "shown": row.shown,
                "committed": row.committed,
                "paid": row.paid,
            }
            for row in board.funnel
        ],
        "interviews_per_founder": board.per_founder,
        "interviews_per_week": [
            {"year": year, "week": week, "count": count, "target": board.team.weekly_target}
            for year, week, count in board.per_week
        ],
        "phase_changes": [
            {
                "at": c.at.isoformat(),
                "from": c.from_phase,
                "to": c.to_phase,
                "by": c.by,
                "override_reason": c.override_reason,
            }
            for c in board.phase_changes
        ],
    }
