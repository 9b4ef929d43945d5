"""One step's working memory, shared by the engine's handlers: the state, lookups and the replies to send."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from core.domain import HypothesisRef
from core.i18n import gettext_for
from core.interview import nudges, screens, summary
from core.interview.effects import Effect
from core.interview.offers import PAIN_FIELD, Suggestions, date_rows, offer_kind, offer_rows
from core.interview.payloads import Action, encode
from core.interview.state import ConversationState, InterviewState, Position
from core.interview.walk import items_of, progress, question_at
from core.messages import Choice, Incoming, Reply, Span
from core.scripts.model import (
    AnyQuestion,
    HypothesesQuestion,
    ListQuestion,
    LongTextQuestion,
    MultiChoiceQuestion,
    Script,
    TextQuestion,
)


@dataclass(frozen=True)
class Context:
    """What a step may know besides the state and the event: scripts, the clock, a fresh id, the team."""

    scripts: Mapping[str, Script]
    now: datetime
    new_id: str = ""
    hypotheses: tuple[HypothesisRef, ...] = ()
    default_currency: str | None = None
    suggestions: Suggestions | None = None
    """The team's segments and top pains; None when not read (a step that would offer them asks for them)."""


class TurnBase(ABC):
    """One step's working memory: what the handlers share, how they look things up and how they reply.

    The handlers live in mixins (core.interview.answering, core.interview.lifecycle) and in the engine's dispatch.
    """

    def __init__(self, state: ConversationState, incoming: Incoming, ctx: Context) -> None:
        self.state, self.incoming, self.ctx = state, incoming, ctx
        self.replies: list[Reply] = []
        self.effects: list[Effect] = []
        self._ = gettext_for(state.lang)
        self.needs_suggestions = False
        self.note_next: str | None = None  # said on the next screen drawn (e.g. the date just understood)
        self.own_words = False  # "Something else" was pressed: the question is asked without its offered answers

    # --- provided by a mixin, called from another ----------------------------------------------
    @abstractmethod
    def to_summary(self) -> None:
        """Leave the questions for the summary (core.interview.lifecycle)."""

    # --- replies --------------------------------------------------------------------------------
    def screen(self, note: str | None = None, replaces_prompt: bool = False) -> Reply:
        """The current screen: a confirmation, the question, the summary or the edit picker."""
        state, interview = self.state, self.interview()
        if state.pending is not None and state.pending.kind == "cancel":
            reply = screens.confirm_cancel_prompt(state)
        elif state.pending is not None and state.pending.kind == "switch":
            wanted = self.ctx.scripts[state.pending.value]
            where = progress(self.script(), interview, self.ctx.hypotheses)
            reply = screens.switch_prompt(state, self.script(), where, wanted, self.ctx.now)
        elif state.pending is not None and state.pending.kind == "replace":
            first, new = state.pending.value.get("first"), state.pending.value.get("new")
            reply = nudges.replace_prompt(state, str(first), str(new))
        elif state.pending is not None:
            length = len(state.pending.value) if isinstance(state.pending.value, str) else 0
            reply = nudges.warning_prompt(state, state.pending.flags, length, self.verbatim())
        elif interview.mode == "summary":
            reply = summary.summary_prompt(state, self.script(), self.ctx.hypotheses)
        elif interview.mode == "edit_pick":
            reply = summary.edit_pick_prompt(state, self.script(), self.ctx.hypotheses)
        else:
            reply = screens.question_prompt(state, self.script(), self.ctx.hypotheses, note, self.offers())
            note = None
        if note:
            reply = Reply(
                (*screens.plain(note, "italic").spans, Span("\n\n"), *reply.spans), reply.choices, reply.actions
            )
        return Reply(reply.spans, reply.choices, reply.actions, replaces_prompt)

    def offers(self) -> tuple[tuple[Choice, ...], ...]:
        """Buttons offering answers to a typed question (Today, Yesterday; the team's segments or pains)."""
        state, interview, question = self.state, self.interview(), self.current_question()
        kind = offer_kind(self.script(), self.cursor(), question)
        offered: tuple[str, ...] = ()
        if kind is not None and self.ctx.suggestions is None:
            self.needs_suggestions = True
        elif kind is not None and self.ctx.suggestions is not None:
            offered = self.ctx.suggestions.of(kind, self.taken_pains() if kind == "pains" else ())
        interview.offered = list(offered)
        dates = date_rows(question, self.ctx.now.date(), state.turn, state.lang)
        return (*dates, *offer_rows(() if self.own_words else offered, state.turn, state.lang))

    def taken_pains(self) -> tuple[str, ...]:
        """The pains already named by the other items of this list: offering them again would count one pain twice."""
        cursor = self.cursor()
        items = items_of(self.interview(), cursor.question)
        return tuple(str(item.get(PAIN_FIELD, "")) for n, item in enumerate(items) if n != cursor.item)

    def show(self, new_screen: bool = False, note: str | None = None) -> None:
        if new_screen:
            self.state.turn += 1
        self.replies.append(self.screen(note or self.note_next))
        self.note_next = None

    def reshow(self) -> None:
        self.show(note=self._("Please use the buttons on this message, or type your answer."))

    def stale(self, note: str | None = None) -> None:
        note = note or self._("That button is from a question that has passed; nothing was changed.")
        if self.state.interview is None:
            self.idle(note)
        elif self.state.interview.paused:
            self.say_paused()
        else:
            self.show(note=note)
        # Adapters must not mark the old message as answered.
        self.replies[0] = replace(self.replies[0], stale_press=True)

    def say(self, text: str) -> None:
        self.replies.append(screens.plain(text))

    def say_paused(self) -> None:
        interview, turn = self.interview(), self.state.turn
        where = screens.progress_text(progress(self.script(), interview, self.ctx.hypotheses), self.state.lang)
        text = self._(
            "Your interview is paused at question {position}; every answer is saved. "
            "Send /resume to go on, or /cancel to drop it."
        )
        buttons = (
            Choice(self._("▶ Resume"), encode(turn, Action.RESUME)),
            Choice(self._("Cancel it"), encode(turn, Action.CANCEL)),
        )
        self.replies.append(Reply(screens.plain(text.format(position=where)).spans, (buttons,)))

    def idle(self, note: str) -> None:
        self.state.turn += 1
        self.replies.append(screens.plain(note + " " + self._("Pick an interview to start, or send /help.")))
        self.replies.append(screens.script_pick_prompt(self.state, list(self.ctx.scripts.values())))

    # --- lookups --------------------------------------------------------------------------------
    def interview(self) -> InterviewState:
        assert self.state.interview is not None
        return self.state.interview

    def script(self) -> Script:
        return self.ctx.scripts[self.interview().script_id]

    def cursor(self) -> Position:
        cursor = self.interview().cursor
        assert cursor is not None
        return cursor

    def current_question(self) -> AnyQuestion:
        return question_at(self.script(), self.cursor(), self.ctx.hypotheses)

    def verbatim(self) -> bool:
        """Whether the current question asks for the interviewee's own words (the coach never asks to retype)."""
        question = self.current_question()
        return isinstance(question, (TextQuestion, LongTextQuestion)) and question.verbatim

    def current_value_missing(self) -> bool:
        cursor, interview = self.cursor(), self.interview()
        if self.current_question() is self.script().question(cursor.question):
            return cursor.question not in interview.answers
        if cursor.question in interview.answers and interview.answers[cursor.question] is None:
            return False  # a skipped list counts as answered
        items = items_of(interview, cursor.question)
        return cursor.item >= len(items) or self.current_question().id not in items[cursor.item]

    def at_new_item(self) -> bool:
        cursor, interview = self.cursor(), self.interview()
        top = self.script().question(cursor.question)
        is_list = isinstance(top, (ListQuestion, HypothesesQuestion))
        return is_list and cursor.item >= len(items_of(interview, cursor.question))

    def can_finish_list(self) -> bool:
        top = self.script().question(self.cursor().question)
        minimum = top.min_items if isinstance(top, ListQuestion) else 0
        return top.optional or len(items_of(self.interview(), top.id)) >= minimum

    def reset_selection(self) -> None:
        interview = self.interview()
        interview.selection = []
        if interview.cursor is not None and isinstance(self.current_question(), MultiChoiceQuestion):
            value = interview.answers.get(interview.cursor.question)
            interview.selection = list(value) if isinstance(value, list) else []
