"""A tiny driver for the conversation engine: keeps the state, sends text, presses buttons."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from core.domain import HypothesisRef, InterviewRecord
from core.interview.effects import Effect, InterviewCompleted
from core.interview.engine import Context, StepResult, step
from core.interview.offers import Suggestions
from core.interview.payloads import decode
from core.interview.state import ConversationState
from core.interview.summary import summary_entries
from core.messages import Choice, Incoming, Reply
from core.scripts.catalog import builtin_scripts
from core.scripts.model import Script
from tests.fakes import event

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
HYPOTHESES = (
    HypothesisRef("H1", "Agencies lose hours every month chasing late invoices", block="value_propositions"),
    HypothesisRef("H2", "Freelancers would pay $20 a month for automatic reminders", block="revenue_streams"),
)


@pytest.fixture(scope="session")
def scripts() -> dict[str, Script]:
    """The shipped scripts, loaded through the real loader."""
    return builtin_scripts()


@pytest.fixture
def now() -> datetime:
    """A fixed clock: 2026-11-22 12:00 UTC."""
    return NOW


def code_of(choice: Choice) -> str:
    """The wire form of a button's code (the payload without its turn stamp)."""
    decoded = decode(choice.payload)
    assert decoded is not None, choice.payload
    return str(decoded[1])


def buttons(reply: Reply) -> list[Choice]:
    """Every button of a reply: the numbered choices, then the actions."""
    return [*reply.flat_choices(), *reply.actions]


class Conversation:
    """One founder's chat with the engine; every step goes through core.interview.engine.step."""

    def __init__(
        self,
        scripts: Mapping[str, Script],
        now: datetime = NOW,
        lang: str = "en",
        hypotheses: Sequence[HypothesisRef] = (),
        default_currency: str | None = None,
        state: ConversationState | None = None,
    ) -> None:
        self.scripts, self.now, self.hypotheses = scripts, now, tuple(hypotheses)
        self.default_currency = default_currency
        self.state = state if state is not None else ConversationState(lang=lang)
        self.effects: list[Effect] = []
        self.last: StepResult | None = None
        self.events = 0
        self.suggestions: Suggestions | None = None  # what the service would read for the team

    # --- input ------------------------------------------------------------------------------------
    def incoming(self, text: str | None = None, choice: str | None = None) -> Incoming:
        self.events += 1
        return event("test", "team", "chat", "founder", f"ev-{self.events}", text=text, choice=choice)

    def context(self) -> Context:
        return Context(
            self.scripts, self.now, f"iv-{self.events}", self.hypotheses, self.default_currency, self.suggestions
        )

    def apply(self, incoming: Incoming) -> StepResult:
        before = json.dumps(self.state.to_dict(), sort_keys=True)
        result = step(self.state, incoming, self.context())
        assert json.dumps(self.state.to_dict(), sort_keys=True) == before, "step mutated its input state"
        repeat = incoming.choice is not None and self.state.last_press == f"None|{incoming.choice}"
        assert result.replies or repeat, "every step answers (only a double tap is silent)"
        self.state = result.state
        if result.replies:  # a silent double tap leaves the founder looking at the last screen
            self.last = result
        self.effects.extend(result.effects)
        return result

    def send(self, text: str) -> StepResult:
        """Type a message."""
        return self.apply(self.incoming(text=text))

    def payload(self, payload: str) -> StepResult:
        """Deliver a raw button payload (maybe stale or forged)."""
        return self.apply(self.incoming(choice=payload))

    def press(self, label: str) -> StepResult:
        """Press the button with this label (exact, or ignoring a leading check mark) on the last reply."""
        for choice in buttons(self.reply):
            if label in (choice.label, choice.label.removeprefix("✓ ")):
                return self.payload(choice.payload)
        raise AssertionError(f"no button {label!r} in {[c.label for c in buttons(self.reply)]}")

    def tap(self, code: str) -> StepResult:
        """Press the button whose payload carries this code (language-independent)."""
        for choice in buttons(self.reply):
            if code_of(choice) == code:
                return self.payload(choice.payload)
        raise AssertionError(f"no button with code {code!r} in {self.codes}")

    # --- output -----------------------------------------------------------------------------------
    @property
    def reply(self) -> Reply:
        """The last reply of the last step (the screen the founder looks at)."""
        assert self.last is not None and self.last.replies
        return self.last.replies[-1]

    @property
    def text(self) -> str:
        """All text the last step sent."""
        assert self.last is not None
        return "\n".join(reply.plain_text for reply in self.last.replies)

    @property
    def codes(self) -> list[str]:
        return [code_of(choice) for choice in buttons(self.reply)]

    @property
    def labels(self) -> list[str]:
        return [choice.label for choice in buttons(self.reply)]

    @property
    def new_effects(self) -> list[Effect]:
        assert self.last is not None
        return self.last.effects

    @property
    def answers(self) -> dict[str, Any]:
        assert self.state.interview is not None
        return self.state.interview.answers

    @property
    def question(self) -> str | None:
        """The top-level question id under the cursor (None in summary, edit picker or idle)."""
        interview = self.state.interview
        return interview.cursor.question if interview and interview.cursor else None

    @property
    def mode(self) -> str | None:
        return self.state.interview.mode if self.state.interview else None

    def record(self) -> InterviewRecord:
        """The record of the (single) InterviewCompleted effect."""
        done = [effect for effect in self.effects if isinstance(effect, InterviewCompleted)]
        assert len(done) == 1, f"expected one InterviewCompleted, got {len(done)}"
        return done[0].record

    def edit(self, question_id: str) -> StepResult:
        """From the summary: Edit an answer, then the number the summary shows for this question."""
        interview = self.state.interview
        assert interview is not None and interview.mode == "summary"
        entries = summary_entries(self.scripts[interview.script_id], interview, self.hypotheses)
        self.tap("ed")
        result = self.tap(f"e{entries.index(question_id) + 1}")
        assert self.question == question_id
        return result

    def start(self, script_id: str) -> StepResult:
        result = self.send(f"/interview {script_id}")
        assert self.state.interview is not None and self.state.interview.script_id == script_id
        return result


@pytest.fixture
def convo(scripts: dict[str, Script], now: datetime) -> Conversation:
    """A fresh English conversation with two team hypotheses."""
    return Conversation(scripts, now=now, hypotheses=HYPOTHESES)
