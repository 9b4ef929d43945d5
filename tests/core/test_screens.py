"""What the question screens show: scale labels, the edit picker's names, a list's own prompt, honest progress."""

from __future__ import annotations

import re

import pytest

from core.i18n import gettext_for
from core.scripts.model import Script
from tests.core.conftest import HYPOTHESES, Conversation
from tests.core.test_engine_navigation import quick_at_summary

TITLE = re.compile(r"· (\d+) (?:of|из) (примерно |about )?(\d+)")


def quick_at_severity(scripts: dict[str, Script], lang: str = "en") -> Conversation:
    convo = Conversation(scripts, lang=lang)
    convo.send("/quick")
    for text in ("Chen", "Translators", "Invoices in three currencies"):
        convo.send(text)
    return convo


def test_scale_buttons_carry_their_labels(scripts: dict[str, Script]) -> None:
    convo = quick_at_severity(scripts)
    assert convo.labels[:5] == [
        "1 · Minor annoyance",
        "2 · Noticeable",
        "3 · Real hassle",
        "4 · Serious problem",
        "5 · Hair on fire",
    ]
    convo.press("4 · Serious problem")
    assert convo.answers["pains"] == [{"text": "Invoices in three currencies", "severity": 4}]


def test_scale_buttons_are_labelled_in_russian(scripts: dict[str, Script]) -> None:
    convo = quick_at_severity(scripts, lang="ru")
    ru = gettext_for("ru")
    assert convo.labels[0] == f"1 · {ru('Minor annoyance')}" and ru("Minor annoyance") != "Minor annoyance"


def test_edit_picker_names_each_answer(scripts: dict[str, Script]) -> None:
    convo = quick_at_summary(scripts)
    convo.tap("ed")
    assert convo.labels[:5] == ["1 · Name", "2 · Segment", "3 · Pains", "4 · Commitment", "5 · Best quote"]
    convo.press("4 · Commitment")
    assert convo.question == "commitment_kind"


def test_a_lists_first_item_shows_the_lists_prompt_and_hint(scripts: dict[str, Script]) -> None:
    convo = Conversation(scripts)
    convo.start("discovery")
    for text in ("Anna", "Studios", "Owner", "1", "today"):
        convo.send(text)
    assert convo.question == "jobs"
    script = scripts["discovery"]
    jobs = script.question("jobs")
    assert jobs.prompt in convo.text and jobs.hint is not None and jobs.hint in convo.text
    assert "Job 1" in convo.text and "When does it come up?" in convo.text
    for text in ("a client pays late", "chase", "pay the team"):
        convo.send(text)
    convo.tap("o:functional")  # the job's type
    assert "Job 2" in convo.text and jobs.prompt not in convo.text, "the list's prompt is said once, not per item"


def test_hypotheses_list_shows_its_hint_before_the_first_link(scripts: dict[str, Script]) -> None:
    from tests.core.test_engine_navigation import discovery_at_hypotheses

    convo = discovery_at_hypotheses(scripts)
    hint = scripts["discovery"].question("hypotheses").hint
    assert hint is not None and hint in convo.text


def totals_along(convo: Conversation, steps: list[str]) -> list[tuple[int, bool, int]]:
    """(number, about, total) from each question screen's title line along the steps."""
    seen = []
    for step in steps:
        convo.tap(step[1:]) if step.startswith("#") else convo.send(step)
        match = TITLE.search(convo.text)
        if match:
            seen.append((int(match[1]), bool(match[2]), int(match[3])))
    return seen


@pytest.mark.parametrize("commitment", ["money", "none"])
def test_progress_total_never_grows(scripts: dict[str, Script], commitment: str) -> None:
    convo = Conversation(scripts, hypotheses=HYPOTHESES)
    convo.start("discovery")
    steps = ["Anna", "Studios", "Owner", "1", "today", "a client pays late", "chase", "pay the team"]
    steps += ["#o:functional", "#d"]
    steps += ["Last Tuesday she reconciled invoices", "Month-end eats a day", "4", "#o:weekly", "#d"]
    steps += ["Excel", "/skip", "#d", "/skip", "/skip", f"#o:{commitment}"]
    if commitment == "money":
        steps += ["Paid pilot from May", "$500"]
    seen = totals_along(convo, steps)
    totals = [total for _, _, total in seen]
    assert totals == sorted(totals, reverse=True), f"the total grew: {totals}"
    assert seen[0] == (2, True, 16), "the two commitment follow-ups count until the commitment rules them out"
    assert [n for n, _, _ in seen] == sorted(n for n, _, _ in seen)
    assert convo.mode == "summary"
    if commitment == "money":
        assert seen[-1] == (16, False, 16), "no question left depends on an answer to come: no “about”"


def test_progress_reads_about_in_both_languages(scripts: dict[str, Script]) -> None:
    english = Conversation(scripts)
    english.start("discovery")
    assert "Problem interview · 1 of about 16" in english.text
    russian = Conversation(scripts, lang="ru")
    russian.start("discovery")
    ru = gettext_for("ru")
    assert f"{ru('Problem interview')} · 1 из примерно 16" in russian.text


def test_edit_picker_falls_back_to_the_start_of_the_prompt(scripts: dict[str, Script]) -> None:
    from core.scripts.loader import load_script_text

    question = "  - {id: who, kind: text, prompt: 'Who exactly did you speak with today?'}\n"
    text = "id: mine\ntitle: Mine\nquestions:\n" + question
    convo = Conversation({**scripts, "mine": load_script_text(text, "mine.yaml")})
    convo.start("mine")
    convo.send("Anna")
    convo.tap("ed")
    assert convo.labels[0] == "1 · Who exactly did you spe…"


def test_plain_text_fallback_numbers_each_choice_once(scripts: dict[str, Script]) -> None:
    convo = quick_at_summary(scripts)
    convo.tap("ed")
    assert "  1. Name\n  2. Segment" in convo.reply.fallback()
