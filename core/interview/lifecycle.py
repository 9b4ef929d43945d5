"""The engine's lifecycle handlers: start, pause, resume, cancel; the summary, editing and saving; language and help."""

from __future__ import annotations

from core.command_registry import help_lines
from core.i18n import LANGUAGES, gettext_for
from core.interview import screens, summary
from core.interview.effects import InterviewCompleted, InterviewStarted, InterviewStatusChanged
from core.interview.payloads import Language, encode
from core.interview.record import extract_record
from core.interview.state import InterviewState, Pending, Position
from core.interview.turn import TurnBase
from core.interview.walk import is_answered, path
from core.messages import Choice, Reply, shorten

NAME_SHOWN = 80
"""How much of an interviewee's name a confirmation repeats (the full name is in the record)."""


class LifecycleMixin(TurnBase):
    """Open, pause, resume, cancel and complete an interview; the summary and editing; language, help, repair."""

    # --- lifecycle ------------------------------------------------------------------------------
    def start_interview(self, script_id: str) -> None:
        interview = self.state.interview
        if interview is not None and script_id in self.ctx.scripts and script_id != interview.script_id:
            self.state.pending = Pending("switch", script_id)  # say which one is open; the founder decides
            return self.show(new_screen=True)
        if interview is not None:
            note = self._("You have an unfinished interview ({title}) — continuing it. Send /cancel to drop it.")
            return self.continue_open(note.format(title=self._(self.script().title)))
        if script_id not in self.ctx.scripts:
            if script_id:
                self.replies.append(
                    screens.plain(self._("There is no interview called “{name}”.").format(name=script_id))
                )
            self.state.turn += 1
            self.replies.append(screens.script_pick_prompt(self.state, list(self.ctx.scripts.values())))
            return None
        script = self.ctx.scripts[script_id]
        now = self.ctx.now
        first = Position(script.questions[0].id)
        self.state.interview = InterviewState(self.ctx.new_id, script.id, now.isoformat(), first)
        self.effects.append(InterviewStarted(self.ctx.new_id, script.id, script.version, self.state.lang, now))
        return self.show(new_screen=True)

    def continue_open(self, note: str) -> None:
        """Go on with the open interview (unpausing it), dropping whatever was pending."""
        interview = self.interview()
        if interview.paused:
            interview.paused = False
            self.effects.append(InterviewStatusChanged(interview.id, "in_progress", self.ctx.now))
        self.state.pending = None
        return self.show(new_screen=True, note=note)

    def switch_interview(self, script_id: str) -> None:
        """Cancel the open interview and start another; completed interviews are not touched."""
        interview = self.interview()
        title = self._(self.script().title)
        self.effects.append(InterviewStatusChanged(interview.id, "cancelled", self.ctx.now))
        self.state.interview, self.state.pending = None, None
        text = self._("The unfinished interview “{title}” is cancelled; its answers are kept, marked cancelled.")
        self.say(text.format(title=title))
        return self.start_interview(script_id)

    def pause(self) -> None:
        interview = self.interview()
        if self.state.pending is not None and self.state.pending.kind in ("cancel", "switch"):
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
        pending = self.state.pending
        if pending is not None and pending.kind == "switch" and pending.value not in self.ctx.scripts:
            self.state.pending = None
        known = {question.id for question in script.questions}
        interview.answers = {key: value for key, value in interview.answers.items() if key in known}
        positions = path(script, interview, self.ctx.hypotheses)
        if interview.cursor is not None and interview.cursor not in positions:
            interview.cursor = next((p for p in positions if not is_answered(interview, p, script)), None)
            interview.mode, interview.editing, self.state.pending = "asking", None, None
            if interview.cursor is None:
                interview.mode = "summary"
        return True

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
        entries = summary.summary_entries(self.script(), interview, self.ctx.hypotheses)
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
        record = extract_record(
            self.script(), interview.answers, interview.flags, self.ctx.hypotheses, lang=self.state.lang
        )
        self.effects.append(InterviewCompleted(interview.id, record, self.ctx.now))
        self.state.interview = None
        self.state.turn += 1
        who = shorten(record.alias, NAME_SHOWN) if record.alias else self._("the interviewee")
        self.say(
            self._("Saved ✅ Your interview with {who} is in. Start the next one with /interview.").format(who=who)
        )

    # --- language and help ----------------------------------------------------------------------
    def set_language(self, code: str) -> None:
        code = code.casefold().strip()
        if code not in LANGUAGES:
            self.state.turn += 1
            unknown = self._("There is no language “{code}”. Choose one of: {known}.")
            asked = unknown.format(code=shorten(code, 20), known=", ".join(LANGUAGES)) if code else None
            text = screens.plain(asked or self._("Choose your language:"))
            choices = (
                (
                    Choice("English", encode(self.state.turn, Language("en"))),
                    Choice("Русский", encode(self.state.turn, Language("ru"))),
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

    def help(self) -> None:
        _ = self._
        lang, platform = self.state.lang, self.incoming.origin.platform
        sections = [
            [_("I guide you through logging a customer interview, one question at a time.")],
            help_lines("interview", lang, platform),
            [_("The team's board"), *help_lines("board", lang, platform)],
            [_("Your team"), *help_lines("team", lang, platform)],
            [_("Tip: ask about the past (“the last time…”), not opinions about the future.")],
        ]
        self.say("\n\n".join("\n".join(lines) for lines in sections))
        if self.state.interview is not None and not self.state.interview.paused:
            self.show()
