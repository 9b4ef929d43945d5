"""The conversation engine: step(state, incoming, context) -> (state, replies, effects). No I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.interview.answering import AnsweringMixin
from core.interview.answers import clean_text
from core.interview.effects import Effect
from core.interview.lifecycle import LifecycleMixin
from core.interview.state import ConversationState, Pending
from core.interview.turn import Context
from core.messages import Incoming, Reply, parse_command
from core.parsing import parse_yes_no
from core.scripts.model import ChoiceQuestion, MultiChoiceQuestion, ScaleQuestion, YesNoQuestion

__all__ = ["COMMANDS", "Context", "StepResult", "step"]

COMMANDS = {"start", "interview", "quick", "resume", "pause", "cancel", "back", "skip", "done", "keep", "help", "lang"}
DONE_WORDS = {"done", "готово", "всё", "все", "хватит", "完成"}
KEEP_WORDS = {"keep", "keep it", "оставить", "оставь", "保留"}
_LABEL_NOISE = re.compile(r"[^\w]+")
_SHORT_INT = re.compile(r"-?[0-9]{1,18}")


def _short_int(text: str) -> int | None:
    """A plain ASCII integer from an untrusted payload ("²", "--1" or 5,000 digits are not)."""
    return int(text) if _SHORT_INT.fullmatch(text) else None


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


class _Turn(AnsweringMixin, LifecycleMixin):
    """One step: dispatches the incoming message to a handler; each method handles one kind of input."""

    def run(self) -> None:
        if self.state.interview is not None and not self.repair():
            return None
        if self.incoming.choice is not None:
            turn, _sep, code = self.incoming.choice.partition("|")
            if _short_int(turn) != self.state.turn or not code:
                return self.stale()
            return self.on_code(code)
        text = clean_text(self.incoming.text or "")
        command = parse_command(text)
        if command is not None:
            return self.on_command(*command)
        return self.on_text(text)

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
