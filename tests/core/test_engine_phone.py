"""Phone habits: a double tap acts once and says nothing the second time; an old interview picker still starts."""

from __future__ import annotations

from core.interview.effects import AnswerSaved, InterviewCompleted, InterviewStarted
from core.interview.engine import Context, step
from core.interview.payloads import StartScript, encode
from core.messages import ChoicePressed, Incoming, Origin
from core.scripts.model import Script
from tests.core.conftest import NOW, Conversation


def quick_at_severity(scripts: dict[str, Script]) -> Conversation:
    convo = Conversation(scripts)
    convo.start("quick")
    for answer in ("Anna", "Clinics", "Chaos"):
        convo.send(answer)
    assert "How badly" in convo.text
    return convo


def test_a_double_tapped_answer_is_stored_once_and_the_second_tap_is_silent(scripts: dict[str, Script]) -> None:
    convo = quick_at_severity(scripts)
    [four] = [choice for choice in convo.reply.flat_choices() if choice.label.startswith("4")]
    convo.payload(four.payload)
    assert "Did they commit" in convo.text
    turn, answers = convo.state.turn, dict(convo.answers)
    second = convo.payload(four.payload)
    assert second.replies == [] and second.effects == []
    assert convo.state.turn == turn and convo.answers == answers


def test_a_double_tapped_save_saves_once_and_shows_no_picker(scripts: dict[str, Script]) -> None:
    convo = quick_at_severity(scripts)
    convo.press("4 · Serious problem")
    convo.press("No commitment")
    convo.press("Skip")
    [save] = [choice for choice in convo.reply.flat_choices() if choice.label == "Save ✅"]
    convo.payload(save.payload)
    assert "Saved ✅" in convo.text
    second = convo.payload(save.payload)
    assert second.replies == [] and second.effects == []
    assert sum(isinstance(effect, InterviewCompleted) for effect in convo.effects) == 1


def test_the_same_button_on_another_message_still_acts(scripts: dict[str, Script]) -> None:
    """Only the same press on the same message is a double tap; the key includes the pressed message."""
    convo = quick_at_severity(scripts)
    [four] = [choice for choice in convo.reply.flat_choices() if choice.label.startswith("4")]
    origin = Origin("test", "team", "chat", "founder")
    ctx = Context(scripts, NOW, "iv-x")
    first = step(convo.state, Incoming(origin, "a", ChoicePressed(four.payload, "m1")), ctx)
    assert any(isinstance(effect, AnswerSaved) for effect in first.effects)
    again = step(first.state, Incoming(origin, "b", ChoicePressed(four.payload, "m1")), ctx)
    assert again.replies == []
    elsewhere = step(first.state, Incoming(origin, "c", ChoicePressed(four.payload, "m2")), ctx)
    assert elsewhere.replies and elsewhere.replies[0].stale_press  # an old screen, not a double tap


def test_an_old_interview_picker_starts_the_interview_it_names_when_none_runs(scripts: dict[str, Script]) -> None:
    convo = Conversation(scripts)
    convo.send("hello")
    old_turn = convo.state.turn
    convo.send("/help")
    convo.send("hello again")  # a newer picker: the first one is stale now
    assert convo.state.turn > old_turn
    convo.payload(encode(old_turn, StartScript("quick")))
    assert convo.state.interview is not None and convo.state.interview.script_id == "quick"
    assert "Who did you talk to?" in convo.text and "passed" not in convo.text
    assert [type(effect) for effect in convo.new_effects] == [InterviewStarted]


def test_an_old_picker_while_an_interview_runs_changes_nothing(scripts: dict[str, Script]) -> None:
    convo = Conversation(scripts)
    convo.send("hello")
    old_turn = convo.state.turn
    convo.start("discovery")
    convo.payload(encode(old_turn, StartScript("quick")))
    assert convo.state.interview is not None and convo.state.interview.script_id == "discovery"
    assert "passed" in convo.text and not convo.new_effects


def test_a_double_tap_on_a_stale_button_says_it_has_passed_once(scripts: dict[str, Script]) -> None:
    convo = quick_at_severity(scripts)
    [four] = [choice for choice in convo.reply.flat_choices() if choice.label.startswith("4")]
    convo.press("4 · Serious problem")
    convo.press("No commitment")
    turn, answers = convo.state.turn, dict(convo.answers)
    stale = convo.payload(four.payload)
    assert stale.replies and stale.replies[0].stale_press and "passed" in convo.text
    again = convo.payload(four.payload)
    assert again.replies == [] and again.effects == []
    assert convo.state.turn == turn and convo.answers == answers


def test_an_old_button_pressed_again_after_typing_is_not_a_double_tap(scripts: dict[str, Script]) -> None:
    convo = quick_at_severity(scripts)
    [four] = [choice for choice in convo.reply.flat_choices() if choice.label.startswith("4")]
    convo.payload(four.payload)
    convo.send("No commitment")
    later = convo.payload(four.payload)  # minutes later, not a double tap: say that it has passed
    assert later.replies and later.replies[0].stale_press and "passed" in convo.text and not later.effects
