"""The board computed from aggregates (core.board.reader.BoardSource): the same Board the analytics give on
every interview, read as counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from core.analytics.activity import (
    Pace,
    counted_commitments,
    counted_pace,
    counted_weeks,
    monday_of,
    pace_windows,
)
from core.analytics.funnel import (
    NO_SEGMENT,
    VALIDATION_SCRIPT,
    FunnelLog,
    FunnelRow,
    SegmentTally,
    counted_funnel,
    segment_key,
)
from core.analytics.items import RankedItem, display_text, item_order, normalize_item, resolved_merges, round_ratio
from core.analytics.pricing import counted_sean_ellis, counted_van_westendorp
from core.board.gate import GateFacts, evaluate_gate, interview_keys
from core.board.hypotheses import Hypothesis, Tally, suggest
from core.board.phases import Check
from core.board.reader import BoardSource, ItemFilter, ItemTally, SegmentCount
from core.board.snapshot import (
    EVIDENCE_SHOWN,
    INTERVIEWS_SHOWN,
    ITEMS_SHOWN,
    PRICE_MINIMUM,
    WEEKS_SHOWN,
    Board,
    HypothesisView,
    gates_of,
    team_zone,
)
from core.board.team import MemberInfo, TeamProfile, names


async def read_board(source: BoardSource, team_id: int, now: datetime, lang: str) -> Board:
    """Read the team's aggregates and compute its board as of `now`."""
    await source.prefetch(team_id)
    team = await source.team(team_id)
    zone = team_zone(team)
    merged = resolved_merges(await source.merges(team_id))
    counted = await source.counts(team_id)
    segments = counted.segments
    target = normalize_item(team.target_segment) if team.target_segment else None
    commitments = counted_commitments(
        ((row.kind, row.currency, row.amount, row.count) for row in counted.commitments),
        sum(row.count for row in segments if row.committed),
    )
    ellis = counted_sean_ellis(counted.sean_ellis)
    prices = counted_van_westendorp(counted.prices, PRICE_MINIMUM)
    funnel_logs = await source.funnel_logs(team_id)
    hypotheses = await _hypotheses(source, team_id, counted.evidence)
    gates = gates_of(team)
    severe = {
        severity: await _ranked(source, team_id, ItemFilter("pain", severity, target), merged, 1)
        for severity in sorted(_severities(gates.items(team.phase)))
    }
    problem_total = sum(row.count for row in segments if row.pained and _in(row.segment, target))

    def top_pain(severity: int) -> tuple[str | None, int, int]:
        ranked = severe[severity]
        return (ranked[0].text, ranked[0].interviewees, problem_total) if ranked else (None, 0, problem_total)

    funnel = await _funnel(source, team_id, segments, funnel_logs)
    facts = GateFacts(
        interviews=_interview_counts(segments, target),
        top_pain=top_pain,
        statuses_by_block=_statuses_by_block([view.hypothesis for view in hypotheses]),
        paid=funnel[-1].paid,
        conversions=tuple(conversion.share for conversion in funnel[-1].conversions),
        logged_steps=frozenset(log.step for log in funnel_logs),
        money_commitments=commitments.money_commitments,
        price_answers=max((price.n for price in prices), default=0),
        sean_ellis_n=ellis.n,
        very_share=None if ellis.very_disappointed_share is None else Decimal(str(ellis.very_disappointed_share)),
        segment_set=target is not None,
        ticked=frozenset(
            tick.split(".", 1)[1] for tick in await source.ticks(team_id) if tick.startswith(team.phase + ".")
        ),
    )
    per_week, pace = await _activity(source, team, zone, now)
    members = await source.members(team_id)
    return Board(
        team=team,
        members=members,
        gate=evaluate_gate(team.phase, gates, facts, lang),
        hypotheses=hypotheses,
        interviews=await source.latest_interviews(team_id, INTERVIEWS_SHOWN),
        top_pains=await _ranked(source, team_id, ItemFilter("pain"), merged, ITEMS_SHOWN),
        top_jobs=await _ranked(source, team_id, ItemFilter("job"), merged, ITEMS_SHOWN),
        top_gains=await _ranked(source, team_id, ItemFilter("gain"), merged, ITEMS_SHOWN),
        sean_ellis=ellis,
        commitments=commitments,
        pace=pace,
        prices=prices,
        funnel=funnel,
        per_founder=_per_founder(counted.founders, members),
        per_week=per_week,
        phase_changes=await source.phase_changes(team_id),
    )


async def _hypotheses(source: BoardSource, team_id: int, counts: Mapping[str, Tally]) -> list[HypothesisView]:
    latest = await source.latest_evidence(team_id, EVIDENCE_SHOWN)
    views = []
    for hypothesis in await source.hypothesis_list(team_id):
        counted = counts.get(hypothesis.code, Tally())
        shown = Hypothesis(
            hypothesis.code,
            hypothesis.statement,
            hypothesis.status,
            hypothesis.block,
            hypothesis.criterion,
            hypothesis.predecessor,
            hypothesis.successor,
            hypothesis.history,
            tuple(latest.get(hypothesis.code, ())),
        )
        views.append(HypothesisView(shown, counted, suggest(hypothesis.status, counted)))
    return views


def _per_founder(founders: Mapping[int, int], members: Sequence[MemberInfo]) -> dict[str, int]:
    """Completed interviews per founder name, most first (a member of another team reads as "?")."""
    named = names(members)
    counts: dict[str, int] = {}
    for member_id, count in founders.items():
        name = named.get(member_id, "?")
        counts[name] = counts.get(name, 0) + count
    return dict(sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])))


def _start(day: date, zone: tzinfo) -> datetime:
    """The first instant (UTC) whose local date in `zone` is `day`."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


async def _activity(
    source: BoardSource, team: TeamProfile, zone: tzinfo, now: datetime
) -> tuple[list[tuple[int, int, int]], Pace]:
    today = now.astimezone(zone).date()
    windows = pace_windows(today)
    counted = await source.happened(team.id, [_start(day, zone) for day in windows])
    week, last_7, last_28, total = counted.before
    pace = counted_pace(total - week, total - last_7, total - last_28, total, team.weekly_target, team.goal_total)
    if counted.first is None or counted.last is None:
        return [], pace
    first = monday_of(counted.first.astimezone(zone).date())
    last = monday_of(counted.last.astimezone(zone).date())
    shown_from = max(first, last - timedelta(weeks=WEEKS_SHOWN - 1))
    mondays = [shown_from + timedelta(weeks=n) for n in range((last - shown_from).days // 7 + 2)]
    before = (await source.happened(team.id, [_start(day, zone) for day in mondays])).before
    per_monday = {monday: before[n + 1] - before[n] for n, monday in enumerate(mondays[:-1])}
    return counted_weeks(per_monday), pace


def _in(segment: str | None, target: str | None) -> bool:
    return target is None or normalize_item(segment or "") == target


def _severities(checks: Iterable[Check]) -> set[int]:
    found: set[int] = set()
    for check in checks:
        if check.check == "top_pain":
            found.add(check.min_severity)
        found |= _severities(check.any or [])
    return found


def _interview_counts(segments: list[SegmentCount], target: str | None) -> dict[tuple[str | None, bool, bool], int]:
    """Completed interviews by script (None: any), in the target segment (all when none is set) or not, and
    recording a pain or not (see GateFacts.interviews)."""
    counts: dict[tuple[str | None, bool, bool], int] = {}
    for row in segments:
        for key in interview_keys(row.script, _in(row.segment, target), row.pained):
            counts[key] = counts.get(key, 0) + row.count
    return counts


def _segment_tallies(segments: list[SegmentCount]) -> dict[str | None, SegmentTally]:
    """One tally per exact segment."""
    steps: dict[str | None, list[int]] = {}
    for row in segments:
        counts = steps.setdefault(row.segment, [0, 0, 0])
        counts[0] += row.count
        counts[1] += row.count if row.script == "validation" else 0
        counts[2] += row.count if row.committed and row.script == VALIDATION_SCRIPT else 0
    return {segment: SegmentTally(segment, *counts) for segment, counts in steps.items()}


async def _funnel(
    source: BoardSource, team_id: int, segments: list[SegmentCount], logs: list[FunnelLog]
) -> list[FunnelRow]:
    """The funnel; where two wordings of a segment tie for its label, the one interviewed first wins."""
    tallies = _segment_tallies(segments)
    wordings: dict[str, dict[str, tuple[int, list[str]]]] = {}
    for segment, tally in tallies.items():
        key = segment_key(segment)
        if segment is not None and key != NO_SEGMENT:
            shown = display_text(segment)
            count, raws = wordings.setdefault(key, {}).get(shown, (0, []))
            weight = tally.interviewed + tally.shown + tally.committed
            wordings[key][shown] = (count + weight, [*raws, segment])
    tied = [raw for counts in wordings.values() for shown in _tied(counts) for raw in counts[shown][1]]
    firsts = await source.first_segments(team_id, tied) if tied else {}
    ordered = sorted(tallies.values(), key=lambda tally: firsts.get(tally.segment or "", ""))
    return counted_funnel(ordered, logs)


def _statuses_by_block(hypotheses: list[Hypothesis]) -> dict[str, list[str]]:
    statuses: dict[str, list[str]] = {}
    for hypothesis in hypotheses:
        if hypothesis.block:
            statuses.setdefault(hypothesis.block, []).append(hypothesis.status)
    return statuses


async def _ranked(
    source: BoardSource, team_id: int, items: ItemFilter, merged: Mapping[str, str], limit: int
) -> list[RankedItem]:
    """The first `limit` item groups in the analytics' exact order (core.analytics.items)."""
    groups = await source.top_items(team_id, items, merged, limit)
    counted = [_wordings(group) for group in groups]
    tied = [raw for counts in counted for shown in _tied(counts) for raw in counts[shown][1]]
    firsts = await source.first_mentions(team_id, items, tied) if tied else {}
    ranked = [_item(group, counts, firsts, merged) for group, counts in zip(groups, counted, strict=True)]
    return sorted(ranked, key=item_order)[:limit]


def _wordings(group: ItemTally) -> dict[str, tuple[int, list[str]]]:
    """Mentions per displayed wording, with the exact texts behind each."""
    counts: dict[str, tuple[int, list[str]]] = {}
    for wording in group.wordings:
        shown = display_text(wording.text)
        count, texts = counts.get(shown, (0, []))
        counts[shown] = (count + wording.count, [*texts, wording.text])
    return counts


def _tied(counts: dict[str, tuple[int, list[str]]]) -> list[str]:
    best = max(count for count, _texts in counts.values())
    leaders = [shown for shown, (count, _texts) in counts.items() if count == best]
    return leaders if len(leaders) > 1 else []


def _item(
    group: ItemTally, counts: dict[str, tuple[int, list[str]]], firsts: Mapping[str, str], merged: Mapping[str, str]
) -> RankedItem:
    """The group as a RankedItem: its most frequent wording, the one mentioned first on a tie."""
    leaders = _tied(counts)
    if leaders:
        text = min(leaders, key=lambda shown: min(firsts[raw] for raw in counts[shown][1]))
    else:
        text = max(counts, key=lambda shown: counts[shown][0])
    key = group.wordings[0].key
    mean = round_ratio(group.severity_sum, group.severity_n, 2) if group.severity_n else None
    return RankedItem(merged.get(key, key), text, group.interviewees, group.mentions, mean, ())
