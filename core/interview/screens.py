"""Renders the engine's questions, summaries and confirmations as neutral Replies."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from core.domain import HypothesisRef
from core.i18n import N_, gettext_for, ngettext_for
from core.interview.answers import display
from core.interview.payloads import Action, Edit, Option, Scale, StartScript, SwitchScript, Toggle, encode
from core.interview.state import ConversationState, InterviewState, Position
from core.interview.walk import holds, item_fields, items_of, previous_position, progress, question_at
from core.messages import Choice, Reply, TextBuilder
from core.scripts.model import (
    AnyQuestion,
    ChoiceQuestion,
    HypothesesQuestion,
    ListQuestion,
    MultiChoiceQuestion,
    ScaleQuestion,
    Script,
    YesNoQuestion,
)

SUMMARY_PREVIEW = 160


def question_prompt(
    state: ConversationState,
    script: Script,
    hypotheses: Sequence[HypothesisRef],
    note: str | None = None,
    offers: tuple[tuple[Choice, ...], ...] = (),
) -> Reply:
    """The current question with its choices (and answers offered for typed ones) and navigation actions."""
    interview = _interview(state)
    assert interview.cursor is not None
    lang, turn, cursor = state.lang, state.turn, interview.cursor
    _ = gettext_for(lang)
    question = question_at(script, cursor, hypotheses)
    top = script.question(cursor.question)
    number, total = progress(script, interview, hypotheses)
    text = TextBuilder()
    if note:
        text.line(note, "italic").line()
    text.line(f"{_(script.title)} · {number}/{total}", "italic")
    if isinstance(top, (ListQuestion, HypothesesQuestion)) and cursor.field == 0:
        text.line(_item_heading(top, cursor, interview, lang), "bold")
    text.line(_(question.prompt), "bold")
    if question.hint:
        text.line(_(question.hint), "italic")
    value = _current_value(interview, cursor, question)
    if value is not _MISSING:
        text.add(_("Now: ")).line(_preview(display(question, value, lang)), "quote")
    choices = _choices(question, interview, turn, lang) + offers
    if isinstance(question, MultiChoiceQuestion):
        text.line(_("Tap all that apply, then Done (or type numbers like 1, 3)."), "italic")
    actions: list[Choice] = []
    if previous_position(script, interview, hypotheses) is not None:
        actions.append(Choice(_("◀ Back"), encode(turn, Action.BACK)))
    if value is not _MISSING:
        actions.append(Choice(_("Keep"), encode(turn, Action.KEEP)))
    at_new_item = isinstance(top, (ListQuestion, HypothesesQuestion)) and cursor.item >= len(
        items_of(interview, cursor.question)
    )
    if at_new_item and _can_finish_list(top, interview):
        actions.append(Choice(_("Done"), encode(turn, Action.DONE)))
    elif top.optional or (question is not top and question.optional):
        actions.append(Choice(_("Skip"), encode(turn, Action.SKIP)))
    actions.append(Choice(_("Pause"), encode(turn, Action.PAUSE)))
    return Reply(text.build(), choices, tuple(actions))


_MISSING = object()


def _current_value(interview: InterviewState, cursor: Position, question: AnyQuestion) -> Any:
    if cursor.item == 0 and cursor.field == 0 and cursor.question in interview.answers:
        raw = interview.answers[cursor.question]
        if not isinstance(raw, list):
            return raw
    items = items_of(interview, cursor.question)
    if cursor.item < len(items) and question.id in items[cursor.item]:
        return items[cursor.item][question.id]
    return _MISSING


def _item_heading(
    top: ListQuestion | HypothesesQuestion, cursor: Position, interview: InterviewState, lang: str
) -> str:
    _ = gettext_for(lang)
    if isinstance(top, HypothesesQuestion):
        return _(top.prompt)
    count = len(items_of(interview, cursor.question))
    heading = _("{item} {n}").format(item=_(top.item_name).capitalize(), n=cursor.item + 1)
    if cursor.item >= count and count >= top.min_items:
        heading += " — " + _("or tap Done")
    return heading


def _can_finish_list(top: AnyQuestion, interview: InterviewState) -> bool:
    minimum = top.min_items if isinstance(top, ListQuestion) else 0
    return len(items_of(interview, top.id)) >= minimum or top.optional


def _choices(question: AnyQuestion, interview: InterviewState, turn: int, lang: str) -> tuple[tuple[Choice, ...], ...]:
    _ = gettext_for(lang)
    if isinstance(question, ChoiceQuestion):
        labels = [_(option.label) for option in question.options]
        buttons = [
            Choice(label, encode(turn, Option(o.value))) for o, label in zip(question.options, labels, strict=False)
        ]
        return _rows(buttons, labels)
    if isinstance(question, MultiChoiceQuestion):
        marked = [
            ("✓ " if option.value in interview.selection else "") + _(option.label) for option in question.options
        ]
        buttons = [
            Choice(label, encode(turn, Toggle(o.value))) for o, label in zip(question.options, marked, strict=False)
        ]
        return (*_rows(buttons, marked), (Choice(_("Done ✔"), encode(turn, Action.SELECTED)),))
    if isinstance(question, ScaleQuestion):
        values = range(question.min, question.max + 1)
        return (tuple(Choice(str(v), encode(turn, Scale(v))) for v in values),)
    if isinstance(question, YesNoQuestion):
        return ((Choice(_("Yes"), encode(turn, Action.YES)), Choice(_("No"), encode(turn, Action.NO))),)
    return ()


def _rows(buttons: list[Choice], labels: list[str]) -> tuple[tuple[Choice, ...], ...]:
    """Short labels share a row (phones are narrow); long ones get a row each."""
    per_row = 3 if max(len(label) for label in labels) <= 10 else 2 if max(map(len, labels)) <= 18 else 1
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


def summary_entries(script: Script, interview: InterviewState, hypotheses: Sequence[HypothesisRef]) -> list[str]:
    """The top-level questions shown in the summary, in order."""
    return [q.id for q in script.questions if holds(q.when, interview.answers) and q.id in interview.answers]


def summary_prompt(state: ConversationState, script: Script, hypotheses: Sequence[HypothesisRef]) -> Reply:
    """Every answer, numbered, with Save and Edit."""
    interview = _interview(state)
    lang, turn = state.lang, state.turn
    _ = gettext_for(lang)
    text = TextBuilder().line(_("Almost done — check your answers:"), "bold").line()
    for number, question_id in enumerate(summary_entries(script, interview, hypotheses), start=1):
        question = script.question(question_id)
        text.add(f"{number}. ").add(_(question.prompt), "italic").line()
        for line in _answer_lines(question, interview, hypotheses, lang):
            text.add("   ").line(_preview(line))
    text.line().line(_("Save it, or edit any answer first."))
    choices = (
        (Choice(_("Save ✅"), encode(turn, Action.SAVE)), Choice(_("Edit an answer"), encode(turn, Action.EDIT_PICK))),
    )
    return Reply(
        text.build(),
        choices,
        (Choice(_("◀ Back"), encode(turn, Action.BACK)), Choice(_("Pause"), encode(turn, Action.PAUSE))),
    )


def _answer_lines(
    question: AnyQuestion, interview: InterviewState, hypotheses: Sequence[HypothesisRef], lang: str
) -> list[str]:
    value = interview.answers.get(question.id)
    if not isinstance(question, (ListQuestion, HypothesesQuestion)) or value is None:
        return [display(question, value, lang)]
    fields = item_fields(question, hypotheses)
    lines = []
    for item in items_of(interview, question.id):
        shown = [f for f in fields if f.id in item and f.id != "hypothesis" and holds(f.when, interview.answers, item)]
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
    interview = _interview(state)
    _ = gettext_for(state.lang)
    count = len(summary_entries(script, interview, hypotheses))
    buttons = [Choice(str(n), encode(state.turn, Edit(n))) for n in range(1, count + 1)]
    rows = tuple(tuple(buttons[i : i + 6]) for i in range(0, len(buttons), 6))
    text = TextBuilder().line(_("Which answer do you want to change? Tap or type its number."))
    return Reply(text.build(), rows, (Choice(_("◀ Back to summary"), encode(state.turn, Action.BACK)),))


def script_pick_prompt(state: ConversationState, scripts: Sequence[Script]) -> Reply:
    """Choose which interview script to run."""
    _ = gettext_for(state.lang)
    text = TextBuilder().line(_("Which interview?"), "bold")
    for script in scripts:
        text.add("• ").add(_(script.title), "bold").line(" — " + _(script.description) if script.description else "")
    buttons = tuple((Choice(_(s.title), encode(state.turn, StartScript(s.id))),) for s in scripts)
    return Reply(text.build(), buttons)


def confirm_cancel_prompt(state: ConversationState) -> Reply:
    """Ask before dropping an interview."""
    _ = gettext_for(state.lang)
    text = (
        TextBuilder()
        .line(_("Cancel this interview?"), "bold")
        .line(_("The answers so far stay in your history, marked cancelled."))
    )
    choices = (
        (
            Choice(_("Yes, cancel it"), encode(state.turn, Action.YES)),
            Choice(_("No, go on"), encode(state.turn, Action.NO)),
        ),
    )
    return Reply(text.build(), choices)


def switch_prompt(
    state: ConversationState, open_script: Script, progress_of: tuple[int, int], wanted: Script, now: datetime
) -> Reply:
    """Another interview is open: say which, and offer to go on with it or cancel it for the one asked for."""
    interview = _interview(state)
    _ = gettext_for(state.lang)
    title, new_title = _(open_script.title), _(wanted.title)
    number, total = progress_of
    started = datetime.fromisoformat(interview.started_at)
    text = TextBuilder().line(_("You have an unfinished interview:"), "bold")
    details = _("{title}, question {n} of {total}, started {when}.")
    text.line(details.format(title=title, n=number, total=total, when=_ago(now - started, state.lang)))
    if interview.paused:
        text.line(_("It is paused; every answer is saved."), "italic")
    text.line().line(
        _(
            "Continue it, or start “{title}” instead? Starting anew cancels the open interview (its answers "
            "are kept, marked cancelled); saved interviews are not touched."
        ).format(title=new_title)
    )
    go_on = _("Continue {title} ({n}/{total})").format(title=title, n=number, total=total)
    switch = _("Cancel it, start {title}").format(title=new_title)
    choices = (
        (Choice(go_on, encode(state.turn, Action.CONTINUE)),),
        (Choice(switch, encode(state.turn, SwitchScript(wanted.id))),),
    )
    return Reply(text.build(), choices)


def _ago(elapsed: timedelta, lang: str) -> str:
    """How long ago, in whole minutes, hours or days (no time zone needed)."""
    n_ = ngettext_for(lang)
    minutes = max(0, int(elapsed.total_seconds() // 60))
    if minutes < 1:
        return gettext_for(lang)("just now")
    if minutes < 60:
        return n_("{n} minute ago", "{n} minutes ago", minutes).format(n=minutes)
    if minutes < 48 * 60:
        return n_("{n} hour ago", "{n} hours ago", minutes // 60).format(n=minutes // 60)
    return n_("{n} day ago", "{n} days ago", minutes // 1440).format(n=minutes // 1440)


WARNING_TEXTS = {
    "long": N_("That's a long answer ({length} characters). Keep it whole, or type a shorter one."),
    "hypothetical": N_(
        "That sounds hypothetical (“would”, “will”). Next time ask: “When was the last time that happened? "
        "What did you do?”"
    ),
    "compliment": N_(
        "That sounds like a compliment, which is not evidence. Next time ask: “What are you using now, and "
        "what does it cost you?”"
    ),
    "generality": N_(
        "That's a generality (“always”, “usually”). Next time ask about one specific time: “Tell me about "
        "the last time.”"
    ),
    "order": N_(
        "Heads-up: this is not above your answer to the previous price question; the four prices usually rise."
    ),
}


def warning_prompt(state: ConversationState, warnings: Sequence[str], length: int) -> Reply:
    """One short, friendly nudge about the answer just typed, with a way to keep it."""
    _ = gettext_for(state.lang)
    text = TextBuilder()
    for warning in warnings:
        text.line("💡 " + _(WARNING_TEXTS[warning]).format(length=length))
    text.line(_("Keep the answer as it is, or type it again."))
    choices = ((Choice(_("Keep it"), encode(state.turn, Action.KEEP)),),)
    return Reply(text.build(), choices)


def plain(text: str, style: str = "plain") -> Reply:
    """A reply of one line of text."""
    return Reply(TextBuilder().add(text, style).build())  # type: ignore[arg-type]


def _interview(state: ConversationState) -> InterviewState:
    assert state.interview is not None
    return state.interview


def _preview(text: str) -> str:
    return text if len(text) <= SUMMARY_PREVIEW else text[: SUMMARY_PREVIEW - 1] + "…"
