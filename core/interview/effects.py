"""What a step asks storage to record, applied in the same transaction as the new state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.domain import InterviewRecord, InterviewStatus


@dataclass(frozen=True)
class InterviewStarted:
    """A new interview was opened with a script."""

    interview_id: str
    script_id: str
    script_version: int
    lang: str
    at: datetime


@dataclass(frozen=True)
class AnswerSaved:
    """An answer was given or changed (lists are saved whole)."""

    interview_id: str
    question_id: str
    value: Any
    flags: tuple[str, ...]
    at: datetime


@dataclass(frozen=True)
class AnswerRemoved:
    """An answer was withdrawn, e.g. a list being re-entered from the summary."""

    interview_id: str
    question_id: str


@dataclass(frozen=True)
class InterviewStatusChanged:
    """Paused, resumed or cancelled."""

    interview_id: str
    status: InterviewStatus
    at: datetime


@dataclass(frozen=True)
class InterviewCompleted:
    """Saved from the summary: the structured record is written."""

    interview_id: str
    record: InterviewRecord
    at: datetime


Effect = InterviewStarted | AnswerSaved | AnswerRemoved | InterviewStatusChanged | InterviewCompleted
