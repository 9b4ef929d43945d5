"""Phone habits through the real python-telegram-bot stack: double taps, the chosen language, buttons that close."""

from __future__ import annotations

from typing import Any

import pytest

from core.i18n import gettext_for
from tests.bot.conftest import Bot
from tests.fake_telegram import FakeUser, SentMessage


async def double_tap(bot: Bot, user: FakeUser, message: SentMessage, label: str) -> tuple[str, str]:
    """Two callback queries for the same button in quick succession; their query ids."""
    first = await bot.tg.inject_callback(user, message.message_id, button_text=label)
    second = await bot.tg.inject_callback(user, message.message_id, button_text=label)
    return first["callback_query"]["id"], second["callback_query"]["id"]


async def test_a_double_tap_acts_once_and_the_second_tap_is_only_answered(bot: Bot) -> None:
    alice = bot.tg.add_user("Alice")
    reply = await bot.said(alice, "/quick")
    for answer in ("Anna", "Clinics", "Chaos"):
        reply = await bot.said(alice, answer, after=reply)
    severity = reply
    first, second = await double_tap(bot, alice, severity, "4 · Serious problem")
    commit = await bot.tg.wait_for_message(alice, after=severity, timeout=10)
    assert "Did they commit" in commit.plain_text
    for query in (first, second):
        answer = await bot.tg.wait_for_callback_answer(query, timeout=10)
        assert answer.text is None and not answer.show_alert
    await bot.tg.inject_text(alice, "No commitment")  # handled after the second tap: its messages come first
    quote = await bot.tg.wait_for_message(alice, lambda m: "best thing" in m.plain_text, after=commit, timeout=10)
    later = [m.plain_text for m in bot.tg.messages(alice) if m.message_id > severity.message_id]
    assert later == [commit.plain_text, quote.plain_text]  # no stale note, no repeated question
    assert bot.tg.message(alice, severity.message_id).plain_text.endswith("→ 4 · Serious problem")  # still marked
    summary = await bot.press(alice, "Skip")
    assert "Almost done" in summary.plain_text
    first, second = await double_tap(bot, alice, summary, "Save ✅")
    saved = await bot.tg.wait_for_message(alice, after=summary, timeout=10)
    assert "Saved ✅" in saved.plain_text
    await bot.tg.wait_for_callback_answer(second, timeout=10)
    await bot.tg.inject_text(alice, "/help")
    help_reply = await bot.tg.wait_for_message(alice, lambda m: "/status" in m.plain_text, after=saved, timeout=10)
    later = [m.plain_text for m in bot.tg.messages(alice) if m.message_id > summary.message_id]
    assert later == [saved.plain_text, help_reply.plain_text]  # no stale note, no interview picker
    assert bot.tg.message(alice, summary.message_id).plain_text.endswith("→ Save ✅")
    [interview] = (await bot.app.storage.export_data()).interviews
    assert interview.status == "completed" and interview.record.pains[0].severity == 4
    refused = [(r.method, r.status, r.description) for r in bot.tg.requests if r.status >= 400]
    assert refused == []


async def test_voice_sticker_edit_and_error_notes_follow_the_chosen_language(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    ru = gettext_for("ru")
    alice = bot.tg.add_user("Alice", language_code="en")  # an English phone, a founder who chose Russian
    chosen = await bot.said(alice, "/lang ru")
    assert chosen.plain_text == ru("Language set to English.")
    reply = await bot.said(alice, "/quick", after=chosen)
    await bot.tg.inject_voice(alice)
    voice = await bot.tg.wait_for_message(alice, after=reply, timeout=10)
    assert voice.plain_text == ru("I can't listen to voice notes yet — please type the key points.")
    await bot.tg.inject_sticker(alice)
    sticker = await bot.tg.wait_for_message(alice, after=voice, timeout=10)
    assert sticker.plain_text == ru("I can only read text. Please type your answer (or /help).")
    update = await bot.tg.inject_text(alice, "Anna")
    answered = await bot.tg.wait_for_message(alice, after=sticker, timeout=10)
    await bot.tg.inject_edit(alice, update["message"]["message_id"], "Anya")
    edited = await bot.tg.wait_for_message(alice, after=answered, timeout=10)
    assert edited.plain_text == ru(
        "Editing a sent message doesn't change a saved answer. Use /back, or change "
        "any answer from the summary at the end."
    )
    service = bot.app.service
    handle = service.handle

    async def fails_once(*args: Any, **kwargs: Any) -> Any:
        monkeypatch.setattr(service, "handle", handle)  # only this message fails (a lost database, say)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(service, "handle", fails_once)
    await bot.tg.inject_text(alice, "Clinics")
    error = await bot.tg.wait_for_message(alice, after=edited, timeout=10)
    assert error.plain_text == ru("Sorry, that didn't go through and nothing was saved. Please send it again.")
    assert "Sorry" not in error.plain_text


async def test_typing_an_answer_to_a_choice_question_closes_its_old_buttons(bot: Bot) -> None:
    alice = bot.tg.add_user("Alice")
    reply = await bot.said(alice, "/quick")
    for answer in ("Anna", "Clinics", "Chaos"):
        reply = await bot.said(alice, answer, after=reply)
    severity = reply
    commit = await bot.said(alice, "4", after=severity)
    assert "Did they commit" in commit.plain_text
    old = bot.tg.message(alice, severity.message_id)
    assert old.reply_markup is None and old.plain_text == severity.plain_text  # closed, text untouched
    assert commit.reply_markup is not None
    quote = await bot.said(alice, "Meeting or free pilot", after=commit)
    assert "best thing" in quote.plain_text and bot.tg.message(alice, commit.message_id).reply_markup is None
    summary = await bot.said(alice, "They re-book by hand", after=quote)
    assert bot.tg.message(alice, quote.message_id).reply_markup is not None  # a typed question's Back stays
    assert "Almost done" in summary.plain_text


async def test_interview_in_a_group_gets_a_button_to_the_private_chat(bot: Bot) -> None:
    alice = bot.tg.add_user("Alice")
    welcome = await bot.said(alice, "/start")
    assert [button["text"] for button in welcome.buttons] == ["Log an interview", "Quick log"]
    group = bot.tg.add_group("Founders", members=(alice,))
    await bot.tg.inject_command(alice, "interview", chat=group)
    reply = await bot.tg.wait_for_message(group, timeout=10)
    [button] = reply.buttons
    assert button["url"] == f"https://t.me/{bot.tg.bot.username}?start=interview" and "callback_data" not in button
    started = await bot.press(alice, "Quick log")
    assert "Who did you talk to?" in started.plain_text


async def test_a_double_tap_on_a_stale_button_says_it_has_passed_once(bot: Bot) -> None:
    alice = bot.tg.add_user("Alice")
    picker = await bot.said(alice, "/start")
    [label, *_others] = [button["text"] for button in picker.buttons if "callback_data" in button]
    question = await bot.said(alice, "/interview discovery", after=picker)
    assert "Who did you talk to?" in question.plain_text
    first, second = await double_tap(bot, alice, picker, label)  # an old picker while an interview runs
    note = await bot.tg.wait_for_message(alice, lambda m: "passed" in m.plain_text, after=question, timeout=10)
    for query in (first, second):
        await bot.tg.wait_for_callback_answer(query, timeout=10)
    await bot.tg.inject_text(alice, "Anna")
    await bot.tg.wait_for_message(alice, lambda m: "Anna" not in m.plain_text, after=note, timeout=10)
    passed = [m.plain_text for m in bot.tg.messages(alice) if "passed" in m.plain_text]
    assert passed == [note.plain_text]  # the second tap of the old button is silent
