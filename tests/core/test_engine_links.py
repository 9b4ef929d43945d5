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
    for _ in range(8):
        convo.tap("o:h1")
        convo.tap("o:supports")
    assert convo.mode == "summary" and len(convo.answers["hypotheses"]) == 8
