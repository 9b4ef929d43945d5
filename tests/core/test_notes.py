"""The Markdown notes: stories keep their lines as quotes, user text stays text, an unknown script keeps its answers."""

from __future__ import annotations

from datetime import UTC, datetime

from core.app.export_data import ExportData
from core.domain import InterviewRecord, InterviewSummary, PriceAnswers
from core.scripts.catalog import builtin_scripts
from core.transfer.notes import to_markdown

START = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def interview(script: str, answers: dict[str, object], record: InterviewRecord | None = None) -> InterviewSummary:
    record = record or InterviewRecord()
    return InterviewSummary("i1", "acme", "Ann", script, "completed", START, START, answers, record)


def test_a_story_keeps_its_lines_as_a_quote_and_markup_stays_text() -> None:
    answers = {"alias": "*Bo*", "last_time": "Last Tuesday I # phoned\n\nthen gave up", "current_solution": "[x](y)"}
    notes = to_markdown(ExportData(interviews=[interview("discovery", answers)]), "en", builtin_scripts())
    assert "> Last Tuesday I \\# phoned\n>\n> then gave up" in notes
    assert "\\*Bo\\*" in notes and "\\[x\\](y)" in notes


def test_an_interview_of_a_script_not_loaded_keeps_its_record_and_every_answer() -> None:
    record = InterviewRecord(alias="Ola", price=PriceAnswers(too_cheap=None, bargain=None, spends_now=None))
    answers = {"alias": "Ola", "blockers": "IT review", "seats": [{"n": 3}]}
    notes = to_markdown(ExportData(interviews=[interview("gone", answers, record)]), "en", builtin_scripts())
    assert "*Team: acme · Founder: Ann · Script: gone · 2026-11-20 · completed*" in notes
    assert "**blockers**\n\nIT review" in notes and '**seats**\n\n\\[{"n": 3}\\]' in notes
