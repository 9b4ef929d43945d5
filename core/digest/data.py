"""The digest as JSON data (`cusdev digest --format json`): the same facts as the message, unworded."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from core.digest.model import Digest
from core.transfer.export import json_number


def digest_json(digest: Digest) -> dict[str, Any]:
    """The digest as JSON-ready data: numbers, codes and the user's own texts (no translated wording)."""
    board = digest.board
    pace = board.pace
    total = board.funnel[-1] if board.funnel else None
    return {
        "team": board.team.slug,
        "start": digest.start.isoformat(),
        "end": digest.end.isoformat(),
        "phase": board.team.phase,
        "gate": {
            "passed": board.gate.passed,
            "items": [
                {"id": i.id, "label": i.label, "progress": i.progress, "passed": i.passed} for i in board.gate.items
            ],
        },
        "interviews": {
            "period": digest.interviews,
            "target": digest.target,
            "total": pace.total,
            "goal_total": pace.goal_total,
            "per_founder": dict(digest.per_founder),
            "per_week": [
                {"week_of": monday.isoformat(), "count": count, "target": board.team.weekly_target}
                for monday, count in digest.weeks
            ],
        },
        "top_pains": [
            {
                "text": pain.text,
                "interviewees": pain.interviewees,
                "mean_severity": json_number(pain.mean_severity),
                "new": pain.new,
            }
            for pain in digest.pains
        ],
        "willingness_to_pay": {
            "price": [
                {
                    "currency": p.currency,
                    "n": p.n,
                    "needed": p.needed,
                    "pmc": json_number(p.pmc),
                    "pme": json_number(p.pme),
                    "opp": json_number(p.opp),
                    "ipp": json_number(p.ipp),
                }
                for p in board.prices
            ],
            "sean_ellis": {
                "n": board.sean_ellis.n,
                "very_disappointed_share": board.sean_ellis.very_disappointed_share,
            },
            "money_commitments": board.commitments.money_commitments,
            "money_total": [
                {"currency": c, "amount": json_number(a)} for c, a in board.commitments.money_total.items()
            ],
        },
        "hypotheses": {
            "status_changes": [
                {"code": c.code, "statement": c.statement, "from": c.before, "to": c.after, "at": c.at.isoformat()}
                for c in digest.status_changes
            ],
            "new_evidence": [asdict(e) for e in digest.new_evidence],
            "no_evidence_14_days": [asdict(s) for s in digest.stale],
        },
        "funnel": None
        if total is None
        else {
            "contacted": total.contacted,
            "interviewed": total.interviewed,
            "shown": total.shown,
            "committed": total.committed,
            "paid": total.paid,
        },
        "phase_override": None
        if digest.override is None
        else {
            "at": digest.override.at.isoformat(),
            "from": digest.override.from_phase,
            "to": digest.override.to_phase,
            "by": digest.override.by,
            "reason": digest.override.override_reason,
        },
        "next_step": asdict(digest.next_step),
    }
