"""An interview row as the lists show it (the latest interviews on the board, search hits)."""

from __future__ import annotations

from typing import Any, cast

from core.domain import InterviewRecord, InterviewSummary
from storage.executor import aware


def listed_summary(row: Any) -> InterviewSummary:
    """An interview as a list shows it: its own columns, the team's slug and the founder's name from the row ("?"
    for a member of another team)."""
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
    status, founder = cast(Any, row.status), "?" if row.founder is None else row.founder
    return InterviewSummary(row.id, row.slug, founder, row.script, status, started, aware(row.completed_at), {}, record)
