"""Buttons where a founder expects them: Today and Yesterday, the team's segments and pains, Resume and Cancel."""

from __future__ import annotations

from datetime import date

from core.i18n import gettext_for
from core.interview.answers import display
from core.interview.effects import InterviewStatusChanged
from core.interview.offers import Suggestions, format_day
from core.scripts.model import Script
from tests.core.conftest import NOW, Conversation

TEAM = Suggestions(segments=("Dental clinics", "Vets"), pains=("Re-booking patients by hand", "No-shows"))


def discovery_at_date(scripts: dict[str, Script], lang: str = "en") -> Conversation:
    convo = Conversation(scripts, lang=lang)
    convo.suggestions = TEAM
    convo.start("discovery")
    while convo.question != "interview_date":
        if convo.question == "segment":
            convo.send("Clinic owners")
        elif any(code.startswith("o:") for code in convo.codes):
            convo.tap(next(code for code in convo.codes if code.startswith("o:")))
        else:
            convo.press("Skip") if "Skip" in convo.labels else convo.send("Anna")
    return convo


def test_the_date_question_offers_today_and_yesterday_and_echoes_the_day(scripts: dict[str, Script]) -> None:
    convo = discovery_at_date(scripts)
    assert convo.reply.flat_choices()[0].label == "Today" and convo.reply.flat_choices()[1].label == "Yesterday"
    convo.press("Yesterday")
    assert convo.answers["interview_date"] == "2026-11-21"
    assert "Noted: Sat, 21 Nov 2026." in convo.text


def test_the_number_of_a_date_button_picks_it_as_the_console_lists_it(scripts: dict[str, Script]) -> None:
    convo = discovery_at_date(scripts)
    convo.send("2")  # the console shows "1. Today  2. Yesterday"
    assert convo.answers["interview_date"] == "2026-11-21"
    assert "Noted: Sat, 21 Nov 2026." in convo.text


def test_a_typed_date_is_echoed_back_in_the_founders_language(scripts: dict[str, Script]) -> None:
    convo = discovery_at_date(scripts, lang="ru")
    convo.send("в пятницу")
    assert convo.answers["interview_date"] == "2026-11-20"
    assert gettext_for("ru")("Noted: {day}.").format(day="пт, 20 ноября 2026") in convo.text
    assert format_day(date(2026, 11, 20), "en") == "Fri, 20 Nov 2026"


def test_a_today_button_pressed_after_midnight_keeps_its_day(scripts: dict[str, Script]) -> None:
    convo = discovery_at_date(scripts)
    today = convo.reply.flat_choices()[0]
    convo.now = NOW.replace(day=23, hour=0, minute=1)
    convo.payload(today.payload)
    assert convo.answers["interview_date"] == "2026-11-22"


def test_the_segment_question_offers_the_teams_segments_and_something_else(scripts: dict[str, Script]) -> None:
    convo = Conversation(scripts)
    convo.suggestions = TEAM
    convo.start("quick")
    convo.send("Anna")
    assert [c.label for c in convo.reply.flat_choices()] == ["Dental clinics", "Vets", "✏️ Something else"]
    convo.press("✏️ Something else")
    assert "Type it in your own words." in convo.text and convo.question == "segment"
    assert not {"Dental clinics", "Vets", "✏️ Something else"} & {c.label for c in convo.reply.flat_choices()}
    convo.send("vets")  # typed as one of the team's segments, it groups with it
    assert convo.answers["segment"] == "Vets"
    assert [c.label for c in convo.reply.flat_choices()][:2] == list(TEAM.pains)  # the pain's text offers top pains
    convo.send("2")  # a number picks the offered answer, as on a plain-text screen
    assert convo.answers["pains"] == [{"text": "No-shows"}]


def test_a_typed_segment_is_still_the_answer_and_no_team_means_no_buttons(scripts: dict[str, Script]) -> None:
    convo = Conversation(scripts)
    convo.suggestions = TEAM
    convo.start("quick")
    convo.send("Anna")
    convo.send("Dental clinics in Berlin")
    assert convo.answers["segment"] == "Dental clinics in Berlin"
    fresh = Conversation(scripts)
    fresh.suggestions = Suggestions()
    fresh.start("quick")
    fresh.send("Anna")
    assert fresh.reply.flat_choices() == []


def test_a_step_that_would_offer_answers_asks_for_them_when_it_has_none(scripts: dict[str, Script]) -> None:
    convo = Conversation(scripts)
    convo.start("quick")
    result = convo.send("Anna")
    assert result.needs_suggestions and convo.question == "segment"


def test_the_paused_message_offers_resume_and_cancel(scripts: dict[str, Script]) -> None:
    convo = Conversation(scripts)
    convo.start("quick")
    convo.send("Anna")
    convo.send("/pause")
    assert [c.label for c in convo.reply.flat_choices()] == ["▶ Resume", "Cancel it"]
    convo.press("▶ Resume")
    assert convo.state.interview is not None and not convo.state.interview.paused
    assert convo.question == "segment"
    convo.send("/pause")
    convo.press("Cancel it")
    assert "Cancel this interview?" in convo.text
    convo.press("Yes, cancel it")
    assert convo.state.interview is None
    assert [e.status for e in convo.effects if isinstance(e, InterviewStatusChanged)][-1] == "cancelled"


def test_spellings_that_differ_only_in_case_are_offered_once_and_taken_pains_not_at_all() -> None:
    team = Suggestions(segments=("Dental clinics", "dental clinics", "Vets"), pains=("No-shows", "Late invoices"))
    assert team.of("segments") == ("Dental clinics", "Vets")
    assert team.of("pains", taken=("no-shows",)) == ("Late invoices",)


def test_the_summary_shows_the_interview_date_as_it_was_echoed_not_as_iso(scripts: dict[str, Script]) -> None:
    convo = discovery_at_date(scripts, lang="ru")
    convo.send("20.11.2026")
    assert "Принято: пт, 20 ноября 2026." in convo.text
    question = scripts["discovery"].question("interview_date")
    assert display(question, convo.answers["interview_date"], "ru") == "пт, 20 ноября 2026"
    assert display(question, "2026-11-20", "en") == "Fri, 20 Nov 2026"
