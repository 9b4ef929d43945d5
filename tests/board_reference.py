"""The board as it was computed before the read side: every interview loaded, the analytics run in Python.

Kept as the reference the SQL board must equal (tests) and as the "before" of bench/board.py.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from core.analytics.activity import commitments_summary, interviews_per_founder, interviews_per_week, pace
from core.analytics.funnel import sales_funnel
from core.analytics.items import normalize_item, top_gains, top_jobs, top_pain_share, top_pains
from core.analytics.pricing import sean_ellis, van_westendorp
from core.app.ports import UnitOfWork
from core.board.gate import GateFacts, evaluate_gate, interview_keys
from core.board.hypotheses import Hypothesis, suggested_status, tally
from core.board.snapshot import PRICE_MINIMUM, WEEKS_SHOWN, Board, HypothesisView, gates_of, price_responses, team_zone
from core.domain import InterviewSummary, is_interview


async def reference_board(uow: UnitOfWork, team_id: int, now: datetime, lang: str) -> Board:
    """Read every interview of the team and compute its board in Python (the old load_board)."""
    repo = uow.teams
    team = await repo.team(team_id)
    interviews = await uow.interviews.summaries(team_id)
    completed = [interview for interview in interviews if interview.status == "completed"]
    merges = await repo.merges(team_id)
    hypotheses = await uow.hypotheses.all(team_id)
    zone = team_zone(team)
    prices = van_westendorp(price_responses(completed), PRICE_MINIMUM)
    ellis = sean_ellis([i.record.sean_ellis for i in completed if i.record.sean_ellis])
    commitments = commitments_summary(completed)
    funnel_logs = await repo.funnel_logs(team_id)
    target = normalize_item(team.target_segment) if team.target_segment else None
    problem = [i for i in completed if i.record.pains and _in_target(i, target)]

    def top_pain(severity: int) -> tuple[str | None, int, int]:
        item, _share = top_pain_share(problem, merges, severity)
        return (item.text, item.interviewees, len(problem)) if item else (None, 0, len(problem))

    funnel = sales_funnel(completed, funnel_logs)
    facts = GateFacts(
        interviews=_interview_counts(completed, target),
        segment_set=target is not None,
        top_pain=top_pain,
        statuses_by_block=_statuses_by_block(hypotheses),
        paid=sum(log.count for log in funnel_logs if log.step == "paid"),
        conversions=tuple(conversion.share for conversion in funnel[-1].conversions),
        logged_steps=frozenset(log.step for log in funnel_logs),
        money_commitments=commitments.money_commitments,
        price_answers=max((price.n for price in prices), default=0),
        sean_ellis_n=ellis.n,
        very_share=None if ellis.very_disappointed_share is None else Decimal(str(ellis.very_disappointed_share)),
        ticked=frozenset(
            tick.split(".", 1)[1] for tick in await repo.ticks(team_id) if tick.startswith(team.phase + ".")
        ),
    )
    return Board(
        team=team,
        members=await repo.members(team_id),
        gate=evaluate_gate(team.phase, gates_of(team), facts, lang),
        hypotheses=[HypothesisView(h, tally(h.evidence), suggested_status(h)) for h in hypotheses],
        interviews=[interview for interview in interviews if is_interview(interview.script)],
        top_pains=top_pains(completed, merges),
        top_jobs=top_jobs(completed, merges),
        top_gains=top_gains(completed, merges),
        sean_ellis=ellis,
        commitments=commitments,
        pace=pace(completed, team.weekly_target, team.goal_total, now.astimezone(zone).date(), zone),
        prices=prices,
        funnel=funnel,
        per_founder=interviews_per_founder(completed),
        per_week=interviews_per_week(completed, zone)[-WEEKS_SHOWN:],
        phase_changes=await repo.phase_changes(team_id),
    )


def _in_target(interview: InterviewSummary, target: str | None) -> bool:
    return target is None or normalize_item(interview.record.segment or "") == target


def _interview_counts(
    completed: list[InterviewSummary], target: str | None
) -> dict[tuple[str | None, bool, bool], int]:
    counts: dict[tuple[str | None, bool, bool], int] = {}
    for interview in completed:
        if not is_interview(interview.script):
            continue
        for key in interview_keys(interview.script, _in_target(interview, target), bool(interview.record.pains)):
            counts[key] = counts.get(key, 0) + 1
    return counts


def _statuses_by_block(hypotheses: list[Hypothesis]) -> dict[str, list[str]]:
    statuses: dict[str, list[str]] = {}
    for hypothesis in hypotheses:
        if hypothesis.block:
            statuses.setdefault(hypothesis.block, []).append(hypothesis.status)
    return statuses
