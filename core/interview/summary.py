"""The summary at the end of an interview: every answer as the founder reads it, and which one to edit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.domain import HypothesisRef
from core.i18n import gettext_for
from core.interview.answers import display
from core.interview.payloads import Action, Edit, encode
from core.interview.screens import SUMMARY_PREVIEW, button_rows, short_text
from core.interview.state import ConversationState, InterviewState
from core.interview.walk import holds, item_fields
from core.messages import Choice, Reply, TextBuilder, shorten
from core.scripts.model import AnyQuestion, HypothesesQuestion, ListQuestion, Script


def summary_entries(script: Script, interview: InterviewState, hypotheses: Sequence[HypothesisRef]) -> list[str]:
    """The top-level questions shown in the summary, in order."""
    return [q.id for q in script.questions if holds(q.when, interview.answers) and q.id in interview.answers]


def summary_prompt(state: ConversationState, script: Script, hypotheses: Sequence[HypothesisRef]) -> Reply:
    """Every answer, numbered, with Save and Edit."""
    interview = _interview_of(state)
    lang, turn = state.lang, state.turn
    _ = gettext_for(lang)
    text = TextBuilder().line(_("Almost done — check your answers:"), "bold").line()
    for number, question_id in enumerate(summary_entries(script, interview, hypotheses), start=1):
        question = script.question(question_id)
        text.add(f"{number}. ").add(_(question.prompt), "italic").line()
        for line in answer_lines(question, interview.answers, hypotheses, lang):
            text.add("   ").line(shorten(line, SUMMARY_PREVIEW))
    text.line().line(_("Save it, or edit any answer first."))
    choices = (
        (Choice(_("Save ✅"), encode(turn, Action.SAVE)), Choice(_("Edit an answer"), encode(turn, Action.EDIT_PICK))),
    )
    return Reply(
        text.build(),
        choices,
        (Choice(_("◀ Back"), encode(turn, Action.BACK)), Choice(_("Pause"), encode(turn, Action.PAUSE))),
    )


def answer_lines(
    question: AnyQuestion, answers: dict[str, Any], hypotheses: Sequence[HypothesisRef], lang: str
) -> list[str]:
    """A top-level question's answer as the founder reads it: one line, or one "• " line per item of a list."""
    value = answers.get(question.id)
    if not isinstance(question, (ListQuestion, HypothesesQuestion)) or value is None:
        return [display(question, value, lang)]
    fields = item_fields(question, hypotheses)
    lines = []
    for item in value if isinstance(value, list) else []:
        shown = [f for f in fields if f.id in item and f.id != "hypothesis" and holds(f.when, answers, item)]
        parts = [display(f, item[f.id], lang) for f in shown]
        if "hypothesis" in item:
            parts.insert(0, _hypothesis_label(item["hypothesis"], hypotheses, lang))
        lines.append("• " + " · ".join(parts))
    return lines or [gettext_for(lang)("(none)")]


def _hypothesis_label(value: str, hypotheses: Sequence[HypothesisRef], lang: str) -> str:
    for hypothesis in hypotheses:
        if hypothesis.code.lower() == value:
            return hypothesis.code
    return gettext_for(lang)("new") if value == "new" else value.upper()


def edit_pick_prompt(state: ConversationState, script: Script, hypotheses: Sequence[HypothesisRef]) -> Reply:
    """Which answer to change: one small button per summary number."""
    interview = _interview_of(state)
    _ = gettext_for(state.lang)
    entries = summary_entries(script, interview, hypotheses)
    labels = [f"{n} · {short_text(script.question(q), state.lang)}" for n, q in enumerate(entries, start=1)]
    buttons = [Choice(label, encode(state.turn, Edit(n))) for n, label in enumerate(labels, start=1)]
    text = TextBuilder().line(_("Which answer do you want to change? Tap or type its number."))
    rows = button_rows(buttons, labels) if buttons else ()
    return Reply(text.build(), rows, (Choice(_("◀ Back to summary"), encode(state.turn, Action.BACK)),))


def _interview_of(state: ConversationState) -> InterviewState:
    assert state.interview is not None
    return state.interview
