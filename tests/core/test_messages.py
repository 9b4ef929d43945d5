"""The seam's types: blocks with plain fallbacks, destinations, and the outbox's versioned stored form."""

from __future__ import annotations

import json
import traceback

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.messages import (
    Actions,
    Bullets,
    ChartSpec,
    Choice,
    ChoicePressed,
    Choices,
    CommandInvoked,
    Divider,
    Ephemeral,
    FieldError,
    Fields,
    Form,
    FormField,
    Heading,
    HomeView,
    Image,
    Incoming,
    Origin,
    Paragraph,
    Reply,
    Span,
    TextSent,
    ToChat,
    ToUser,
    UpdatePressed,
    chat_of,
    reply_to,
    shorten,
)
from core.messages.stored import StoredMessageInvalid, dump_message, load_message

ORIGIN = Origin("slack", "T1", "D42", "U7", thread="1700000000.1")
EVERY_BLOCK = (
    Heading("Where we stand"),
    Paragraph((Span("Phase: ", "bold"), Span("<Discovery> & co"))),
    Fields((("Interviews", "12 of 15"), ("Top pain", "re-booking"))),
    Bullets(((Span("H1 "), Span("validated", "italic")), (Span("H2"),))),
    Divider(),
    Image(
        (
            ChartSpec("Interviews per week", ("W48", "W49"), (("done", (3.0, 5.0)),), target=15),
            ChartSpec(
                "Top pains", ("Scheduling", "Paper"), (("interviews", (4.0, 2.0)),), chart="hbar", shades=(0.8, 0.4)
            ),
        ),
        "3 then 5 of 15",
    ),
    Choices(((Choice("Yes", "3|y"), Choice("No", "3|n")),)),
    Actions((Choice("◀ Back", "3|b"),)),
)
DESTINATIONS = (
    ToChat("telegram", "bot", "-100"),
    ToChat("slack", "T1", "C1", thread="1.2"),
    ToUser("slack", "T1", "U7"),
    Ephemeral("slack", "T1", "C1", "U7"),
    HomeView("slack", "T1", "U7"),
    UpdatePressed("telegram", "bot", "42", "1001"),
)


def test_every_block_has_a_plain_fallback_that_keeps_its_words() -> None:
    reply = Reply(blocks=EVERY_BLOCK)
    text = reply.fallback()
    for words in ("Where we stand", "<Discovery> & co", "Top pain: re-booking", "• H1 validated", "3 then 5 of 15"):
        assert words in text
    assert "  1. Yes\n  2. No" in text and "[◀ Back]" in text
    assert [c.label for c in reply.flat_choices()] == ["Yes", "No"] and reply.actions == (Choice("◀ Back", "3|b"),)


def test_text_only_platforms_get_styled_spans_of_every_text_block() -> None:
    spans = Reply(blocks=EVERY_BLOCK).spans
    assert Span("Where we stand", "bold") in spans and Span("3 then 5 of 15", "italic") in spans
    assert "Yes" not in "".join(s.text for s in spans)  # buttons are not text


def test_the_short_form_is_a_paragraph_with_buttons() -> None:
    reply = Reply((Span("Pick one"),), ((Choice("A", "1|o:a"),),), (Choice("Pause", "1|p"),))
    assert [type(block) for block in reply.blocks] == [Paragraph, Choices, Actions]
    assert reply.plain_text == "Pick one"


@pytest.mark.parametrize("destination", DESTINATIONS, ids=lambda d: d.kind)
def test_every_destination_and_block_survives_the_outbox(destination: object) -> None:
    reply = Reply(blocks=EVERY_BLOCK, replaces_prompt=True, closes_buttons=True, personal=True)
    stored = json.loads(dump_message(destination, reply))  # type: ignore[arg-type]
    assert stored["v"] == 2
    assert load_message(stored, ToChat("x", "y", "z")) == (destination, reply)


def test_a_row_from_before_versioning_loads_to_its_own_chat() -> None:
    legacy = {"spans": [["Hi", "bold"]], "choices": [[["Yes", "2|y"]]], "actions": [["Pause", "2|p"]]}
    destination, reply = load_message(legacy, ToChat("telegram", "bot", "5"))
    assert destination == ToChat("telegram", "bot", "5")
    assert reply.spans == (Span("Hi", "bold"),) and reply.flat_choices() == [Choice("Yes", "2|y")]


@pytest.mark.parametrize(
    "raw",
    [
        {"v": 3, "destination": {}, "reply": {"blocks": []}},
        {"v": 2, "destination": {"kind": "carrier-pigeon"}, "reply": {"blocks": []}},
        {
            "v": 2,
            "destination": {"kind": "chat", "platform": "t", "tenant": "b", "chat": "1"},
            "reply": {"blocks": [{"kind": "marquee"}]},
        },
        {
            "v": 2,
            "destination": {"kind": "chat", "platform": "t", "tenant": "b", "chat": "1"},
            "reply": {"blocks": [{"kind": "paragraph", "spans": [{"text": "x", "style": "blink"}]}]},
        },
        {"spans": "not a list"},
    ],
)
def test_a_malformed_stored_message_is_refused_with_a_clear_error(raw: dict[str, object]) -> None:
    with pytest.raises(StoredMessageInvalid):
        load_message(raw, ToChat("t", "b", "1"))


def test_a_refused_stored_message_never_quotes_its_text() -> None:
    answer = "we lose 40 patients a month to re-booking chaos"
    raw = {
        "v": 2,
        "destination": {"kind": "chat", "platform": "t", "tenant": "b", "chat": "1"},
        "reply": {"blocks": [{"kind": "paragraph", "spans": [{"txt": answer}]}]},  # a field renamed by mistake
    }
    with pytest.raises(StoredMessageInvalid) as refused:
        load_message(raw, ToChat("t", "b", "1"))
    logged = "".join(traceback.format_exception(refused.value))  # what log.exception would write, causes and all
    assert "spans.0.text: Field required" in str(refused.value) and answer not in logged


@given(st.text(max_size=300), st.sampled_from(["plain", "bold", "italic", "code", "quote"]))
def test_any_text_round_trips_through_the_outbox(text: str, style: str) -> None:
    reply = Reply((Span(text, style),))  # type: ignore[arg-type]
    stored = json.loads(dump_message(DESTINATIONS[0], reply))
    assert load_message(stored, DESTINATIONS[0])[1] == reply


def test_typed_text_becomes_a_command_or_text_and_never_assumes_chat_is_user() -> None:
    command = Incoming.typed(ORIGIN, "e1", "/status@cusdev_bot  now")
    assert command.input == CommandInvoked("status", "now") and command.text == "/status now"
    typed = Incoming.typed(ORIGIN, "e2", "Anna")
    assert typed.input == TextSent("Anna") and typed.command is None
    pressed = Incoming(ORIGIN, "e3", ChoicePressed("4|y", message="m1"))
    assert pressed.choice == "4|y" and pressed.text is None
    assert typed.conversation_key == "slack:T1:D42:U7"  # the DM's own id and the person's, both kept
    assert reply_to(typed) == ToChat("slack", "T1", "D42", thread="1700000000.1")


def test_messages_to_a_person_queue_apart_from_their_chats() -> None:
    assert chat_of(ToUser("slack", "T1", "U7")) == "@U7"
    assert chat_of(UpdatePressed("telegram", "bot", "42", "9")) == "42"


def test_forms_carry_errors_by_field() -> None:
    form = Form("quick", "Quick log", (FormField("alias", "Who?"), FormField("severity", "How bad?", "scale")), "Save")
    shown = form.with_errors([FieldError("severity", "Pick 1 to 5")])
    assert shown.errors == {"severity": "Pick 1 to 5"} and form.errors == {}


def test_shorten_keeps_short_text_and_marks_a_cut() -> None:
    assert shorten("Anna", 80) == "Anna"
    assert shorten("x" * 100, 10) == "x" * 9 + "…"
