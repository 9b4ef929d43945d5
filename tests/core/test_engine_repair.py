"""Saved state that no longer fits the scripts, and answers that must survive a pause."""

from __future__ import annotations

from core.interview.effects import InterviewStatusChanged
from core.interview.state import Position
from core.scripts.loader import load_script_text
from core.scripts.model import Script
from tests.core.conftest import Conversation

SHORT = """
id: quick
title: Quick log
questions:
  - id: alias
    kind: text
    prompt: Who did you talk to? A first name or nickname is enough.
  - id: quote
    kind: long_text
    prompt: What was the best thing they said? Write it word for word.
"""


def test_interview_whose_script_was_removed_is_closed_not_crashed(scripts: dict[str, Script]) -> None:
    convo = Conversation(scripts)
    convo.start("quick")
    convo.send("Anna")
    orphan = Conversation({"discovery": scripts["discovery"]}, state=convo.state)
    orphan.send("Dental clinics")
    assert orphan.state.interview is None
    assert "no longer exists" in orphan.text and "kept" in orphan.text
    assert [e.status for e in orphan.new_effects if isinstance(e, InterviewStatusChanged)] == ["cancelled"]
    assert "Which interview?" in orphan.reply.plain_text


def test_cursor_on_a_question_a_changed_script_dropped_moves_to_the_first_unanswered(
    scripts: dict[str, Script],
) -> None:
    convo = Conversation(scripts)
    convo.start("quick")
    convo.send("Anna")
    convo.send("Dental clinics")
    assert convo.question == "pains"
    changed = Conversation({"quick": load_script_text(SHORT, "quick.yaml")}, state=convo.state)
    changed.send("She said they re-book patients by hand")
    interview = changed.state.interview
    assert interview is not None and interview.mode == "summary"
    assert interview.answers == {"alias": "Anna", "quote": "She said they re-book patients by hand"}


def test_out_of_range_list_position_is_repaired(scripts: dict[str, Script]) -> None:
    convo = Conversation(scripts)
    convo.start("quick")
    convo.send("Anna")
    assert convo.state.interview is not None
    convo.state.interview.cursor = Position("pains", 7, 9)
    convo.send("Clinics")
    assert convo.answers["segment"] == "Clinics" and convo.question == "pains"


def test_pause_keeps_an_answer_waiting_on_a_nudge(scripts: dict[str, Script]) -> None:
    convo = Conversation(scripts)
    convo.start("quick")
    for answer in ("Anna", "Clinics", "Scheduling is a mess", "4", "2"):
        convo.send(answer)
    convo.send("They would love an app")
    assert convo.state.pending is not None and convo.state.pending.kind == "warning"
    convo.send("/pause")
    convo.send("/resume")
    assert convo.codes == ["k"]
    convo.send("/keep")
    assert convo.mode == "summary"
    assert convo.answers["quote"] == "They would love an app"


def test_coach_nudges_speak_the_founders_language(scripts: dict[str, Script]) -> None:
    from core.i18n import gettext_for
    from core.interview.nudges import WARNING_TEXTS

    convo = Conversation(scripts, lang="ru")
    convo.start("quick")
    for answer in ("Анна", "Клиники", "Хаос с записью", "4", "2"):
        convo.send(answer)
    convo.send("Они бы точно купили, классная идея")
    ru = gettext_for("ru")
    assert ru(WARNING_TEXTS["compliment"]) in convo.text  # one nudge: the compliment outranks the wish
    assert WARNING_TEXTS["compliment"] not in convo.text and ru("That's what they said (weak)") in convo.labels
