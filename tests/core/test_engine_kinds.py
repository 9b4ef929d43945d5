"""Every question kind, with good and bad typed input and with its buttons."""

from __future__ import annotations

import pytest

from core.interview.walk import holds
from core.scripts.loader import load_script_text
from core.scripts.model import Condition, Script
from tests.core.conftest import Conversation

KINDS_YAML = """
id: kinds
title: All kinds
questions:
  - {id: name, kind: text, prompt: "Name?", soft_max_length: 20}
  - {id: story, kind: long_text, prompt: "Story?"}
  - id: channel
    kind: choice
    prompt: "Channel?"
    options:
      - {value: email, label: Email}
      - {value: phone, label: Phone call}
      - {value: other, label: Other}
  - id: tools
    kind: multi_choice
    prompt: "Tools?"
    options:
      - {value: excel, label: Excel}
      - {value: notion, label: Notion}
      - {value: paper, label: Paper}
  - {id: severity, kind: scale, prompt: "Severity?", min: 1, max: 5}
  - {id: team_size, kind: number, prompt: "Team size?", integer: true, min: 1, max: 500}
  - {id: budget, kind: money, prompt: "Budget?"}
  - {id: upper, kind: money, prompt: "Upper?", greater_than: budget, optional: true}
  - {id: met_on, kind: date, prompt: "When?"}
  - {id: paying, kind: yes_no, prompt: "Paying?"}
  - id: paying_note
    kind: text
    optional: true
    prompt: "How much?"
    when: {question: paying, equals: true}
  - id: notes
    kind: list
    item_name: note
    min_items: 1
    max_items: 2
    prompt: "Notes?"
    fields:
      - {id: text, kind: text, prompt: "Note?"}
      - {id: extra, kind: text, prompt: "Extra?", optional: true}
"""
ORDER = ["name", "story", "channel", "tools", "severity", "team_size", "budget", "upper", "met_on", "paying"]


@pytest.fixture(scope="module")
def kinds() -> dict[str, Script]:
    return {"kinds": load_script_text(KINDS_YAML, "kinds.yaml")}


def at(kinds: dict[str, Script], question: str) -> Conversation:
    """A conversation whose cursor stands on `question`, every earlier one answered validly."""
    valid = {
        "name": "Ann",
        "story": "Last week she called",
        "channel": "1",
        "tools": "1",
        "severity": "3",
        "team_size": "12",
        "budget": "$20/mo",
        "upper": "$40/mo",
        "met_on": "yesterday",
        "paying": "no",
    }
    convo = Conversation(kinds)
    convo.start("kinds")
    for question_id in ORDER[: ORDER.index(question)] if question in ORDER else ORDER:
        convo.send(valid[question_id])
    return convo


def rejects(convo: Conversation, text: str) -> None:
    question, answers, turn = convo.question, dict(convo.answers), convo.state.turn
    convo.send(text)
    assert convo.question == question and convo.answers == answers, f"{text!r} must be asked again"
    assert not convo.new_effects and convo.state.turn == turn, "a re-ask keeps the buttons valid"


@pytest.mark.parametrize(
    ("question", "typed", "stored"),
    [
        ("name", "  Ann  ", "Ann"),
        ("story", "She called me last week\nand asked for a demo", "She called me last week\nand asked for a demo"),
        ("channel", "2", "phone"),
        ("channel", "PHONE CALL", "phone"),
        ("channel", "other", "other"),
        ("tools", "1, 3", ["excel", "paper"]),
        ("tools", "notion", ["notion"]),
        ("tools", "3 1", ["excel", "paper"]),
        ("severity", "5", 5),
        ("team_size", "12", 12),
        ("team_size", " 42 ", 42),
        ("budget", "$20/mo", {"amount": "20", "currency": "USD", "period": "month"}),
        ("budget", "20 usd", {"amount": "20", "currency": "USD", "period": None}),
        ("budget", "1 500 ₽", {"amount": "1500", "currency": "RUB", "period": None}),
        ("budget", "€9.99", {"amount": "9.99", "currency": "EUR", "period": None}),
        ("met_on", "today", "2026-11-22"),
        ("met_on", "yesterday", "2026-11-21"),
        ("met_on", "2026-11-01", "2026-11-01"),
        ("paying", "no", False),
        ("paying", "Yes", True),
        ("paying", "2", False),
    ],
)
def test_good_input_is_stored(kinds: dict[str, Script], question: str, typed: str, stored: object) -> None:
    convo = at(kinds, question)
    assert convo.question == question
    convo.send(typed)
    assert convo.answers[question] == stored
    assert convo.question != question


@pytest.mark.parametrize(
    ("question", "typed"),
    [
        ("name", ""),
        ("name", "\u200b\x00"),
        ("channel", "4"),
        ("channel", "fax"),
        ("tools", "1, 9"),
        ("tools", "excel, fax"),
        ("severity", "0"),
        ("severity", "6"),
        ("severity", "bad"),
        ("team_size", "twelve"),
        ("team_size", "0"),
        ("team_size", "501"),
        ("team_size", "2.5"),
        ("budget", "twenty"),
        ("budget", "a lot"),
        ("met_on", "2026-12-01"),
        ("met_on", "someday"),
        ("paying", "maybe"),
        ("paying", "3"),
    ],
)
def test_bad_input_asks_again(kinds: dict[str, Script], question: str, typed: str) -> None:
    convo = at(kinds, question)
    rejects(convo, typed)
    assert convo.reply.plain_text.strip()


def test_future_date_is_rejected_with_a_reason(kinds: dict[str, Script]) -> None:
    convo = at(kinds, "met_on")
    convo.send("2027-01-05")
    assert "future" in convo.text and "met_on" not in convo.answers


@pytest.mark.parametrize("typed", ["tomorrow", "завтра", "in 3 days", "через 2 недели", "next friday"])
def test_a_future_day_in_words_is_called_future_not_unreadable(kinds: dict[str, Script], typed: str) -> None:
    convo = at(kinds, "met_on")
    convo.send(typed)
    assert "future" in convo.text and "couldn't read" not in convo.text and "met_on" not in convo.answers


def test_money_without_currency_takes_the_last_one_typed(kinds: dict[str, Script]) -> None:
    convo = at(kinds, "upper")
    convo.send("45")
    assert convo.answers["upper"] == {"amount": "45", "currency": "USD", "period": None}


def test_money_below_the_previous_price_gets_one_nudge_then_keep(kinds: dict[str, Script]) -> None:
    convo = at(kinds, "upper")
    convo.send("$10/mo")
    assert "upper" not in convo.answers and convo.codes == ["k"]
    convo.tap("k")
    assert convo.answers["upper"]["amount"] == "10" and convo.question == "met_on"
    assert convo.state.interview is not None and "upper" not in convo.state.interview.flags  # not a Mom Test flag


def test_single_choice_buttons_and_a_forged_option(kinds: dict[str, Script]) -> None:
    convo = at(kinds, "channel")
    assert [c.label for c in convo.reply.flat_choices()] == ["Email", "Phone call", "Other"]
    convo.payload(f"{convo.state.turn}|o:fax")
    assert "channel" not in convo.answers and convo.question == "channel"
    convo.tap("o:email")
    assert convo.answers["channel"] == "email"


def test_multi_choice_toggles_then_done(kinds: dict[str, Script]) -> None:
    convo = at(kinds, "tools")
    turn = convo.state.turn
    convo.tap("t:paper")
    convo.tap("t:excel")
    assert convo.reply.replaces_prompt and convo.state.turn == turn, "toggling edits the same message"
    assert [c.label for c in convo.reply.flat_choices()][:3] == ["✓ Excel", "Notion", "✓ Paper"]
    convo.tap("t:paper")
    assert convo.state.interview is not None and convo.state.interview.selection == ["excel"]
    assert "tools" not in convo.answers and not convo.new_effects
    convo.tap("ok")
    assert convo.answers["tools"] == ["excel"] and convo.question == "severity"


def test_multi_choice_done_with_nothing_selected_asks_for_one(kinds: dict[str, Script]) -> None:
    convo = at(kinds, "tools")
    convo.tap("ok")
    assert "at least 1" in convo.text and "tools" not in convo.answers


def test_multi_choice_selection_is_restored_when_coming_back(kinds: dict[str, Script]) -> None:
    convo = at(kinds, "severity")
    convo.send("/back")
    assert convo.question == "tools"
    assert convo.state.interview is not None and convo.state.interview.selection == ["excel"]
    assert convo.reply.flat_choices()[0].label == "✓ Excel"


def test_scale_buttons_and_out_of_range_payloads(kinds: dict[str, Script]) -> None:
    convo = at(kinds, "severity")
    assert [c.label for c in convo.reply.flat_choices()] == ["1", "2", "3", "4", "5"]
    for code in ("v9", "v0", "v-1", "v²", "v--1", "v" + "9" * 5000):
        convo.payload(f"{convo.state.turn}|{code}")
        assert "severity" not in convo.answers and convo.question == "severity"
    convo.tap("v2")
    assert convo.answers["severity"] == 2


def test_yes_no_buttons(kinds: dict[str, Script]) -> None:
    convo = at(kinds, "paying")
    convo.tap("y")
    assert convo.answers["paying"] is True and convo.question == "paying_note", "the condition now holds"


def test_condition_skips_a_question_whose_when_fails(kinds: dict[str, Script]) -> None:
    convo = at(kinds, "paying")
    convo.tap("n")
    assert convo.question == "notes" and "paying_note" not in convo.answers


def test_list_items_until_done_with_min_and_max(kinds: dict[str, Script]) -> None:
    convo = at(kinds, "notes")
    assert "d" not in convo.codes, "min_items 1: no Done before the first item"
    convo.send("done")
    assert "Please add at least 1" in convo.text and "notes" not in convo.answers
    convo.send("first")
    assert "d" not in convo.codes, "no Done in the middle of an item"
    convo.send("/skip")  # the optional sub-question
    assert convo.answers["notes"] == [{"text": "first", "extra": None}]
    assert "d" in convo.codes
    convo.send("second")
    convo.send("more")
    assert convo.mode == "summary", "max_items 2 closes the list"
    assert convo.answers["notes"][1] == {"text": "second", "extra": "more"}


def test_list_done_word_finishes_once_the_minimum_is_met(kinds: dict[str, Script]) -> None:
    convo = at(kinds, "notes")
    convo.send("first")
    convo.send("/skip")
    convo.send("Done")
    assert convo.mode == "summary" and convo.answers["notes"] == [{"text": "first", "extra": None}]


def test_list_required_sub_question_cannot_be_skipped_nor_done(kinds: dict[str, Script]) -> None:
    convo = at(kinds, "notes")
    convo.send("/skip")
    assert "can't be skipped" in convo.text and "notes" not in convo.answers
    convo.send("/done")
    assert "Please add at least 1" in convo.text and "notes" not in convo.answers


def test_typed_number_picks_a_choice_on_a_shipped_script(scripts: dict[str, Script]) -> None:
    convo = Conversation(scripts)
    convo.start("discovery")
    for text in ("Anna", "Studios", "Owner"):
        convo.send(text)
    convo.send("4")
    assert convo.answers["met_via"] == "existing_user"
    convo.send("/back")
    convo.send("community or event")
    assert convo.answers["met_via"] == "community"


def test_money_without_any_currency_uses_the_team_default(kinds: dict[str, Script]) -> None:
    convo = Conversation(kinds, default_currency="EUR")
    convo.start("kinds")
    for text in ("Ann", "Last week she called", "1", "1", "3", "12"):
        convo.send(text)
    assert convo.question == "budget"
    convo.send("20")
    assert convo.answers["budget"] == {"amount": "20", "currency": "EUR", "period": None}


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"question": "channel", "equals": "email"}, True),
        ({"question": "channel", "not_equals": "email"}, False),
        ({"question": "channel", "in": ["phone", "email"]}, True),
        ({"question": "channel", "not_in": ["phone"]}, True),
        ({"question": "tools", "equals": "paper"}, True),  # a multi-choice answer holds any of its values
        ({"question": "tools", "not_in": ["paper"]}, False),
        ({"question": "upper", "answered": True}, False),  # skipped counts as unanswered
        ({"question": "upper", "answered": False}, True),
        ({"question": "paying", "equals": False}, True),
        ({"question": "missing", "equals": "x"}, False),
        ({"all": [{"question": "channel", "equals": "email"}, {"question": "paying", "equals": True}]}, False),
        ({"any": [{"question": "channel", "equals": "email"}, {"question": "paying", "equals": True}]}, True),
    ],
)
def test_conditions_are_structured_data(condition: dict[str, object], expected: bool) -> None:
    answers = {"channel": "email", "tools": ["excel", "paper"], "upper": None, "paying": False}
    assert holds(Condition.model_validate(condition), answers) is expected
