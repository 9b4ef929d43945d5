"""`/search` replies: page buttons that carry the words, and what to type when the words are too long for one."""

from __future__ import annotations

from datetime import UTC, datetime

from core.board.search import InterviewHit, InterviewHits
from core.board.search_views import search_reply
from core.domain import InterviewRecord, InterviewSummary
from core.interview.payloads import SearchPage, decode

AT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
LEE = InterviewSummary(
    "iv-1", "acme", "Anna", "quick", "completed", AT, AT, {}, InterviewRecord(alias="Lee", segment="Agencies")
)
PAGE = InterviewHits([InterviewHit(LEE, "Patients miss their booking")], more=7)


def test_a_middle_page_has_previous_and_next_and_turns_in_place() -> None:
    reply = search_reply(PAGE, "Booking", ("booking",), 2, "en")
    assert [(b.label, decode(b.payload)) for b in reply.actions] == [
        ("‹ Previous", (0, SearchPage(1, "booking"))),
        ("Next ›", (0, SearchPage(3, "booking"))),
    ]
    assert reply.replaces_prompt and "7 more interviews." in reply.plain_text
    assert "/search page" not in reply.plain_text  # the button says it; nothing to type


def test_words_too_long_for_a_button_say_what_to_type_instead() -> None:
    words = tuple(f"word{n}" for n in range(10))
    reply = search_reply(PAGE, " ".join(words), words, 1, "en")
    assert reply.actions == ()
    assert f"Next: /search page 2 {' '.join(words)}" in reply.plain_text


def test_russian_words_page_too() -> None:
    reply = search_reply(PAGE, "записи", ("записи",), 1, "ru")
    [forward] = reply.actions
    assert decode(forward.payload) == (0, SearchPage(2, "записи")) and forward.label != "Next ›"
