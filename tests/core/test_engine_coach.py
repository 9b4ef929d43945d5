"""The Mom Test coach in the conversation: one nudge, Keep or retype, and how flags weigh the evidence."""

from __future__ import annotations

import pytest

from core.interview.effects import AnswerSaved
from core.scripts.model import Script
from tests.core.conftest import HYPOTHESES, Conversation

FLAGGED = {
    "hypothetical": "She would pay for this",
    "compliment": "Great idea, I love it!",
    "generality": "We always struggle with invoices",
}


def quick_at_pain(scripts: dict[str, Script], lang: str = "en") -> Conversation:
    convo = Conversation(scripts, lang=lang)
    convo.send("/quick")
    convo.send("Chen")
    convo.send("Translators")
    assert convo.question == "pains"
    return convo


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("flag", list(FLAGGED))
def test_flagged_answer_gets_one_nudge_and_keep_saves_it_flagged(
    scripts: dict[str, Script], flag: str, lang: str
) -> None:
    convo = quick_at_pain(scripts, lang)
    convo.send(FLAGGED[flag])
    assert convo.codes == ["k"] and "pains" not in convo.answers and not convo.new_effects
    assert convo.state.pending is not None and convo.state.pending.flags == [flag]
    convo.tap("k")
    assert convo.answers["pains"] == [{"text": FLAGGED[flag]}]
    assert convo.state.interview is not None and convo.state.interview.flags == {"pains.0.text": [flag]}
    saved = convo.new_effects[0]
    assert isinstance(saved, AnswerSaved) and saved.flags == (flag,)
    assert convo.state.interview.cursor is not None and convo.state.interview.cursor.field == 1


@pytest.mark.parametrize("keep", ["keep", "Keep it", "/keep", "оставить"])
def test_keep_can_be_typed(scripts: dict[str, Script], keep: str) -> None:
    convo = quick_at_pain(scripts)
    convo.send(FLAGGED["hypothetical"])
    convo.send(keep)
    assert convo.answers["pains"] == [{"text": FLAGGED["hypothetical"]}]
    assert convo.state.interview is not None and convo.state.interview.flags == {"pains.0.text": ["hypothetical"]}


def test_retyped_answer_replaces_it_without_a_second_nudge(scripts: dict[str, Script]) -> None:
    convo = quick_at_pain(scripts)
    convo.send(FLAGGED["hypothetical"])
    convo.send("Last month she lost two days on reconciliation")
    assert convo.answers["pains"] == [{"text": "Last month she lost two days on reconciliation"}]
    assert convo.state.interview is not None and convo.state.interview.flags == {}
    assert convo.state.pending is None and convo.codes[0] == "v1"


def test_retyped_answer_that_is_still_flagged_is_saved_flagged_without_a_second_nudge(
    scripts: dict[str, Script],
) -> None:
    convo = quick_at_pain(scripts)
    convo.send(FLAGGED["hypothetical"])
    convo.send(FLAGGED["compliment"])
    assert convo.answers["pains"] == [{"text": FLAGGED["compliment"]}]
    assert convo.state.interview is not None and convo.state.interview.flags == {"pains.0.text": ["compliment"]}


def test_old_buttons_are_stale_while_the_nudge_is_shown(scripts: dict[str, Script]) -> None:
    convo = quick_at_pain(scripts)
    turn = convo.state.turn
    convo.send(FLAGGED["compliment"])
    convo.payload(f"{turn}|b")
    assert "has passed" in convo.text and convo.codes == ["k"] and convo.state.pending is not None


def test_fact_needs_no_nudge(scripts: dict[str, Script]) -> None:
    convo = quick_at_pain(scripts)
    convo.send("Last Tuesday she spent three hours on invoices")
    assert convo.state.pending is None and convo.answers["pains"][0]["text"].startswith("Last Tuesday")


def test_plain_text_without_coach_is_never_nudged(scripts: dict[str, Script]) -> None:
    convo = Conversation(scripts)
    convo.send("/quick")
    convo.send("I would love it")  # alias: a text question without coach
    assert convo.answers["alias"] == "I would love it" and convo.question == "segment"


def test_validation_objections_have_the_coach_switched_off(scripts: dict[str, Script]) -> None:
    convo = Conversation(scripts)
    convo.start("validation")
    for text in ("Boris", "Agencies", "CFO", "/skip", "Landing page", "She asked for a trial", "1"):
        convo.send(text)
    for _ in range(4):
        convo.send("/skip")
    convo.send("1")
    assert convo.question == "objections"
    convo.send("They would need SSO")
    assert convo.answers["objections"] == "They would need SSO" and convo.state.pending is None


def test_long_answer_nudge_keeps_it_without_a_weak_flag(scripts: dict[str, Script]) -> None:
    convo = Conversation(scripts)
    convo.send("/quick")
    convo.send("A" * 61)  # alias soft_max_length is 60
    assert convo.codes == ["k"] and "61 characters" in convo.text
    convo.tap("k")
    assert convo.answers["alias"] == "A" * 61
    assert convo.state.interview is not None and convo.state.interview.flags == {}


def evidence_strength(scripts: dict[str, Script], quote: str, keep: bool, commitment: str) -> str:
    convo = Conversation(scripts, hypotheses=HYPOTHESES)
    convo.start("discovery")
    steps = ["Anna", "Studios", "Owner", "1", "today", "a client pays late", "chase", "pay the team", "#d"]
    steps += ["Last Tuesday she reconciled invoices", "Month-end eats a day", "4", "#o:weekly", "#d"]
    steps += ["Excel", "/skip", "#d", "#o:h1", "#o:supports", "#d", quote]
    steps += ["#k"] if keep else []
    steps += [f"#o:{commitment}"] + (["A demo next week"] if commitment != "none" else [])
    steps += ["$100"] if commitment == "money" else []
    for step in steps:
        convo.tap(step[1:]) if step.startswith("#") else convo.send(step)
    convo.tap("sv")
    (link,) = convo.record().evidence
    return link.strength


@pytest.mark.parametrize(
    ("quote", "keep", "commitment", "strength"),
    [
        ("Month-end is a nightmare", False, "none", "medium"),
        ("Great idea, I love it!", True, "none", "weak"),
        ("She would pay for this", True, "none", "weak"),
        ("Great idea, I love it!", True, "time", "weak"),  # a follow-up meeting after "love it" is not strong
        ("Great idea, I love it!", True, "money", "strong"),  # money on the table is, for a value proposition
        ("Month-end is a nightmare", False, "reputation", "strong"),
        ("Month-end is a nightmare", False, "money", "strong"),
    ],
)
def test_evidence_strength_follows_the_mom_test(
    scripts: dict[str, Script], quote: str, keep: bool, commitment: str, strength: str
) -> None:
    assert evidence_strength(scripts, quote, keep, commitment) == strength
