"""Moving around an interview: back, skip, cancel, pause and resume, the summary and its edits, stale buttons."""

from __future__ import annotations

import json
from dataclasses import replace

from core.interview.effects import AnswerSaved, InterviewStatusChanged
from core.interview.state import ConversationState
from core.scripts.model import Script
from tests.core.conftest import HYPOTHESES, Conversation


def quick_at_commitment(scripts: dict[str, Script]) -> Conversation:
    convo = Conversation(scripts)
    convo.send("/quick")
    for text in ("Chen", "Translators", "Invoices in three currencies", "4"):
        convo.send(text)
    assert convo.question == "commitment_kind"
    return convo


def quick_at_summary(scripts: dict[str, Script]) -> Conversation:
    convo = quick_at_commitment(scripts)
    convo.tap("o:none")
    convo.send("Month-end is a nightmare")
    assert convo.mode == "summary"
    return convo


def discovery_at_hypotheses(scripts: dict[str, Script]) -> Conversation:
    convo = Conversation(scripts, hypotheses=HYPOTHESES)
    convo.start("discovery")
    steps = ["Anna", "Studios", "Owner", "1", "today", "a client pays late", "chase", "pay the team"]
    steps += ["#o:functional", "#d"]
    steps += ["Last Tuesday she reconciled invoices", "Month-end eats a day", "4", "#o:weekly", "#d"]
    steps += ["Excel", "/skip", "#d"]
    for step in steps:
        convo.tap(step[1:]) if step.startswith("#") else convo.send(step)
    assert convo.question == "hypotheses"
    return convo


def test_back_by_command_and_by_button_shows_the_saved_answer(scripts: dict[str, Script]) -> None:
    convo = quick_at_commitment(scripts)
    effects = len(convo.effects)
    convo.send("/back")
    assert convo.state.interview is not None and convo.state.interview.cursor is not None
    assert (convo.question, convo.state.interview.cursor.field) == ("pains", 1)
    assert "Now: 4" in convo.text and "k" in convo.codes
    convo.tap("b")
    assert "Now: Invoices in three currencies" in convo.text
    convo.tap("k")
    convo.tap("k")
    assert convo.question == "commitment_kind" and convo.answers["pains"] == [
        {"text": "Invoices in three currencies", "severity": 4}
    ]
    assert len(convo.effects) == effects, "Back and Keep save nothing new"


def test_back_at_the_first_question_says_so(scripts: dict[str, Script]) -> None:
    convo = Conversation(scripts)
    convo.send("/quick")
    assert "b" not in convo.codes
    convo.send("/back@cusdev_bot")
    assert "first question" in convo.text and convo.question == "alias"


def test_skip_optional_saves_none_and_required_cannot_be_skipped(scripts: dict[str, Script]) -> None:
    convo = quick_at_commitment(scripts)
    assert "s" not in convo.codes
    convo.send("/skip")
    assert "can't be skipped" in convo.text and "commitment_kind" not in convo.answers and not convo.new_effects
    convo.tap("o:none")
    assert "s" in convo.codes
    convo.tap("s")
    assert convo.answers["quote"] is None and convo.mode == "summary"
    assert convo.new_effects[0] == AnswerSaved("iv-1", "quote", None, (), convo.now)


def test_cancel_asks_first_then_no_continues_and_yes_cancels(scripts: dict[str, Script]) -> None:
    convo = quick_at_commitment(scripts)
    answers = dict(convo.answers)
    convo.send("/cancel")
    assert convo.codes == ["y", "n"] and not convo.new_effects
    convo.send("what?")
    assert convo.codes == ["y", "n"] and convo.answers == answers
    convo.tap("n")
    assert convo.question == "commitment_kind" and convo.answers == answers and not convo.new_effects
    convo.send("/cancel")
    convo.send("yes")
    assert convo.state.interview is None
    assert convo.new_effects == [InterviewStatusChanged("iv-1", "cancelled", convo.now)]


def test_pause_round_trips_through_json_and_resumes_at_the_exact_question(scripts: dict[str, Script]) -> None:
    convo = quick_at_commitment(scripts)
    convo.send("/back")  # inside the list: pains, item 0, field 1
    convo.tap("p")
    assert convo.new_effects == [InterviewStatusChanged("iv-1", "paused", convo.now)]
    assert "paused at question 3 of 5" in convo.text
    convo.send("Excel")  # typing while paused changes nothing
    assert "paused" in convo.text and not convo.new_effects
    assert convo.answers["pains"] == [{"text": "Invoices in three currencies", "severity": 4}]
    stored = json.dumps(convo.state.to_dict())
    later = Conversation(scripts, state=ConversationState.from_dict(json.loads(stored)))
    later.send("/resume")
    assert later.new_effects == [InterviewStatusChanged("iv-1", "in_progress", later.now)]
    interview = later.state.interview
    assert interview is not None and interview.cursor is not None
    assert (interview.cursor.question, interview.cursor.item, interview.cursor.field) == ("pains", 0, 1)
    assert "Welcome back" in later.text and "Now: 4" in later.text
    later.tap("v2")
    assert later.answers["pains"][0]["severity"] == 2 and later.question == "commitment_kind"


def test_summary_edit_pick_reask_and_back_to_summary(scripts: dict[str, Script]) -> None:
    convo = quick_at_summary(scripts)
    assert "1. Who did you talk to?" in convo.text and "Chen" in convo.text
    convo.tap("ed")
    assert convo.mode == "edit_pick" and convo.codes == ["e1", "e2", "e3", "e4", "e5", "b"]
    convo.tap("b")
    assert convo.mode == "summary"
    convo.tap("ed")
    convo.send("2")  # typed number picks the second answer
    assert convo.question == "segment" and "Now: Translators" in convo.text
    convo.send("Freelance translators")
    assert convo.mode == "summary" and "Freelance translators" in convo.text
    assert convo.new_effects[0] == AnswerSaved("iv-1", "segment", "Freelance translators", (), convo.now)
    convo.tap("sv")
    assert convo.record().segment == "Freelance translators"


def test_edit_that_opens_a_condition_asks_the_new_question(scripts: dict[str, Script]) -> None:
    convo = discovery_at_hypotheses(scripts)
    convo.tap("d")
    convo.send("/skip")  # quote
    convo.tap("o:none")
    convo.edit("commitment_kind")
    convo.tap("o:money")
    assert convo.question == "commitment_note"
    convo.send("Deposit paid")
    assert convo.question == "commitment_amount"
    convo.send("$300")
    assert convo.mode == "summary"


def test_edit_a_list_walks_its_items_and_done_returns(scripts: dict[str, Script]) -> None:
    convo = quick_at_summary(scripts)
    convo.tap("ed")
    convo.tap("e3")
    assert convo.question == "pains" and "Now: Invoices in three currencies" in convo.text
    convo.tap("k")
    convo.tap("v5")
    assert convo.mode == "summary" and convo.answers["pains"] == [
        {"text": "Invoices in three currencies", "severity": 5}
    ]


def test_back_from_summary_goes_to_the_last_question(scripts: dict[str, Script]) -> None:
    convo = quick_at_summary(scripts)
    convo.tap("b")
    assert convo.question == "quote" and convo.mode == "asking"
    convo.tap("k")
    assert convo.mode == "summary"


def test_stale_button_changes_nothing_and_shows_the_current_question(scripts: dict[str, Script]) -> None:
    convo = quick_at_commitment(scripts)
    old_turn = convo.state.turn
    convo.send("/back")
    convo.tap("k")
    convo.send("/help")
    assert convo.state.turn > old_turn
    before = convo.state.to_dict()
    convo.payload(f"{old_turn - 2}|o:none")
    assert "has passed" in convo.text and "nothing was changed" in convo.text
    assert "Did they commit" in convo.reply.plain_text
    after = convo.state.to_dict()
    assert after.pop("last_press") == f"None|{old_turn - 2}|o:none"  # remembered: a second tap stays silent
    before.pop("last_press")
    assert not convo.new_effects and after == before


def typed(convo: Conversation, text: str, turn: int | None) -> None:
    """Text typed on a screen drawn at `turn` (None: the adapter cannot tell, as with a Telegram text)."""
    convo.apply(replace(convo.incoming(text=text), turn=turn))


def test_text_typed_on_a_screen_that_has_changed_is_stale_like_a_button(scripts: dict[str, Script]) -> None:
    convo = quick_at_commitment(scripts)
    old_turn = convo.state.turn
    convo.tap("o:none")  # another terminal answered meanwhile: the screen moved on to the quote
    before = json.dumps(convo.state.to_dict())
    for text in ("1", "We lost 12 bookings", "/skip", "/back", "/done", "/keep"):
        typed(convo, text, old_turn)
        assert "typed on a screen that has since changed; nothing was changed" in convo.text, text
        assert "What was the best thing they said" in convo.reply.plain_text and not convo.new_effects
        assert json.dumps(convo.state.to_dict()) == before
    typed(convo, "We lost 12 bookings", convo.state.turn)  # typed on the screen shown now: an answer
    assert convo.answers["quote"] == "We lost 12 bookings" and convo.mode == "summary"
    typed(convo, "/back", None)  # no stamp (Telegram): typing works as it always did
    typed(convo, "Month-end is a nightmare", None)
    assert convo.answers["quote"] == "Month-end is a nightmare"
    typed(convo, "/pause", old_turn)  # pausing, cancelling, /help: never stale
    assert convo.state.interview is not None and convo.state.interview.paused


def test_garbage_payloads_are_stale(scripts: dict[str, Script]) -> None:
    convo = quick_at_commitment(scripts)
    before = json.dumps(convo.state.to_dict())
    turn = convo.state.turn
    for payload in ("", "|", f"{turn}", f"{turn}|", "x|o:none", "²|o:none", f"{turn}x|o:none", "9" * 5000 + "|s"):
        convo.payload(payload)
        assert "has passed" in convo.text and not convo.new_effects
    assert json.dumps(convo.state.to_dict()) == before


def test_help_and_unknown_command_keep_the_question(scripts: dict[str, Script]) -> None:
    convo = quick_at_commitment(scripts)
    turn = convo.state.turn
    convo.send("/help")
    assert "/back" in convo.text and "Did they commit" in convo.reply.plain_text and convo.state.turn == turn
    convo.send("/frobnicate")
    assert "/frobnicate" in convo.text and convo.question == "commitment_kind"


def test_language_switch_mid_interview_keeps_the_question(scripts: dict[str, Script]) -> None:
    convo = quick_at_commitment(scripts)
    convo.send("/lang")
    assert convo.codes == ["l:en", "l:ru"]
    convo.tap("l:ru")
    assert convo.state.lang == "ru" and convo.question == "commitment_kind"
    assert convo.codes == ["o:none", "o:time", "o:reputation", "o:money", "b", "p"]


def test_commands_without_an_interview_offer_the_scripts(scripts: dict[str, Script]) -> None:
    convo = Conversation(scripts)
    for command in ("/back", "/skip", "/cancel", "/pause", "/resume", "/done", "/keep"):
        convo.send(command)
        assert convo.state.interview is None and not convo.new_effects
        assert "No interview is running" in convo.text and convo.codes == [f"i:{name}" for name in scripts]


def test_done_on_a_plain_question_says_what_done_is_for(scripts: dict[str, Script]) -> None:
    convo = Conversation(scripts)
    convo.send("/quick")
    convo.send("/done")
    assert "Finish this item" not in convo.text and "/done finishes a list" in convo.text
    assert convo.question == "alias"
