"""Asking for another script while an interview is open: say which one is open, continue it or switch."""

from __future__ import annotations

from datetime import timedelta

from core.interview.effects import InterviewStarted, InterviewStatusChanged
from core.interview.payloads import Action, encode
from core.scripts.model import Script
from tests.core.conftest import Conversation


def discovery_two_answers_in(scripts: dict[str, Script]) -> Conversation:
    convo = Conversation(scripts)
    convo.start("discovery")
    convo.send("Maria")
    convo.send("Dental clinics")
    assert convo.question == "role"
    return convo


def test_asking_for_another_script_says_which_is_open_and_changes_nothing_yet(scripts: dict[str, Script]) -> None:
    convo = discovery_two_answers_in(scripts)
    convo.now += timedelta(hours=2, minutes=5)
    before = len(convo.effects)
    convo.send("/quick")
    assert "You have an unfinished interview" in convo.text
    assert "Problem interview, question 3 of" in convo.text and "started 2 hours ago" in convo.text
    assert "cancels the open interview" in convo.text
    assert convo.codes == ["c", "x:quick"]
    assert convo.labels[0].startswith("Continue Problem interview (3/")
    assert convo.labels[1] == "Cancel it, start Quick log"
    assert len(convo.effects) == before and convo.state.interview is not None
    assert convo.state.interview.script_id == "discovery"


def test_continue_goes_back_to_the_open_question(scripts: dict[str, Script]) -> None:
    convo = discovery_two_answers_in(scripts)
    convo.send("/interview quick")
    before = len(convo.effects)
    convo.tap("c")
    assert convo.question == "role" and convo.state.pending is None
    assert "What is their role or situation?" in convo.text
    assert len(convo.effects) == before


def test_switching_cancels_the_open_interview_and_starts_the_one_asked_for(scripts: dict[str, Script]) -> None:
    convo = discovery_two_answers_in(scripts)
    open_id = convo.state.interview.id if convo.state.interview else ""
    convo.send("/quick")
    result = convo.tap("x:quick")
    assert [type(e) for e in result.effects] == [InterviewStatusChanged, InterviewStarted]
    cancelled, started = result.effects
    assert isinstance(cancelled, InterviewStatusChanged) and (cancelled.interview_id, cancelled.status) == (
        open_id,
        "cancelled",
    )
    assert isinstance(started, InterviewStarted) and started.script_id == "quick"
    assert "The unfinished interview “Problem interview” is cancelled" in convo.text
    assert convo.state.interview is not None and convo.state.interview.script_id == "quick"
    assert convo.question == "alias"


def test_typed_numbers_pick_and_other_text_asks_again(scripts: dict[str, Script]) -> None:
    convo = discovery_two_answers_in(scripts)
    convo.send("/quick")
    convo.send("Practice manager")
    assert "Please tap a button or type its number." in convo.text
    assert convo.answers.get("role") is None and convo.state.pending is not None
    convo.send("2")
    assert convo.state.interview is not None and convo.state.interview.script_id == "quick"


def test_a_paused_interview_is_offered_too_and_continuing_unpauses_it(scripts: dict[str, Script]) -> None:
    convo = discovery_two_answers_in(scripts)
    convo.send("/pause")
    convo.send("/quick")
    assert "It is paused" in convo.text and convo.codes == ["c", "x:quick"]
    result = convo.tap("c")
    assert [e.status for e in result.effects if isinstance(e, InterviewStatusChanged)] == ["in_progress"]
    assert convo.state.interview is not None and not convo.state.interview.paused
    assert convo.question == "role"


def test_the_same_script_or_no_script_continues_as_before(scripts: dict[str, Script]) -> None:
    convo = discovery_two_answers_in(scripts)
    convo.send("/interview discovery")
    assert "continuing it" in convo.text and convo.state.pending is None
    convo.send("/interview")
    assert "continuing it" in convo.text and convo.question == "role"


def test_old_buttons_and_commands_while_the_offer_is_open(scripts: dict[str, Script]) -> None:
    convo = discovery_two_answers_in(scripts)
    old_turn = convo.state.turn
    convo.send("/quick")
    before = convo.state.to_dict()
    convo.payload(encode(old_turn, Action.SKIP))
    assert convo.state.to_dict() == before | {"last_press": f"None|{encode(old_turn, Action.SKIP)}"}
    assert convo.last is not None and convo.last.replies[0].stale_press
    convo.send("/cancel")
    assert "Cancel this interview?" in convo.text
    convo.send("/quick")
    convo.send("/pause")
    assert convo.state.pending is None and convo.state.interview is not None and convo.state.interview.paused


def test_a_forged_switch_to_another_script_is_not_applied(scripts: dict[str, Script]) -> None:
    convo = discovery_two_answers_in(scripts)
    convo.send("/quick")
    convo.payload(f"{convo.state.turn}|x:validation")
    assert convo.state.interview is not None and convo.state.interview.script_id == "discovery"


def test_russian_offer_is_translated(scripts: dict[str, Script]) -> None:
    convo = Conversation(scripts, lang="ru")
    convo.start("discovery")
    convo.now += timedelta(days=3)
    convo.send("/quick")
    assert "You have an unfinished interview" not in convo.text
    assert "3 дня назад" in convo.text
