"""`cusdev export --format md`: the interview notes hold every answer under its question, custom scripts included."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.i18n import gettext_for
from tests.bot.cli_support import cusdev

DISCOVERY = (
    "Maria\nDental clinics\nOffice manager\n1\ntoday\n"
    "when a patient cancels late\nI want to fill the slot fast\nthe dentist is not idle\n2\n/done\n"
    "Last Tuesday two patients cancelled; she phoned 12 people from a paper list.\n"
    "Re-booking by hand\n5\n1\n/done\nA paper list and the phone\n$200/mo\nFewer empty chairs\n/done\n/done\n"
    "I spent my whole Tuesday morning on the phone\n2\nDemo with the owner next Thursday\n1\n"
)
VALIDATION = (
    "Boris\nAccountants\nSenior accountant\n$200/mo\nAutomated month-end close\nHe asked for a pilot last week\n1\n1\n"
    "$10\n$40\n$90\n$150\n4\nSigned LOI\n$1 500\nNeeds SOC2 before any pilot\n1\nAccountants lose two days a month\n"
    "1\n/done\n1\n"
)
CUSTOM = """\
id: pilot
title: Pilot check-in
questions:
  - id: alias
    kind: text
    records: interviewee.alias
    prompt: "Who is running the pilot?"
  - id: blockers
    kind: long_text
    prompt: "What is blocking them this week?"
  - id: renew
    kind: yes_no
    prompt: "Will they renew?"
"""


@pytest.fixture(autouse=True)
def database(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    (scripts / "pilot.yaml").write_text(CUSTOM, encoding="utf-8")
    monkeypatch.setenv("SCRIPTS_DIR", str(scripts))


def test_the_notes_hold_every_answer_of_every_question_custom_scripts_included(monkeypatch: pytest.MonkeyPatch) -> None:
    for script, lines in (("discovery", DISCOVERY), ("validation", VALIDATION)):
        assert "Saved ✅" in cusdev("chat", "--script", script, "--as", "alice", input=lines)
    custom = "Olga\nIT is still reviewing the contract\n1\n1\n"
    assert "Saved ✅" in cusdev("chat", "--script", "pilot", "--as", "alice", input=custom)
    notes = cusdev("export", "--format", "md")
    for said in (
        "Office manager",
        "Warm intro",
        "- When a patient cancels late, I want to fill the slot fast, so that the dentist is not idle (social)",
        "> Last Tuesday two patients cancelled; she phoned 12 people from a paper list.",  # the story
        "Re-booking by hand · 5 — Hair on fire · Daily",
        "A paper list and the phone",  # today's solution: not in the record, only in the answers
        "$200/month",
        "Fewer empty chairs",
        "> I spent my whole Tuesday morning on the phone",
        "Demo with the owner next Thursday",
        "**What offer did you show them? One line is enough.**\n\nAutomated month-end close",  # the offer
        "> He asked for a pilot last week",  # their reaction
        "Very disappointed",  # Sean Ellis
        "$1,500",
        "> Needs SOC2 before any pilot",  # objections
        "Accountants lose two days a month",
        "## Olga",
        "*Team: default · Founder: alice · Script: Pilot check-in",
        "**What is blocking them this week?**\n\n> IT is still reviewing the contract",
        "**Will they renew?**\n\nYes",
    ):
        assert said in notes, said
    assert "**Evidence**\n- H1: Supports (medium)" in notes  # a new hypothesis has no block to prove
    monkeypatch.setenv("DEFAULT_LANGUAGE", "ru")
    russian = cusdev("export", "--format", "md")
    _ = gettext_for("ru")
    prompt = _("Who did you talk to? A first name or nickname is enough.")
    assert prompt != "Who did you talk to? A first name or nickname is enough." and f"**{prompt}**" in russian
