"""Renders the engine's questions and confirmations as neutral Replies (the summary: core/interview/summary.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from core.domain import HypothesisRef
from core.i18n import gettext_for, ngettext_for
from core.interview.answers import display
from core.interview.links import marked_stances, picker_labels
from core.interview.payloads import Action, Option, Scale, StartScript, SwitchScript, Toggle, encode
from core.interview.state import ConversationState, InterviewState, Position
from core.interview.walk import (
    Progress,
    items_of,
    previous_position,
    progress,
    question_at,
)
from core.messages import Choice, Reply, TextBuilder, shorten
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
"""How much of a long answer the summary and the "Now:" line show."""
SHORT_LABEL = 24


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
    text = TextBuilder()
    if note:
        text.line(note, "italic").line()
    text.line(f"{_(script.title)} · {progress_text(progress(script, interview, hypotheses), lang)}", "italic")
    if isinstance(top, (ListQuestion, HypothesesQuestion)) and cursor.field == 0:
        _list_heading(text, top, cursor, interview, lang)
    text.line(_(question.prompt), "bold")
    if question.hint:
        text.line(_(question.hint), "italic")
    value = _current_value(interview, cursor, question)
    if value is not _MISSING:
        text.add(_("Now: ")).line(shorten(display(question, value, lang), SUMMARY_PREVIEW), "quote")
    marks = marked_stances(items_of(interview, cursor.question)) if question.id == "hypothesis" else {}
    if marks and isinstance(top, HypothesesQuestion):
        text.line(
            _("✓ marks a hypothesis this interview already touched; pick it again to change its stance."), "italic"
        )
    choices = _choices(question, interview, turn, lang, marks if isinstance(top, HypothesesQuestion) else {}) + offers
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


def progress_text(where: Progress, lang: str, compact: bool = False) -> str:
    """ "5 of 14", or "5 of about 14" while conditional questions may still drop out ("5/~14" on a button)."""
    _ = gettext_for(lang)
    if compact:
        return f"{where.number}/{'~' if where.about else ''}{where.total}"
    text = _("{n} of about {total}") if where.about else _("{n} of {total}")
    return text.format(n=where.number, total=where.total)


def _list_heading(
    text: TextBuilder, top: ListQuestion | HypothesesQuestion, cursor: Position, interview: InterviewState, lang: str
) -> None:
    """Above an item's first field: the list's own prompt and hint before the first item, then "Pain 2"."""
    _ = gettext_for(lang)
    if cursor.item == 0 or isinstance(top, HypothesesQuestion):
        text.line(_(top.prompt), "bold")
    if cursor.item == 0 and top.hint:
        text.line(_(top.hint), "italic")
    if cursor.item == 0:
        text.line()
    if isinstance(top, HypothesesQuestion):
        return
    count = len(items_of(interview, cursor.question))
    heading = _("{item} {n}").format(item=_(top.item_name).capitalize(), n=cursor.item + 1)
    if cursor.item >= count and count >= top.min_items:
        heading += " — " + _("or tap Done")
    text.line(heading, "bold")


def _can_finish_list(top: AnyQuestion, interview: InterviewState) -> bool:
    minimum = top.min_items if isinstance(top, ListQuestion) else 0
    return len(items_of(interview, top.id)) >= minimum or top.optional


def _choices(
    question: AnyQuestion, interview: InterviewState, turn: int, lang: str, marks: dict[str, str]
) -> tuple[tuple[Choice, ...], ...]:
    _ = gettext_for(lang)
    if isinstance(question, ChoiceQuestion):
        options = [option.value for option in question.options]
        labels = picker_labels([_(option.label) for option in question.options], options, marks, lang)
        buttons = [
            Choice(label, encode(turn, Option(o.value))) for o, label in zip(question.options, labels, strict=False)
        ]
        return button_rows(buttons, labels)
    if isinstance(question, MultiChoiceQuestion):
        marked = [
            ("✓ " if option.value in interview.selection else "") + _(option.label) for option in question.options
        ]
        buttons = [
            Choice(label, encode(turn, Toggle(o.value))) for o, label in zip(question.options, marked, strict=False)
        ]
        return (*button_rows(buttons, marked), (Choice(_("Done ✔"), encode(turn, Action.SELECTED)),))
    if isinstance(question, ScaleQuestion):
        values = range(question.min, question.max + 1)
        labels = [f"{v} · {_(question.labels[v])}" if v in question.labels else str(v) for v in values]
        scale = [Choice(label, encode(turn, Scale(v))) for v, label in zip(values, labels, strict=True)]
        return (tuple(scale),) if not question.labels else button_rows(scale, labels)
    if isinstance(question, YesNoQuestion):
        return ((Choice(_("Yes"), encode(turn, Action.YES)), Choice(_("No"), encode(turn, Action.NO))),)
    return ()


def button_rows(buttons: list[Choice], labels: list[str]) -> tuple[tuple[Choice, ...], ...]:
    """Short labels share a row (phones are narrow); long ones get a row each."""
    per_row = 3 if max(len(label) for label in labels) <= 10 else 2 if max(map(len, labels)) <= 18 else 1
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


def short_text(question: AnyQuestion, lang: str) -> str:
    """A question's few-word name (its `short`, else the start of its prompt), for buttons."""
    _ = gettext_for(lang)
    return _(question.short) if question.short else shorten(_(question.prompt), SHORT_LABEL)


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
    state: ConversationState, open_script: Script, progress_of: Progress, wanted: Script, now: datetime
) -> Reply:
    """Another interview is open: say which, and offer to go on with it or cancel it for the one asked for."""
    interview = _interview(state)
    _ = gettext_for(state.lang)
    title, new_title = _(open_script.title), _(wanted.title)
    position = progress_text(progress_of, state.lang)
    started = datetime.fromisoformat(interview.started_at)
    text = TextBuilder().line(_("You have an unfinished interview:"), "bold")
    details = _("{title}, question {position}, started {when}.")
    text.line(details.format(title=title, position=position, when=_ago(now - started, state.lang)))
    if interview.paused:
        text.line(_("It is paused; every answer is saved."), "italic")
    text.line().line(
        _(
            "Continue it, or start “{title}” instead? Starting anew cancels the open interview (its answers "
            "are kept, marked cancelled); saved interviews are not touched."
        ).format(title=new_title)
    )
    go_on = _("Continue {title} ({position})").format(
        title=title, position=progress_text(progress_of, state.lang, True)
    )
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


def plain(text: str, style: str = "plain") -> Reply:
    """A reply of one line of text."""
    return Reply(TextBuilder().add(text, style).build())  # type: ignore[arg-type]


def _interview(state: ConversationState) -> InterviewState:
    assert state.interview is not None
    return state.interview
