"""The conversation engine: step(state, incoming, context) -> (state, replies, effects). No I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from core.command_registry import BY_NAME, ENGINE_COMMANDS
from core.interview import payloads
from core.interview.answering import AnsweringMixin
from core.interview.answers import clean_text
from core.interview.coach import FLAGS
from core.interview.effects import Effect
from core.interview.lifecycle import LifecycleMixin
from core.interview.payloads import (
    Action,
    Code,
    Day,
    Edit,
    Language,
    Offered,
    Option,
    Scale,
    StartScript,
    SwitchScript,
    Toggle,
)
from core.interview.state import ConversationState, Pending
from core.interview.turn import Context
from core.messages import ChoicePressed, Incoming, Reply, parse_command, shorten
from core.parsing import parse_yes_no
from core.scripts.model import ChoiceQuestion, DateQuestion, MultiChoiceQuestion, ScaleQuestion, YesNoQuestion

__all__ = ["COMMANDS", "Context", "StepResult", "step"]

COMMANDS = ENGINE_COMMANDS
DONE_WORDS = {"done", "готово", "всё", "все", "хватит", "完成"}
KEEP_WORDS = {"keep", "keep it", "оставить", "оставь", "保留"}
_LABEL_NOISE = re.compile(r"[^\w]+")
BUTTON_KINDS = (ChoiceQuestion, MultiChoiceQuestion, ScaleQuestion, YesNoQuestion, DateQuestion)


@dataclass
class StepResult:
    """The new state, the replies to send and the effects to record, all in one transaction."""

    state: ConversationState
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    needs_suggestions: bool = False
    """The step drew a question that offers the team's answers without having them: step again with them."""


def step(state: ConversationState, incoming: Incoming, ctx: Context) -> StepResult:
    """Advance a conversation by one incoming message; pure and deterministic."""
    turn = _Turn(ConversationState.from_dict(state.to_dict()), incoming, ctx)
    turn.run()
    return StepResult(turn.state, turn.replies, turn.effects, turn.needs_suggestions)


class _Turn(AnsweringMixin, LifecycleMixin):
    """One step: dispatches the incoming message to a handler; each method handles one kind of input."""

    def run(self) -> None:
        if self.state.interview is not None and not self.repair():
            return None
        if self.incoming.choice is not None:
            return self.on_press(self.incoming.choice)
        text = clean_text(self.incoming.text or "")
        command = parse_command(text)
        if self.typed_on_an_old_screen(command):
            return self.stale(self._("That was typed on a screen that has since changed; nothing was changed."))
        self.state.last_press = None  # something typed in between: the next press is not a double tap
        if command is not None:
            return self.on_command(*command)
        turn, had_buttons = self.state.turn, self.shows_answer_buttons()
        self.on_text(text)
        if had_buttons and self.state.turn != turn and self.replies:  # typed past the buttons: close them
            self.replies[0] = replace(self.replies[0], closes_buttons=True)
        return None

    def shows_answer_buttons(self) -> bool:
        """True when the screen on show answers by buttons (a choice, a scale, a date, the team's segments, a nudge)."""
        interview = self.state.interview
        if interview is None or interview.paused or interview.mode != "asking":
            return False
        if self.state.pending is not None:  # a nudge or a question about it: "That's what they said", "Keep the first"
            return True
        return bool(interview.offered) or isinstance(self.current_question(), BUTTON_KINDS)

    def on_press(self, payload: str) -> None:
        """A pressed button: a second tap of the one just acted on is silent; a stale one changes nothing.

        A stale press is remembered too: a double tap on an old button says that it has passed once, not twice.
        """
        pressed = self.incoming.input
        key = f"{pressed.message if isinstance(pressed, ChoicePressed) else None}|{payload}"
        if key == self.state.last_press:
            return None  # a double tap: the first press did it all (or said it was stale), the second says nothing
        decoded = payloads.decode(payload)
        starts = decoded is not None and (isinstance(decoded[1], StartScript) or decoded[1] is Action.PICK)
        idle_start = starts and self.state.interview is None
        if decoded is None:
            return self.stale()
        if decoded[0] != self.state.turn and not idle_start:
            self.state.last_press = key
            return self.stale()
        if not isinstance(decoded[1], Toggle):  # ticking an option twice on purpose unticks it
            self.state.last_press = key
        return self.on_code(decoded[1])

    def typed_on_an_old_screen(self, command: tuple[str, str] | None) -> bool:
        """True for an answer (text, or /back, /skip, /done, /keep) stamped with a turn that has passed."""
        stamp = self.incoming.turn
        if stamp is None or stamp == self.state.turn:
            return False
        if command is None:
            return True
        spec = BY_NAME.get(command[0])
        return spec is not None and spec.action is not None and spec.action is not Action.PAUSE

    def on_command(self, name: str, arg: str) -> None:
        interview = self.state.interview
        if name not in COMMANDS:
            return self.say(
                self._("I don't know /{name}. Send /help to see what I can do.").format(name=shorten(name, 40))
            )
        if name == "help":
            return self.help()
        if name == "lang":
            return self.set_language(arg)
        if name in ("start", "interview", "quick"):
            return self.start_interview("quick" if name == "quick" else arg.casefold())
        if interview is None:
            return self.idle(self._("No interview is running."))
        if self.state.pending is not None and self.state.pending.kind in ("warning", "replace") and name == "keep":
            return self.on_code(Action.KEEP)
        pending = self.state.pending
        if pending is not None and (pending.kind == "switch" or name not in ("cancel", "pause", "resume")):
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
        action = BY_NAME[name].action
        return self.on_code(action) if action is not None else self.reshow()

    def on_text(self, text: str) -> None:
        state, interview = self.state, self.state.interview
        if interview is None:
            return self.on_idle_text(text)
        pending = state.pending
        if interview.paused and pending is None:
            return self.say_paused()
        if pending is not None and pending.kind in ("warning", "replace"):
            code = Action.KEEP if text.casefold() in KEEP_WORDS else self.code_for_typed(text)
            if code is Action.KEEP or (pending.kind == "replace" and code is not None):
                return self.on_code(code)
            if pending.kind == "replace" or any(flag in FLAGS for flag in pending.flags):
                return self.answer_after_nudge(text)
            state.pending = None  # a long or out-of-order answer typed again simply replaces it
            return self.answer_typed(text, with_warnings=False)
        code = self.code_for_typed(text)
        if code is not None:
            return self.on_code(code)
        if pending is not None and pending.kind == "switch":
            return self.show(note=self._("Please tap a button or type its number."))
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

    def code_for_typed(self, text: str) -> Code | None:
        """A typed number or label that names a button on the current screen."""
        interview = self.state.interview
        if interview is not None and interview.mode == "asking" and self.state.pending is None:
            question = self.current_question()
            if isinstance(question, MultiChoiceQuestion):  # typed options are an answer; only Done is a button
                done = text.casefold() in DONE_WORDS or self.button_for_typed(text) is Action.SELECTED
                return Action.SELECTED if done else None
            if (interview.offered or isinstance(question, DateQuestion)) and text.isdigit():
                return self.button_for_typed(text)  # a number names a button on screen ("2" for Yesterday)
            if not isinstance(question, (ChoiceQuestion, YesNoQuestion)):
                return None
        if self.state.pending is not None and self.state.pending.kind == "cancel":
            yes_no = parse_yes_no(text)
            if yes_no is not None:
                return Action.YES if yes_no else Action.NO
        return self.button_for_typed(text)

    def button_for_typed(self, text: str) -> Code | None:
        """The code of the numbered choice on screen that the text names by number or label."""
        choices = self.screen().flat_choices()
        wanted = _LABEL_NOISE.sub("", text.casefold())
        for number, choice in enumerate(choices, start=1):
            if text == str(number) or (wanted and wanted == _LABEL_NOISE.sub("", choice.label.casefold())):
                decoded = payloads.decode(choice.payload)
                return None if decoded is None else decoded[1]
        return None

    def on_code(self, code: Code) -> None:
        interview, pending = self.state.interview, self.state.pending
        if isinstance(code, Language):
            return self.set_language(code.code)
        if isinstance(code, StartScript):
            return self.start_interview(code.script)
        if code is Action.PICK:
            return self.start_interview("")
        if interview is None:
            return self.idle(self._("No interview is running."))
        if code is Action.PAUSE:
            return self.pause()
        if code in (Action.RESUME, Action.CANCEL):  # the paused message's buttons, as the commands
            return self.on_command("resume" if code is Action.RESUME else "cancel", "")
        if pending is not None:  # while paused only a cancel can be pending, and it must be answerable
            return self.on_pending_code(pending, code)
        if interview.paused:
            return self.say_paused()
        if interview.mode == "summary":
            summary = {Action.SAVE: self.complete, Action.EDIT_PICK: self.edit_pick, Action.BACK: self.back}
            return summary.get(code, self.reshow)() if isinstance(code, Action) else self.reshow()
        if interview.mode == "edit_pick":
            if code is Action.BACK:
                return self.to_summary()
            if isinstance(code, Edit):
                return self.edit(code.number)
            return self.reshow()
        return self.on_asking_code(code)

    def on_pending_code(self, pending: Pending, code: Code) -> None:
        if pending.kind == "cancel" and code in (Action.YES, Action.NO):
            self.state.pending = None
            if code is Action.YES:
                return self.cancel()
            if self.interview().paused:
                self.state.turn += 1
                return self.say_paused()
            return self.show(new_screen=True)
        if pending.kind == "switch" and code is Action.CONTINUE:
            return self.continue_open(self._("Here's where you left off."))
        if pending.kind == "switch" and code == SwitchScript(pending.value):
            return self.switch_interview(pending.value)
        if pending.kind in ("warning", "replace") and code is Action.KEEP:
            return self.keep_nudged(pending)
        if pending.kind == "replace" and code is Action.REPLACE:
            return self.replace_nudged(pending)
        return self.reshow()

    def on_asking_code(self, code: Code) -> None:
        question, offered = self.current_question(), self.interview().offered
        simple = {Action.BACK: self.back, Action.SKIP: self.skip, Action.DONE: self.finish_list, Action.KEEP: self.keep}
        if isinstance(code, Action) and code in simple:
            return simple[code]()
        if isinstance(code, Offered) and 1 <= code.number <= len(offered):
            return self.store(offered[code.number - 1], ())
        if code is Action.NEW and offered:
            self.own_words = True
            return self.show(note=self._("Type it in your own words."))
        if isinstance(question, DateQuestion) and isinstance(code, Day):
            return self.answer_typed(code.iso, with_warnings=False)
        if isinstance(question, ChoiceQuestion) and isinstance(code, Option):
            if any(option.value == code.value for option in question.options):
                return self.store(code.value, ())
        if isinstance(question, MultiChoiceQuestion):
            return self.on_multi_code(question, code)
        if isinstance(question, ScaleQuestion) and isinstance(code, Scale):
            if question.min <= code.value <= question.max:
                return self.store(code.value, ())
        if isinstance(question, YesNoQuestion) and code in (Action.YES, Action.NO):
            return self.store(code is Action.YES, ())
        return self.reshow()
