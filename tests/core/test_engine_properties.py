"""Property-based tests: any sequence of inputs never raises and never corrupts the conversation state."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from core.interview.effects import InterviewCompleted
from core.interview.engine import COMMANDS
from core.interview.payloads import decode
from core.interview.state import ConversationState
from core.interview.walk import holds, item_fields, path, question_at
from core.scripts.catalog import builtin_scripts
from core.scripts.model import (
    ChoiceQuestion,
    DateQuestion,
    HypothesesQuestion,
    ListQuestion,
    MoneyQuestion,
    MultiChoiceQuestion,
    NumberQuestion,
    ScaleQuestion,
    YesNoQuestion,
)
from tests.core.conftest import HYPOTHESES, Conversation, buttons, code_of

SCRIPTS = builtin_scripts()
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ODD_TEXTS = [
    "",
    " ",
    "done",
    "Done",
    "готово",
    "keep",
    "Keep it",
    "оставить",
    "yes",
    "no",
    "да",
    "1",
    "2",
    "7",
    "1, 3",
    "²",
    "٣",
    "３",
    "-1",
    "0",
    "99999999999999999999999",
    "9" * 5000,
    "$20/mo",
    "20 usd",
    "1 500 ₽",
    "€9.99",
    "twenty",
    "today",
    "yesterday",
    "2026-11-01",
    "2030-01-01",
    "I would love it, great idea, we always need this",
    "Я бы купил, классная идея",
    "我会买的",
    "🙂" * 300,
    "ж" * 7000,
    "\x00\u200b\ufeff",
    "{name} {0} %s",
    "<b>bold</b> & *md*",
    "/",
    "/start@cusdev_bot",
]
COMMAND_ARGS = ["", " quick", " discovery", " validation", " ru", " en", " zz", " " + "x" * 300]
RANDOM_CODES = [
    "rp",
    "o:none",
    "o:h1",
    "o:new",
    "o:zzz",
    "t:excel",
    "ok",
    "v3",
    "v99",
    "v²",
    "e1",
    "e99",
    "e²",
    "sv",
    "ed",
    "b",
    "s",
    "d",
    "k",
    "p",
    "y",
    "n",
    "i:quick",
    "i:nope",
    "l:ru",
    "l:xx",
    "",
    "zz",
    "🙂",
]
text_strategy = st.one_of(
    st.sampled_from(ODD_TEXTS),
    st.text(max_size=40),
    st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщыьэюя 你好世界🙂😀 ", max_size=30),
)


def plausible(convo: Conversation) -> list[str]:
    """Typed answers that fit the question on screen, so walks get deep (lists, summary, edits)."""
    interview = convo.state.interview
    if interview is None or interview.cursor is None:
        return ["1", "2", "quick", "yes"]
    question = question_at(SCRIPTS[interview.script_id], interview.cursor, convo.hypotheses)
    if isinstance(question, MoneyQuestion):
        return ["$20/mo", "10", "1 500 ₽", "€9.99"]
    if isinstance(question, DateQuestion):
        return ["today", "yesterday", "2026-11-01"]
    if isinstance(question, (ScaleQuestion, NumberQuestion, ChoiceQuestion, MultiChoiceQuestion, YesNoQuestion)):
        return ["1", "2", "3", "1, 2", "yes", "²", "３", "9" * 5000]
    return ["Anna", "Last Tuesday she lost a day", "done", "She would love it"]


def check(convo: Conversation) -> None:
    """The invariants every state and reply must keep."""
    state = convo.state
    assert ConversationState.from_dict(json.loads(json.dumps(state.to_dict()))) == state
    assert state.pending is None or state.pending.kind in ("cancel", "warning", "switch", "replace")
    assert convo.last is not None
    for reply in convo.last.replies:
        assert reply.plain_text.strip(), "every reply has text"
        for choice in buttons(reply):
            assert choice.label.strip()
            assert len(choice.payload.encode("utf-8")) <= 64, choice.payload
            assert decode(choice.payload) is not None, choice.payload
    if any(isinstance(effect, InterviewCompleted) for effect in convo.last.effects):
        assert state.interview is None
    interview = state.interview
    if interview is None:
        return
    script = SCRIPTS[interview.script_id]
    assert set(interview.answers) <= {question.id for question in script.questions}
    assert set(interview.closed_lists) <= set(interview.answers) | {q.id for q in script.questions}
    if interview.mode == "asking":
        assert interview.cursor in path(script, interview, convo.hypotheses)
    else:
        assert interview.mode in ("summary", "edit_pick") and interview.cursor is None
        assert_complete(convo)


def assert_complete(convo: Conversation) -> None:
    """The summary (and so Save) is reached only when every question that applies has its answer."""
    interview = convo.state.interview
    assert interview is not None
    for question in SCRIPTS[interview.script_id].questions:
        if not holds(question.when, interview.answers):
            continue
        assert question.id in interview.answers, question.id
        value = interview.answers[question.id]
        assert value is not None or question.optional, question.id
        if isinstance(question, (ListQuestion, HypothesesQuestion)) and value is not None:
            assert not isinstance(question, ListQuestion) or len(value) >= question.min_items or question.optional
            for item in value:
                fields = item_fields(question, convo.hypotheses)
                assert all(f.id in item for f in fields if holds(f.when, interview.answers, item)), item


FORWARD = {"d", "k", "rp", "s", "sv", "ed", "ok", "y", "n"}


def one_step(convo: Conversation, data: st.DataObject, forward: float) -> None:
    """Press a button of the current reply, send a payload (real or forged), a command or some text.

    `forward` is the share of steps that move the interview on: pressing an answer, Done, Keep, Skip,
    Save or Edit, or typing an answer that fits the question (Back and Pause are left to the rest).
    """
    choices = buttons(convo.reply)
    onward = [c for c in choices if code_of(c) in FORWARD or ":" in code_of(c) or code_of(c)[:1] in "ve"]
    roll = data.draw(st.floats(0, 1), label="roll")
    if roll < forward:
        press = data.draw(st.booleans(), label="press or type")
        if onward and press:
            convo.payload(data.draw(st.sampled_from(onward), label="press").payload)
        else:
            convo.send(data.draw(st.sampled_from(plausible(convo)), label="plausible"))
    elif choices and roll < forward + 0.15:
        convo.payload(data.draw(st.sampled_from(choices), label="press any").payload)
    elif roll < forward + 0.25:
        turn = data.draw(st.sampled_from([convo.state.turn, convo.state.turn - 1, convo.state.turn + 1, 0]))
        real = [code_of(choice) for choice in choices]
        codes = real + [code[:1] + odd for code in real for odd in ("²", "--1", "9" * 80)] + RANDOM_CODES
        convo.payload(f"{turn}|{data.draw(st.sampled_from(codes), label='code')}")
    elif roll < forward + 0.3:
        convo.payload(data.draw(st.text(max_size=70), label="garbage payload"))
    elif roll < forward + 0.4:
        command = data.draw(st.sampled_from(sorted(COMMANDS)), label="command")
        convo.send(f"/{command}{data.draw(st.sampled_from(COMMAND_ARGS))}")
    else:
        convo.send(data.draw(text_strategy, label="text"))
    check(convo)


def new_conversation(data: st.DataObject) -> Conversation:
    lang = data.draw(st.sampled_from(["en", "ru"]), label="lang")
    hypotheses = data.draw(st.sampled_from([(), HYPOTHESES]), label="hypotheses")
    convo = Conversation(SCRIPTS, lang=lang, hypotheses=hypotheses)
    start = data.draw(st.sampled_from(["/interview discovery", "/interview validation", "/quick", "hello"]))
    convo.send(start)
    check(convo)
    return convo


@SETTINGS
@given(st.data())
def test_any_input_sequence_keeps_the_state_sound(data: st.DataObject) -> None:
    convo = new_conversation(data)
    for _ in range(data.draw(st.integers(10, 40), label="steps")):
        one_step(convo, data, forward=0.3)
    event(f"mode: {convo.mode}")


@SETTINGS
@given(st.data())
def test_mostly_valid_walks_reach_summary_and_edits_soundly(data: st.DataObject) -> None:
    convo = new_conversation(data)
    seen = set()
    for _ in range(data.draw(st.integers(30, 90), label="steps")):
        one_step(convo, data, forward=0.8)
        seen.add(convo.mode)
    event("reached summary" if "summary" in seen else "no summary")
    event("edited" if "edit_pick" in seen else "no edit")


@SETTINGS
@given(st.data())
def test_a_stale_payload_changes_nothing(data: st.DataObject) -> None:
    convo = new_conversation(data)
    for _ in range(data.draw(st.integers(0, 30), label="steps")):
        one_step(convo, data, forward=0.7)
    before = convo.state.to_dict()
    old = data.draw(st.integers(0, max(0, convo.state.turn - 1)), label="old turn")
    code = data.draw(st.sampled_from([code_of(c) for c in buttons(convo.reply)] + RANDOM_CODES), label="code")
    convo.payload(f"{old}|{code}" if old != convo.state.turn else f"{old + 1}|{code}")
    if before["interview"] is None and code.removeprefix("i:") in SCRIPTS:  # an old picker still starts it
        assert convo.state.interview is not None and convo.state.interview.script_id == code[2:]
        return
    assert not convo.new_effects
    after = convo.state.to_dict()
    if before["interview"] is None:  # idle: a fresh script picker gets a new turn, nothing else changes
        after["turn"] = before["turn"]
    after["last_press"] = before["last_press"]  # the stale press is remembered, so that a double tap is silent
    assert after == before
