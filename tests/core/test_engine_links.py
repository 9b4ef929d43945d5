"""Hypothesis links: an existing team hypothesis by code, or a new one with its statement."""

from __future__ import annotations

from core.scripts.model import Script
from tests.core.conftest import HYPOTHESES, Conversation


def at_hypotheses(scripts: dict[str, Script], convo: Conversation) -> Conversation:
    convo.start("validation")
    for text in ("Boris", "Agencies", "CFO", "/skip", "Landing page", "She asked for a trial", "1", "1"):
        convo.send(text)
    for _ in range(4):  # the four optional prices
        convo.send("/skip")
    for text in ("1", "/skip"):  # no commitment, no objections
        convo.send(text)
    assert convo.question == "hypotheses"
    return convo


def test_hypothesis_links_existing_code_and_new_statement(scripts: dict[str, Script], convo: Conversation) -> None:
    convo = at_hypotheses(scripts, convo)
    assert convo.codes[:3] == ["o:h1", "o:h2", "o:new"] and "d" in convo.codes
    convo.send("2")  # typed number picks H2
    assert convo.codes[:2] == ["o:supports", "o:refutes"]
    convo.tap("o:refutes")
    convo.tap("o:new")
    assert convo.question == "hypotheses" and "statement" not in convo.answers["hypotheses"][1]
    convo.send("Agencies pay for reminders")
    convo.send("supports")
    convo.tap("d")
    assert convo.answers["hypotheses"] == [
        {"hypothesis": "h2", "stance": "refutes"},
        {"hypothesis": "new", "statement": "Agencies pay for reminders", "stance": "supports"},
    ]
    convo.tap("sv")
    evidence = convo.record().evidence
    assert [(e.hypothesis, e.new_statement, e.stance) for e in evidence] == [
        ("H2", None, "refutes"),
        (None, "Agencies pay for reminders", "supports"),
    ]


def test_hypothesis_links_without_team_hypotheses_offer_only_a_new_one(scripts: dict[str, Script]) -> None:
    convo = at_hypotheses(scripts, Conversation(scripts))
    assert [code for code in convo.codes if code.startswith("o:")] == ["o:new"]
    convo.payload(f"{convo.state.turn}|o:h1")  # a forged code of no hypothesis
    assert "hypotheses" not in convo.answers


def test_hypothesis_links_stop_at_max_items(scripts: dict[str, Script]) -> None:
    convo = at_hypotheses(scripts, Conversation(scripts, hypotheses=HYPOTHESES))
    for n in range(8):
        convo.tap("o:new")
        convo.send(f"Hypothesis number {n}")
        convo.tap("o:supports")
    assert convo.mode == "summary" and len(convo.answers["hypotheses"]) == 8


def test_one_stance_per_hypothesis_the_picker_shows_it_and_a_second_pick_changes_it(
    scripts: dict[str, Script], convo: Conversation
) -> None:
    convo = at_hypotheses(scripts, convo)
    convo.tap("o:h1")
    convo.tap("o:supports")
    convo.tap("o:h2")
    convo.tap("o:refutes")
    assert convo.labels[:2] == [
        "✓ H1: Agencies lose hours every month chasin… · marked: supports",
        "✓ H2: Freelancers would pay $20 a month for a… · marked: refutes",
    ]
    assert "pick it again to change its stance" in convo.text
    convo.tap("o:h1")  # marked already: this pick replaces the first stance, it does not add a second one
    convo.tap("o:refutes")
    assert convo.answers["hypotheses"] == [
        {"hypothesis": "h2", "stance": "refutes"},
        {"hypothesis": "h1", "stance": "refutes"},
    ]
    assert convo.labels[0] == "✓ H1: Agencies lose hours every month chasing… · marked: refutes"
    convo.tap("d")
    convo.tap("sv")
    assert [(e.hypothesis, e.stance) for e in convo.record().evidence] == [("H2", "refutes"), ("H1", "refutes")]


def test_the_picker_marks_read_in_russian(scripts: dict[str, Script]) -> None:
    convo = at_hypotheses(scripts, Conversation(scripts, lang="ru", hypotheses=HYPOTHESES))
    convo.tap("o:h2")
    convo.tap("o:supports")
    assert convo.labels[1].startswith("✓ H2: ") and convo.labels[1].endswith(" · отмечено: за")
    assert "✓ H1" not in convo.labels[0]


def test_going_back_and_repicking_another_items_hypothesis_leaves_one_link(
    scripts: dict[str, Script], convo: Conversation
) -> None:
    convo = at_hypotheses(scripts, convo)
    for code in ("o:h1", "o:supports", "o:h2", "o:refutes", "b", "b"):
        convo.tap(code)
    convo.tap("o:h1")  # the second item now names H1, which the first item also named
    assert convo.answers["hypotheses"] == [{"hypothesis": "h1", "stance": "refutes"}]
    assert "Now: Refutes" in convo.reply.plain_text  # its stance, to keep or change
    convo.tap("k")
    assert convo.question == "hypotheses" and "d" in convo.codes
