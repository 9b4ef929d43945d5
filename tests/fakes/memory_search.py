"""core.board.team.TeamRepository.find_interviews over in-memory rows: every word must start a word of the text.

The text is the one SQL indexes (core.board.search.document; answers in question order, as SQL reads answers saved
at one moment); core.board.search.matches stands in for stemming, so the contract test uses words both agree on.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from core.board.search import (
    COUNT_CAP,
    InterviewHit,
    InterviewHits,
    InterviewQuery,
    document,
    matches,
    record_texts,
    remaining,
    text_words,
)
from core.domain import SURVEY_SCRIPT, InterviewRecord, InterviewSummary
from tests.fakes.memory_rows import InterviewRow, Rows


def find_in_rows(rows: Rows, team_id: int, query: InterviewQuery, limit: int, offset: int = 0) -> InterviewHits:
    """A page of the team's interviews the query finds, newest first, and how many more (up to COUNT_CAP)."""
    found: list[InterviewHit] = []
    for row in rows.interviews.values():
        if row.team_id != team_id or row.script == SURVEY_SCRIPT or not _kept(row, query):
            continue
        text = ""
        if query.terms:
            if row.status != "completed":
                continue
            record = row.record
            text = document(
                record.alias,
                record.segment,
                record.role,
                [*record_texts(record), *(row.answers[key] for key in sorted(row.answers))],
            )
            words = text_words(text)
            if not all(any(matches(word, (term,)) for word in words) for term in query.terms):
                continue
        found.append(InterviewHit(_summary(row, rows), text))
    found.sort(key=lambda hit: (hit.interview.started_at, hit.interview.id), reverse=True)
    page = found[offset : offset + limit]
    more = remaining(min(len(found), COUNT_CAP + 1), offset, len(page)) if len(page) == limit else 0
    return InterviewHits(page, more)


def _kept(row: InterviewRow, query: InterviewQuery) -> bool:
    if query.member_ids is not None and row.member_id not in query.member_ids:
        return False
    if query.since is not None:
        day = row.record.interview_date
        if day is not None and day < query.since:
            return False
        if day is None and row.started_at < datetime.combine(query.since, time(), UTC):
            return False
    if query.segment is not None:
        wanted = " ".join(query.segment.casefold().split())
        if row.record.segment is None or wanted not in " ".join(row.record.segment.casefold().split()):
            return False
    return True


def _summary(row: InterviewRow, rows: Rows) -> InterviewSummary:
    """The interview as SQL finds it: its own columns only (no answers, items or evidence)."""
    member = rows.members.get(row.member_id)
    founder = member.name if member is not None and member.team_id == row.team_id else "?"
    own = row.record
    record = InterviewRecord(
        alias=own.alias,
        segment=own.segment,
        role=own.role,
        met_via=own.met_via,
        interview_date=own.interview_date,
        quote=own.quote,
        sean_ellis=own.sean_ellis,
    )
    status = row.status
    team = rows.teams[row.team_id].slug
    return InterviewSummary(row.id, team, founder, row.script, status, row.started_at, row.completed_at, {}, record)  # type: ignore[arg-type]
