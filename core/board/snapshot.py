"""The team's board: phase, gate, hypotheses with tallies and the analytics (computed in core.board.assemble)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from decimal import Decimal
from typing import Any

from core.analytics.activity import (
    CommitmentSummary,
    Pace,
)
from core.analytics.funnel import FunnelRow
from core.analytics.items import RankedItem
from core.analytics.pricing import PriceRange, PriceResponse, SeanEllis
from core.board.gate import Gate
from core.board.hypotheses import Hypothesis, Tally
from core.board.phases import GatesConfig, default_gates, load_gates_text
from core.board.team import MemberInfo, PhaseChange, TeamProfile
from core.domain import InterviewSummary
from core.transfer.export import json_number
from core.zones import zone_of

PRICE_MINIMUM = 20
WEEKS_SHOWN = 8
INTERVIEWS_SHOWN = 50
"""The board lists the latest 50 interviews (`/interviews` shows at most 50); everything else counts them all."""
ITEMS_SHOWN = 10
EVIDENCE_SHOWN = 20


@dataclass(frozen=True)
class HypothesisView:
    """A hypothesis with its tally and what the evidence suggests."""

    hypothesis: Hypothesis
    tally: Tally
    suggestion: str | None


@dataclass(frozen=True)
class Board:
    """Everything "where do we stand?" needs, computed once per request.

    Counts, tallies, pace, weeks, funnel and gate cover every interview; the lists are bounded so the board's
    size does not grow with the data: `interviews` holds the latest INTERVIEWS_SHOWN (oldest first, with their
    own columns but no answers or items), the top pains, jobs and gains the first ITEMS_SHOWN groups (their
    `interview_ids` empty), and each hypothesis the latest EVIDENCE_SHOWN pieces of evidence (its tally counts all).
    `per_week` holds the last WEEKS_SHOWN weeks up to the last active one.
    """

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
    return zone_of(team.timezone)


def gates_of(team: TeamProfile) -> GatesConfig:
    """The team's own gates when it set them, else the defaults."""
    if team.gates_yaml:
        return load_gates_text(team.gates_yaml, f"{team.slug} gates", stored=True)
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
