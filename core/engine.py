"""The conversation engine: step(state, incoming, context) -> (state, replies, effects). No I/O."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core import prompts
from core.answers import Accepted, clean_text, parse_answer
from core.domain import HypothesisRef
from core.effects import (
    AnswerSaved,
    Effect,
    InterviewCompleted,
    InterviewStarted,
    InterviewStatusChanged,
)
from core.i18n import LANGUAGES, gettext_for
from core.messages import Choice, Incoming, Reply, Span
from core.parsing import parse_yes_no
from core.record import WEAK_FLAGS, extract_record
from core.script import (
    AnyQuestion,
    ChoiceQuestion,
    HypothesesQuestion,
    ListQuestion,
    MultiChoiceQuestion,
    ScaleQuestion,
    Script,
    YesNoQuestion,
)
from core.state import ConversationState, InterviewState, Pending, Position
from core.walk import (
    holds,
    is_answered,
    item_fields,
    items_of,
    next_position,
    path,
    previous_position,
    progress,
    question_at,
)

COMMANDS = {"start", "interview", "quick", "resume", "pause", "cancel", "back", "skip", "done", "keep", "help", "lang"}
DONE_WORDS = {"done", "готово", "всё", "все", "хватит", "完成"}
KEEP_WORDS = {"keep", "keep it", "оставить", "оставь", "保留"}
_LABEL_NOISE = re.compile(r"[^\w]+")
_SHORT_INT = re.compile(r"-?[0-9]{1,18}")


def _short_int(text: str) -> int | None:
    """A plain ASCII integer from an untrusted payload ("²", "--1" or 5,000 digits are not)."""
    return int(text) if _SHORT_INT.fullmatch(text) else None


@dataclass(frozen=True)
class Context:
    """What a step may know besides the state and the event: scripts, the clock, a fresh id, the team."""

    scripts: Mapping[str, Script]
    now: datetime
    new_id: str = ""
    hypotheses: tuple[HypothesisRef, ...] = ()
    default_currency: str | None = None


@dataclass
class StepResult:
    """The new state, the replies to send and the effects to record, all in one transaction."""

    state: ConversationState
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)


def step(state: ConversationState, incoming: Incoming, ctx: Context) -> StepResult:
    """Advance a conversation by one incoming message; pure and deterministic."""
    turn = _Turn(ConversationState.from_dict(state.to_dict()), incoming, ctx)
    turn.run()
    return StepResult(turn.state, turn.replies, turn.effects)


class _Turn:
    """One step's working memory; each method handles one kind of input."""

    def __init__(self, state: ConversationState, incoming: Incoming, ctx: Context) -> None:
        self.state, self.incoming, self.ctx = state, incoming, ctx
        self.replies: list[Reply] = []
        self.effects: list[Effect] = []
        self._ = gettext_for(state.lang)

    # --- dispatch -------------------------------------------------------------------------------
    def run(self) -> None:
        if self.state.interview is not None and not self.repair():
            return None
        if self.incoming.choice is not None:
            turn, _sep, code = self.incoming.choice.partition("|")
            if _short_int(turn) != self.state.turn or not code:
                return self.stale()
            return self.on_code(code)
        text = clean_text(self.incoming.text or "")
        if text.startswith("/"):
            name, _sep, arg = text[1:].partition(" ")
            return self.on_command(name.split("@")[0].casefold(), arg.strip())
        return self.on_text(text)

    def repair(self) -> bool:
        """Saved state may predate a change of scripts; never crash on it. False when the interview had to close."""
        interview = self.interview()
        script = self.ctx.scripts.get(interview.script_id)
        if script is None:
            self.effects.append(InterviewStatusChanged(interview.id, "cancelled", self.ctx.now))
            self.state.interview, self.state.pending = None, None
            self.state.turn += 1
            text = self._(
                "The “{name}” interview no longer exists, so your unfinished one was closed. "
                "Its answers are kept, marked cancelled."
            )
            self.say(text.format(name=interview.script_id))
            self.idle(self._("No interview is running."))
            return False
        known = {question.id for question in script.questions}
        interview.answers = {key: value for key, value in interview.answers.items() if key in known}
        positions = path(script, interview, self.ctx.hypotheses)
        if interview.cursor is not None and interview.cursor not in positions:
            interview.cursor = next((p for p in positions if not is_answered(interview, p, script)), None)
            interview.mode, interview.editing, self.state.pending = "asking", None, None
            if interview.cursor is None:
                interview.mode = "summary"
        return True

    def on_command(self, name: str, arg: str) -> None:
        interview = self.state.interview
        if name not in COMMANDS:
            return self.say(self._("I don't know /{name}. Send /help to see what I can do.").format(name=name))
        if name == "help":
            return self.help()
        if name == "lang":
            return self.set_language(arg)
        if name in ("start", "interview", "quick"):
            return self.start_interview("quick" if name == "quick" else arg.casefold())
        if interview is None:
            return self.idle(self._("No interview is running."))
        if self.state.pending is not None and self.state.pending.kind == "warning" and name == "keep":
            return self.on_code("k")
        if self.state.pending is not None and name not in ("cancel", "pause", "resume"):
            self.state.pending = None
        if name == "cancel":
            self.state.pending = Pending("cancel")
            return self.show(new_screen=True)
        if name == "pause":
            return self.pause()
        if name == "resume":
            return self.resume()
        if interview.paused:
            return self.say_paused()
        return self.on_code({"back": "b", "skip": "s", "done": "d", "keep": "k"}[name])

    def on_text(self, text: str) -> None:
        state, interview = self.state, self.state.interview
        if interview is None:
            return self.on_idle_text(text)
        pending = state.pending
        if interview.paused and pending is None:
            return self.say_paused()
        if pending is not None and pending.kind == "warning":
            if text.casefold() in KEEP_WORDS or self.code_for_typed(text) == "k":
                return self.on_code("k")
            state.pending = None
            return self.answer_typed(text, with_warnings=False)
        code = self.code_for_typed(text)
        if code is not None:
            return self.on_code(code)
        if pending is not None:
            return self.show(note=self._("Please answer yes or no."))
        if interview.mode != "asking":
            return self.show(note=self._("Please tap a button or type its number."))
        if text.casefold() in DONE_WORDS and self.at_new_item():
            return self.finish_list()
        return self.answer_typed(text, with_warnings=True)

    def on_idle_text(self, text: str) -> None:
        scripts = list(self.ctx.scripts.values())
        wanted = _LABEL_NOISE.sub("", text.casefold())
        for number, script in enumerate(scripts, start=1):
            names = (script.id, _LABEL_NOISE.sub("", self._(script.title).casefold()))
            if text == str(number) or wanted in names:
                return self.start_interview(script.id)
        return self.idle(self._("No interview is running."))

    def code_for_typed(self, text: str) -> str | None:
        """A typed number or label that names a button on the current screen."""
        interview = self.state.interview
        if interview is not None and interview.mode == "asking" and self.state.pending is None:
            question = self.current_question()
            if isinstance(question, MultiChoiceQuestion):  # typed options are an answer; only Done is a button
                done = text.casefold() in DONE_WORDS or self.button_for_typed(text) == "ok"
                return "ok" if done else None
            if not isinstance(question, (ChoiceQuestion, YesNoQuestion)):
                return None
        if self.state.pending is not None and self.state.pending.kind == "cancel":
            yes_no = parse_yes_no(text)
            if yes_no is not None:
                return "y" if yes_no else "n"
        return self.button_for_typed(text)

    def button_for_typed(self, text: str) -> str | None:
        """The code of the numbered choice on screen that the text names by number or label."""
        choices = self.screen().flat_choices()
        wanted = _LABEL_NOISE.sub("", text.casefold())
        for number, choice in enumerate(choices, start=1):
            if text == str(number) or (wanted and wanted == _LABEL_NOISE.sub("", choice.label.casefold())):
                return choice.payload.partition("|")[2]
        return None

    def on_code(self, code: str) -> None:
        interview, pending = self.state.interview, self.state.pending
        if code.startswith("l:"):
            return self.set_language(code[2:])
        if code.startswith("i:"):
            return self.start_interview(code[2:])
        if interview is None:
            return self.idle(self._("No interview is running."))
        if code == "p":
            return self.pause()
        if pending is not None:  # while paused only a cancel can be pending, and it must be answerable
            return self.on_pending_code(pending, code)
        if interview.paused:
            return self.say_paused()
        if interview.mode == "summary":
            return {"sv": self.complete, "ed": self.edit_pick, "b": self.back}.get(code, self.reshow)()
        if interview.mode == "edit_pick":
            if code == "b":
                return self.to_summary()
            if code.startswith("e") and (number := _short_int(code[1:])) is not None:
                return self.edit(number)
            return self.reshow()
        return self.on_asking_code(code)

    def on_pending_code(self, pending: Pending, code: str) -> None:
        if pending.kind == "cancel" and code in ("y", "n"):
            self.state.pending = None
            if code == "y":
                return self.cancel()
            if self.interview().paused:
                self.state.turn += 1
                return self.say_paused()
            return self.show(new_screen=True)
        if pending.kind == "warning" and code == "k":
            self.state.pending = None
            return self.store(pending.value, tuple(pending.flags))
        return self.reshow()

    def on_asking_code(self, code: str) -> None:
        question = self.current_question()
        simple = {"b": self.back, "s": self.skip, "d": self.finish_list, "k": self.keep}
        if code in simple:
            return simple[code]()
        if isinstance(question, ChoiceQuestion) and code.startswith("o:"):
            if any(option.value == code[2:] for option in question.options):
                return self.store(code[2:], ())
        if isinstance(question, MultiChoiceQuestion):
            return self.on_multi_code(question, code)
        if isinstance(question, ScaleQuestion) and code.startswith("v"):
            value = _short_int(code[1:])
            if value is not None and question.min <= value <= question.max:
                return self.store(value, ())
        if isinstance(question, YesNoQuestion) and code in ("y", "n"):
            return self.store(code == "y", ())
        return self.reshow()

    def on_multi_code(self, question: MultiChoiceQuestion, code: str) -> None:
        interview = self.interview()
        if code.startswith("t:") and any(option.value == code[2:] for option in question.options):
            value = code[2:]
            selected = set(interview.selection) ^ {value}
            interview.selection = [o.value for o in question.options if o.value in selected]
            self.replies.append(self.screen(replaces_prompt=True))
            return None
        if code == "ok":
            if len(interview.selection) < question.min_selected:
                return self.show(note=self._("Please pick at least {n}.").format(n=question.min_selected))
            return self.store(list(interview.selection), ())
        return self.reshow()

    # --- answering ------------------------------------------------------------------------------
    def answer_typed(self, text: str, with_warnings: bool) -> None:
        question = self.current_question()
        today = self.ctx.now.date()
        parsed = parse_answer(
            question, text, self.state.lang, today, self.interview().answers, self.ctx.default_currency
        )
        if not isinstance(parsed, Accepted):
            return self.show(note=parsed.message)
        if parsed.warnings and with_warnings:
            self.state.pending = Pending("warning", parsed.value, list(parsed.warnings))
            self.state.turn += 1
            length = len(parsed.value) if isinstance(parsed.value, str) else 0
            self.replies.append(prompts.warning_prompt(self.state, parsed.warnings, length))
            return None
        flags = tuple(w for w in parsed.warnings if w != "long")
        return self.store(parsed.value, flags)

    def store(self, value: Any, flags: tuple[str, ...]) -> None:
        interview, cursor = self.interview(), self.cursor()
        top = self.script().question(cursor.question)
        coach_flags = [flag for flag in flags if flag in WEAK_FLAGS]
        if isinstance(top, (ListQuestion, HypothesesQuestion)):
            items = items_of(interview, cursor.question)
            if cursor.item >= len(items):
                items.append({})
            field_id = item_fields(top, ())[cursor.field].id
            items[cursor.item][field_id] = value
            interview.answers[cursor.question] = items
            flag_key = f"{cursor.question}.{cursor.item}.{field_id}"
            saved = items
        else:
            interview.answers[cursor.question] = value
            flag_key, saved = cursor.question, value
        if coach_flags:
            interview.flags[flag_key] = coach_flags
        else:
            interview.flags.pop(flag_key, None)
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
        """Leave an optional list: finished items are kept, only an unfinished last item is dropped."""
        interview = self.interview()
        items = items_of(interview, top.id)
        fields = item_fields(top, self.ctx.hypotheses)
        while items and any(f.id not in items[-1] for f in fields if holds(f.when, interview.answers, items[-1])):
            items.pop()
        for key in [key for key in interview.flags if key.startswith(f"{top.id}.")]:
            if int(key.split(".")[1]) >= len(items):
                del interview.flags[key]
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
        if not self.at_new_item():
            return self.show(note=self._("Finish this item first, or go back."))
        if not self.can_finish_list():
            minimum = top.min_items if isinstance(top, ListQuestion) else 0
            return self.show(note=self._("Please add at least {n} before moving on.").format(n=minimum))
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

    # --- summary and editing --------------------------------------------------------------------
    def to_summary(self) -> None:
        interview = self.interview()
        interview.mode, interview.cursor, interview.editing = "summary", None, None
        return self.show(new_screen=True)

    def edit_pick(self) -> None:
        self.interview().mode = "edit_pick"
        return self.show(new_screen=True)

    def edit(self, number: int) -> None:
        interview = self.interview()
        entries = prompts.summary_entries(self.script(), interview, self.ctx.hypotheses)
        if not 1 <= number <= len(entries):
            return self.show(note=self._("Please pick a number from {low} to {high}.").format(low=1, high=len(entries)))
        question_id = entries[number - 1]
        if question_id in interview.closed_lists:
            interview.closed_lists.remove(question_id)
        interview.mode, interview.cursor, interview.editing = "asking", Position(question_id), question_id
        self.reset_selection()
        return self.show(new_screen=True)

    def complete(self) -> None:
        interview = self.interview()
        record = extract_record(self.script(), interview.answers, interview.flags)
        self.effects.append(InterviewCompleted(interview.id, record, self.ctx.now))
        self.state.interview = None
        self.state.turn += 1
        who = record.alias or self._("the interviewee")
        self.say(
            self._("Saved ✅ Your interview with {who} is in. Start the next one with /interview.").format(who=who)
        )

    # --- lifecycle ------------------------------------------------------------------------------
    def start_interview(self, script_id: str) -> None:
        interview = self.state.interview
        if interview is not None:
            script = self.script()
            note = self._("You have an unfinished interview ({title}) — continuing it. Send /cancel to drop it.")
            if interview.paused:
                interview.paused = False
                self.effects.append(InterviewStatusChanged(interview.id, "in_progress", self.ctx.now))
            self.state.pending = None
            return self.show(new_screen=True, note=note.format(title=self._(script.title)))
        if script_id not in self.ctx.scripts:
            if script_id:
                self.replies.append(
                    prompts.plain(self._("There is no interview called “{name}”.").format(name=script_id))
                )
            self.state.turn += 1
            self.replies.append(prompts.script_pick_prompt(self.state, list(self.ctx.scripts.values())))
            return None
        script = self.ctx.scripts[script_id]
        now = self.ctx.now
        first = Position(script.questions[0].id)
        self.state.interview = InterviewState(self.ctx.new_id, script.id, now.isoformat(), first)
        self.effects.append(InterviewStarted(self.ctx.new_id, script.id, script.version, self.state.lang, now))
        return self.show(new_screen=True)

    def pause(self) -> None:
        interview = self.interview()
        if self.state.pending is not None and self.state.pending.kind == "cancel":
            self.state.pending = None  # a typed answer waiting on a nudge stays, to be kept or retyped later
        self.state.turn += 1
        if not interview.paused:  # pausing twice records one status change
            interview.paused = True
            self.effects.append(InterviewStatusChanged(interview.id, "paused", self.ctx.now))
        self.say_paused()

    def resume(self) -> None:
        interview = self.interview()
        if interview.paused:
            interview.paused = False
            self.effects.append(InterviewStatusChanged(interview.id, "in_progress", self.ctx.now))
        return self.show(new_screen=True, note=self._("Welcome back! Here's where you left off."))

    def cancel(self) -> None:
        interview = self.interview()
        self.effects.append(InterviewStatusChanged(interview.id, "cancelled", self.ctx.now))
        self.state.interview = None
        self.state.turn += 1
        self.say(self._("Interview cancelled. Its answers are kept, marked cancelled. Start again with /interview."))

    def set_language(self, code: str) -> None:
        code = code.casefold().strip()
        if code not in LANGUAGES:
            self.state.turn += 1
            text = prompts.plain(self._("Choose your language:"))
            choices = (
                (
                    Choice("English", prompts.payload(self.state.turn, "l:en")),
                    Choice("Русский", prompts.payload(self.state.turn, "l:ru")),
                ),
            )
            self.replies.append(Reply(text.spans, choices))
            return None
        self.state.lang = code
        self._ = gettext_for(code)
        self.say(self._("Language set to English."))
        if self.state.interview is not None and not self.state.interview.paused:
            self.show(new_screen=True)
        return None

    # --- replies --------------------------------------------------------------------------------
    def screen(self, note: str | None = None, replaces_prompt: bool = False) -> Reply:
        """The current screen: a confirmation, the question, the summary or the edit picker."""
        state, interview = self.state, self.interview()
        if state.pending is not None and state.pending.kind == "cancel":
            reply = prompts.confirm_cancel_prompt(state)
        elif state.pending is not None:
            length = len(state.pending.value) if isinstance(state.pending.value, str) else 0
            reply = prompts.warning_prompt(state, state.pending.flags, length)
        elif interview.mode == "summary":
            reply = prompts.summary_prompt(state, self.script(), self.ctx.hypotheses)
        elif interview.mode == "edit_pick":
            reply = prompts.edit_pick_prompt(state, self.script(), self.ctx.hypotheses)
        else:
            reply = prompts.question_prompt(state, self.script(), self.ctx.hypotheses, note)
            note = None
        if note:
            reply = Reply(
                (*prompts.plain(note, "italic").spans, Span("\n\n"), *reply.spans), reply.choices, reply.actions
            )
        return Reply(reply.spans, reply.choices, reply.actions, replaces_prompt)

    def show(self, new_screen: bool = False, note: str | None = None) -> None:
        if new_screen:
            self.state.turn += 1
        self.replies.append(self.screen(note))

    def reshow(self) -> None:
        self.show(note=self._("Please use the buttons on this message, or type your answer."))

    def stale(self) -> None:
        note = self._("That button is from a question that has passed; nothing was changed.")
        if self.state.interview is None:
            return self.idle(note)
        if self.state.interview.paused:
            return self.say_paused()
        return self.show(note=note)

    def say(self, text: str) -> None:
        self.replies.append(prompts.plain(text))

    def say_paused(self) -> None:
        interview = self.interview()
        number, total = progress(self.script(), interview, self.ctx.hypotheses)
        text = self._(
            "Your interview is paused at question {n} of {total}; every answer is saved. "
            "Send /resume to go on, or /cancel to drop it."
        )
        self.say(text.format(n=number, total=total))

    def idle(self, note: str) -> None:
        self.state.turn += 1
        self.replies.append(prompts.plain(note + " " + self._("Pick an interview to start, or send /help.")))
        self.replies.append(prompts.script_pick_prompt(self.state, list(self.ctx.scripts.values())))

    def help(self) -> None:
        self.say(
            self._(
                "I guide you through logging a customer interview, one question at a time.\n"
                "/interview — start (discovery, validation or quick)\n/quick — a 60-second log\n"
                "/back — previous question\n/skip — skip an optional question\n"
                "/pause and /resume — stop and go on later\n"
                "/cancel — drop the interview\n/lang — language\n"
                "Tip: ask about the past (“the last time…”), not opinions about the future."
            )
        )
        if self.state.interview is not None and not self.state.interview.paused:
            self.show()

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
