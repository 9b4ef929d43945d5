"""The Mom Test coach in the conversation: one nudge, keep or replace (asked, never silent), and the evidence."""

from __future__ import annotations

import pytest

from core.interview.effects import AnswerSaved
from core.scripts.model import Script
from tests.core.conftest import HYPOTHESES, Conversation

FLAGGED = {
    "hypothetical": "She would pay for this",
    "compliment": "Great idea, I love it!",
    "generality": "We always struggle with invoices",
    "feature_request": "You should add a calendar export",
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


def test_a_new_answer_typed_under_the_nudge_asks_before_replacing(scripts: dict[str, Script]) -> None:
    convo = quick_at_pain(scripts)
    convo.send(FLAGGED["hypothetical"])
    convo.send("Last month she lost two days on reconciliation")
    assert "pains" not in convo.answers and not convo.new_effects  # nothing replaced silently
    assert convo.codes == ["rp", "k"] and "Replace your answer with this one, or keep the first?" in convo.text
    assert FLAGGED["hypothetical"] in convo.text and "Last month she lost two days" in convo.text
    convo.tap("rp")
    assert convo.answers["pains"] == [{"text": "Last month she lost two days on reconciliation"}]
    assert convo.state.interview is not None and convo.state.interview.flags == {}
    assert convo.state.pending is None and convo.codes[0] == "v1"


def test_keep_the_first_stores_the_nudged_answer_with_its_flags(scripts: dict[str, Script]) -> None:
    convo = quick_at_pain(scripts)
    convo.send(FLAGGED["compliment"])
    convo.send("Month-end eats a day")
    convo.tap("k")
    assert convo.answers["pains"] == [{"text": FLAGGED["compliment"]}]
    assert convo.state.interview is not None and convo.state.interview.flags == {"pains.0.text": ["compliment"]}
    saved = convo.new_effects[0]
    assert isinstance(saved, AnswerSaved) and saved.flags == ("compliment",)
    assert convo.state.pending is None and convo.codes[0] == "v1"


@pytest.mark.parametrize(("typed", "kept"), [("2", "first"), ("keep", "first"), ("/keep", "first"), ("1", "new")])
def test_the_replace_question_can_be_answered_by_typing(scripts: dict[str, Script], typed: str, kept: str) -> None:
    convo = quick_at_pain(scripts)
    convo.send(FLAGGED["generality"])
    convo.send("Last Tuesday invoices took her three hours")
    convo.send(typed)
    expected = FLAGGED["generality"] if kept == "first" else "Last Tuesday invoices took her three hours"
    assert convo.answers["pains"] == [{"text": expected}] and convo.state.pending is None


def test_the_same_answer_typed_again_is_kept_without_asking(scripts: dict[str, Script]) -> None:
    convo = quick_at_pain(scripts)
    convo.send(FLAGGED["compliment"])
    convo.send(FLAGGED["compliment"].upper())
    assert convo.answers["pains"] == [{"text": FLAGGED["compliment"]}] and convo.codes[0] == "v1"
    assert convo.state.interview is not None and convo.state.interview.flags == {"pains.0.text": ["compliment"]}


def test_the_replace_question_speaks_russian(scripts: dict[str, Script]) -> None:
    convo = quick_at_pain(scripts, "ru")
    convo.send("Она бы заплатила")
    convo.send("В прошлом месяце потеряла два дня на сверке")
    assert "Заменить ответ новым или оставить первый?" in convo.text
    assert convo.labels == ["Взять новый", "Оставить первый"]


def test_a_third_answer_becomes_the_new_one_and_the_old_question_goes_stale(scripts: dict[str, Script]) -> None:
    convo = quick_at_pain(scripts)
    convo.send(FLAGGED["hypothetical"])
    convo.send("Second try")
    asked = convo.reply
    convo.send("Third try: month-end eats a day")
    assert "Third try" in convo.text and "Second try" not in convo.text
    convo.payload(asked.flat_choices()[0].payload)  # Replace, pressed on the older question
    assert "has passed" in convo.text and "pains" not in convo.answers
    convo.tap("rp")
    assert convo.answers["pains"] == [{"text": "Third try: month-end eats a day"}]


def test_replaced_answer_that_is_still_flagged_is_saved_flagged_without_a_second_nudge(
    scripts: dict[str, Script],
) -> None:
    convo = quick_at_pain(scripts)
    convo.send(FLAGGED["hypothetical"])
    convo.send(FLAGGED["compliment"])
    convo.tap("rp")
    assert convo.answers["pains"] == [{"text": FLAGGED["compliment"]}]
    assert convo.state.interview is not None and convo.state.interview.flags == {"pains.0.text": ["compliment"]}
    assert convo.codes[0] == "v1"


def test_the_replace_question_survives_a_pause(scripts: dict[str, Script]) -> None:
    convo = quick_at_pain(scripts)
    convo.send(FLAGGED["hypothetical"])
    convo.send("Second try")
    convo.send("/pause")
    convo.send("/resume")
    assert convo.codes == ["rp", "k"] and "Second try" in convo.text
    convo.tap("k")
    assert convo.answers["pains"] == [{"text": FLAGGED["hypothetical"]}]


def test_a_long_answer_typed_again_simply_replaces_it(scripts: dict[str, Script]) -> None:
    convo = Conversation(scripts)
    convo.send("/quick")
    convo.send("A" * 61)  # alias soft_max_length is 60; its nudge says "type a shorter one"
    convo.send("Anna")
    assert convo.answers["alias"] == "Anna" and convo.question == "segment"


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_one_nudge_speaks_of_one_thing(scripts: dict[str, Script], lang: str) -> None:
    from core.i18n import gettext_for
    from core.interview.nudges import WARNING_TEXTS

    _ = gettext_for(lang)
    convo = quick_at_pain(scripts, lang)
    convo.send("Great idea, you should add reminders, everyone would use it")
    every = ["hypothetical", "compliment", "generality", "feature_request"]
    assert convo.state.pending is not None and convo.state.pending.flags == every
    assert _(WARNING_TEXTS["feature_request"]) in convo.text
    assert all(_(WARNING_TEXTS[flag]) not in convo.text for flag in ("hypothetical", "compliment", "generality"))
    assert convo.text.count("💡") == 1 and convo.labels == [_("Keep it (weak)")]
    convo.tap("k")
    assert convo.state.interview is not None
    assert convo.state.interview.flags["pains.0.text"] == every


@pytest.mark.parametrize(
    ("lang", "label", "retype"),
    [("en", "That's what they said (weak)", "type it again"), ("ru", "Так и было сказано (слабое)", "заново")],
)
def test_a_verbatim_quote_is_never_pushed_to_be_retyped(
    scripts: dict[str, Script], lang: str, label: str, retype: str
) -> None:
    convo = Conversation(scripts, lang=lang)
    convo.start("quick")
    for answer in ("Anna", "Clinics", "Chaos with bookings", "4", "1"):
        convo.send(answer)
    assert convo.question == "quote"
    convo.send("Love it, keep me posted")
    assert convo.labels == [label] and retype not in convo.text
    convo.press(label)
    assert convo.mode == "summary" and convo.answers["quote"] == "Love it, keep me posted"
    assert convo.state.interview is not None and convo.state.interview.flags == {"quote": ["compliment"]}


def test_a_pain_the_founder_wrote_may_be_typed_again(scripts: dict[str, Script]) -> None:
    convo = quick_at_pain(scripts)
    convo.send(FLAGGED["hypothetical"])
    assert "type it again" in convo.text and convo.labels == ["Keep it (weak)"]


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
    for text in ("Boris", "Agencies", "CFO", "/skip", "Landing page", "She asked for a trial", "1", "1"):
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


@pytest.mark.parametrize(("lang", "keep"), [("en", "Keep"), ("ru", "Оставьте")])
def test_long_answer_nudge_says_keep_or_retype_once(scripts: dict[str, Script], lang: str, keep: str) -> None:
    convo = Conversation(scripts, lang=lang)
    convo.send("/quick")
    convo.send("A" * 61)
    assert convo.codes == ["k"] and convo.text.count(keep) == 1


def evidence_strength(scripts: dict[str, Script], quote: str, keep: bool, commitment: str) -> str:
    convo = Conversation(scripts, hypotheses=HYPOTHESES)
    convo.start("discovery")
    steps = ["Anna", "Studios", "Owner", "1", "today", "a client pays late", "chase", "pay the team"]
    steps += ["#o:functional", "#d"]
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
        ("You should add a calendar export", True, "none", "weak"),
        ("She'd already paid twice for a template", False, "none", "medium"),
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
