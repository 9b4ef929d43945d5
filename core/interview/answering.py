"""The engine's answering handlers: typed and tapped answers, lists and moving between questions."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.i18n import ngettext_for
from core.interview import nudges
from core.interview.answers import Accepted, money_of, parse_answer
from core.interview.coach import FLAGS
from core.interview.effects import AnswerSaved
from core.interview.links import keep_items, one_stance_each
from core.interview.offers import format_day, same_wording
from core.interview.payloads import Action, Code, Toggle
from core.interview.state import Pending, Position
from core.interview.turn import TurnBase
from core.interview.walk import holds, item_fields, items_of, next_position, previous_position
from core.scripts.model import (
    AnyQuestion,
    DateQuestion,
    HypothesesQuestion,
    ListQuestion,
    MoneyQuestion,
    MultiChoiceQuestion,
)

PRICE_TARGET = "price."
"""Answers recorded as the interview's price answers (one currency per interview: core.interview.record)."""


class AnsweringMixin(TurnBase):
    """Store answers, walk lists and move the cursor forward and back."""

    # --- answering ------------------------------------------------------------------------------
    def answer_typed(self, text: str, with_warnings: bool) -> None:
        question = self.current_question()
        today = self.ctx.now.date()
        parsed = parse_answer(
            question, text, self.state.lang, today, self.interview().answers, self.ctx.default_currency
        )
        if not isinstance(parsed, Accepted):
            return self.show(note=parsed.message)
        mixed = self.other_price_currency(question, parsed.value)
        if mixed is not None:
            return self.show(
                note=self._(
                    "This interview's other prices are in {currency}, and one interview keeps its prices in one "
                    "currency. Type this one in {currency} too, or go back and change the earlier ones."
                ).format(currency=mixed)
            )
        if isinstance(parsed.value, str) and self.interview().offered:  # "small clinics" typed is "Small clinics"
            parsed = Accepted(same_wording(parsed.value, self.interview().offered), parsed.warnings)
        if isinstance(question, DateQuestion):  # say which day was understood ("friday" is easy to misread)
            day = format_day(date.fromisoformat(parsed.value), self.state.lang)
            self.note_next = self._("Noted: {day}.").format(day=day)
        if parsed.warnings and with_warnings:
            self.state.pending = Pending("warning", parsed.value, list(parsed.warnings))
            self.state.turn += 1
            length = len(parsed.value) if isinstance(parsed.value, str) else 0
            self.replies.append(nudges.warning_prompt(self.state, parsed.warnings, length, self.verbatim()))
            return None
        flags = tuple(w for w in parsed.warnings if w != "long")
        return self.store(parsed.value, flags)

    def other_price_currency(self, question: AnyQuestion, value: Any) -> str | None:
        """The currency of this interview's other price answers when the typed price names another one, else None."""
        if not isinstance(question, MoneyQuestion) or not (question.records or "").startswith(PRICE_TARGET):
            return None
        typed = money_of(value)
        answers = self.interview().answers
        for other in self.script().questions:
            if other.id == question.id or not (other.records or "").startswith(PRICE_TARGET):
                continue
            earlier = money_of(answers.get(other.id))
            if typed and typed.currency and earlier and earlier.currency and earlier.currency != typed.currency:
                return earlier.currency
        return None

    # --- after a nudge --------------------------------------------------------------------------
    def answer_after_nudge(self, text: str) -> None:
        """Another answer typed while the coach's nudge is open: ask which to keep, never replace silently."""
        pending = self.state.pending
        assert pending is not None
        first = pending.value.get("first") if pending.kind == "replace" else pending.value
        if isinstance(first, str) and text.casefold() == first.casefold():
            return self.keep_nudged(pending)  # the same answer typed again: the founder means it
        parsed = parse_answer(
            self.current_question(), text, self.state.lang, self.ctx.now.date(), {}, self.ctx.default_currency
        )
        if not isinstance(parsed, Accepted):
            return self.show(note=parsed.message)
        self.state.pending = Pending("replace", {"first": first, "new": text}, list(pending.flags))
        return self.show(new_screen=True)

    def keep_nudged(self, pending: Pending) -> None:
        """Keep the answer the nudge was about, with its flags (it counts as weak evidence)."""
        self.state.pending = None
        first = pending.value.get("first") if pending.kind == "replace" else pending.value
        return self.store(first, tuple(pending.flags))

    def replace_nudged(self, pending: Pending) -> None:
        """Take the answer typed after the nudge instead; it is flagged if need be, but not nudged again."""
        self.state.pending = None
        return self.answer_typed(str(pending.value.get("new", "")), with_warnings=False)

    def on_multi_code(self, question: MultiChoiceQuestion, code: Code) -> None:
        interview = self.interview()
        if isinstance(code, Toggle) and any(option.value == code.value for option in question.options):
            value = code.value
            selected = set(interview.selection) ^ {value}
            interview.selection = [o.value for o in question.options if o.value in selected]
            self.replies.append(self.screen(replaces_prompt=True))
            return None
        if code is Action.SELECTED:
            if len(interview.selection) < question.min_selected:
                return self.show(note=self._("Please pick at least {n}.").format(n=question.min_selected))
            return self.store(list(interview.selection), ())
        return self.reshow()

    # --- lists and navigation -------------------------------------------------------------------
    def store(self, value: Any, flags: tuple[str, ...]) -> None:
        interview, cursor = self.interview(), self.cursor()
        top = self.script().question(cursor.question)
        coach_flags: list[str] = [flag for flag in flags if flag in FLAGS]
        if isinstance(top, (ListQuestion, HypothesesQuestion)):
            items = items_of(interview, cursor.question)
            if cursor.item >= len(items):
                items.append({})
            field_id = item_fields(top, ())[cursor.field].id
            items[cursor.item][field_id] = value
            interview.answers[cursor.question] = items
            flag_key = f"{cursor.question}.{cursor.item}.{field_id}"
        else:
            interview.answers[cursor.question] = value
            flag_key = cursor.question
        if coach_flags:
            interview.flags[flag_key] = coach_flags
        else:
            interview.flags.pop(flag_key, None)
        if isinstance(top, HypothesesQuestion):
            interview.cursor = cursor = one_stance_each(interview, cursor)
        saved = interview.answers[cursor.question]
        self.effects.append(AnswerSaved(interview.id, cursor.question, saved, tuple(coach_flags), self.ctx.now))
        self.advance()

    def advance(self) -> None:
        interview = self.interview()
        following = next_position(self.script(), interview, self.ctx.hypotheses)
        if following is None:
            return self.to_summary()
        interview.cursor = following
        if following.question in interview.closed_lists and not items_of(interview, following.question):
            interview.closed_lists.remove(following.question)  # walking into an empty list: items can be added
        self.reset_selection()
        return self.show(new_screen=True)

    def keep(self) -> None:
        if self.current_value_missing():
            return self.show(note=self._("There's no answer here yet to keep."))
        return self.advance()

    def skip(self) -> None:
        interview, cursor = self.interview(), self.cursor()
        top = self.script().question(cursor.question)
        if self.at_new_item() and self.can_finish_list():
            return self.finish_list()
        if top.optional and isinstance(top, (ListQuestion, HypothesesQuestion)):
            return self.skip_list(top)
        if top.optional:
            interview.answers[cursor.question] = None
            interview.flags.pop(cursor.question, None)
            self.effects.append(AnswerSaved(interview.id, cursor.question, None, (), self.ctx.now))
            return self.advance()
        if top is not self.current_question() and self.current_question().optional:
            return self.store(None, ())
        return self.show(note=self._("This question can't be skipped — it's at the heart of the interview."))

    def skip_list(self, top: ListQuestion | HypothesesQuestion) -> None:
        """Leave an optional list: finished items are kept, unfinished ones (the last, or one being edited) dropped."""
        interview = self.interview()
        fields = item_fields(top, self.ctx.hypotheses)
        everything = items_of(interview, top.id)
        kept = [
            index
            for index, item in enumerate(everything)
            if all(f.id in item for f in fields if holds(f.when, interview.answers, item))
        ]
        items = keep_items(interview, top.id, kept)
        value = items or None
        interview.answers[top.id] = value
        if top.id not in interview.closed_lists:
            interview.closed_lists.append(top.id)
        self.effects.append(AnswerSaved(interview.id, top.id, value, (), self.ctx.now))
        interview.cursor = Position(top.id, len(items), 0)
        return self.advance()

    def finish_list(self) -> None:
        interview, cursor = self.interview(), self.cursor()
        top = self.script().question(cursor.question)
        if not isinstance(top, (ListQuestion, HypothesesQuestion)):
            return self.show(note=self._("/done finishes a list; this question takes one answer. Type it here."))
        if not self.at_new_item():
            return self.show(note=self._("Finish this item first, or go back."))
        if not self.can_finish_list():
            minimum = top.min_items if isinstance(top, ListQuestion) else 0
            n_ = ngettext_for(self.state.lang)
            note = n_(
                "Please add at least {n} item before moving on.",
                "Please add at least {n} items before moving on.",
                minimum,
            )
            return self.show(note=note.format(n=minimum))
        items = items_of(interview, cursor.question)
        interview.answers[cursor.question] = items
        if cursor.question not in interview.closed_lists:
            interview.closed_lists.append(cursor.question)
        self.effects.append(AnswerSaved(interview.id, cursor.question, items, (), self.ctx.now))
        return self.advance()

    def back(self) -> None:
        interview = self.interview()
        earlier = previous_position(self.script(), interview, self.ctx.hypotheses)
        if earlier is None:
            return self.show(note=self._("This is the first question."))
        if earlier.question in interview.closed_lists:
            interview.closed_lists.remove(earlier.question)
        interview.mode, interview.cursor = "asking", earlier  # still editing: after it, back to the summary
        self.reset_selection()
        return self.show(new_screen=True)
