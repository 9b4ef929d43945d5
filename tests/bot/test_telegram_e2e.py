"""The real bot (python-telegram-bot's own HTTP stack) against the local fake Bot API server, on real SQLite."""

from __future__ import annotations

import json

from core.i18n import gettext_for
from tests.bot.conftest import Bot

QUICK = ("Anna", "Dental clinics", "Re-booking patients by hand every morning")


async def test_command_menu_is_registered_in_english_and_russian(bot: Bot) -> None:
    english = [command["command"] for command in bot.tg.commands()]
    russian = bot.tg.commands(language_code="ru")
    assert {"start", "interview", "quick", "status", "help"} <= set(english)
    assert [c["command"] for c in russian] == english
    ru = gettext_for("ru")
    assert [c["description"] for c in russian] == [ru(c["description"]) for c in bot.tg.commands()]


async def test_quick_interview_with_buttons_and_text(bot: Bot) -> None:
    alice = bot.tg.add_user("Alice")
    welcome = await bot.said(alice, "/start")
    assert "Your team" in welcome.plain_text
    first = await bot.said(alice, "/quick")
    assert "Who did you talk to?" in first.plain_text
    reply = first
    for answer in QUICK:
        reply = await bot.said(alice, answer, after=reply)
    assert "How badly does it hurt them?" in reply.plain_text
    severity = reply
    reply = await bot.press(alice, "4 · Serious problem")
    pressed = bot.tg.message(alice, severity.message_id)
    assert pressed.reply_markup is None and pressed.plain_text.endswith("→ 4 · Serious problem")
    assert "Did they commit" in reply.plain_text
    reply = await bot.press(alice, "Meeting or free pilot")
    reply = await bot.press(alice, "Skip")
    assert "Almost done" in reply.plain_text and "Anna" in reply.plain_text
    saved = await bot.press(alice, "Save ✅")
    assert "Saved ✅ Your interview with Anna is in." in saved.plain_text
    data = await bot.app.storage.export_data()
    [interview] = data.interviews
    assert interview.status == "completed" and interview.record.pains[0].severity == 4
    assert [c.kind for c in interview.record.commitments] == ["time"]


async def test_stale_button_changes_nothing_and_shows_the_current_question(bot: Bot) -> None:
    alice = bot.tg.add_user("Alice")
    first = await bot.said(alice, "/quick")
    await bot.said(alice, "Anna", after=first)  # typed, so the old Pause button stays on its message
    reply = await bot.said(alice, "Clinics")
    severity = await bot.said(alice, "Chaos", after=reply)
    reply = await bot.said(alice, "5", after=severity)  # typed past a choice: its buttons close
    assert bot.tg.message(alice, severity.message_id).reply_markup is None
    await bot.tg.inject_callback(alice, first.message_id, button_text="Pause")
    stale = await bot.tg.wait_for_message(alice, after=reply, timeout=10)
    assert "question that has passed" in stale.plain_text and "Did they commit" in stale.plain_text
    data = await bot.app.storage.export_data()
    assert data.interviews[0].answers["pains"] == [{"text": "Chaos", "severity": 5}]
    assert data.interviews[0].status == "in_progress"


async def test_a_reply_to_a_question_that_has_passed_is_stale_and_plain_typing_is_not(bot: Bot) -> None:
    alice = bot.tg.add_user("Alice")
    first = await bot.said(alice, "/quick")
    name = await bot.said(alice, "Anna", after=first)
    pain = await bot.said(alice, "Clinics", after=name)  # the pain question
    await bot.tg.inject_text(alice, "Dentists", reply_to=name.message_id)  # a reply to the segment question
    stale = await bot.tg.wait_for_message(alice, after=pain, timeout=10)
    assert "typed on a screen that has since changed" in stale.plain_text and "pain" in stale.plain_text.casefold()
    await bot.tg.inject_text(alice, "Chaos", reply_to=stale.message_id)  # a reply to the current question
    severity = await bot.tg.wait_for_message(alice, after=stale, timeout=10)
    assert "How badly" in severity.plain_text
    data = await bot.app.storage.export_data()
    assert data.interviews[0].answers["segment"] == "Clinics"
    assert data.interviews[0].answers["pains"] == [{"text": "Chaos"}]


async def test_over_long_answer_and_html_in_answers_are_safe(bot: Bot) -> None:
    alice = bot.tg.add_user("Alice")
    reply = await bot.said(alice, "/quick")
    reply = await bot.said(alice, "<b>Anna</b> & co", after=reply)
    reply = await bot.said(alice, "Clinics", after=reply)
    story = "Scheduling is chaos; " * 300
    nudge = await bot.said(alice, story, after=reply)
    assert "long answer" in nudge.plain_text
    reply = await bot.press(alice, "Keep it")
    assert "How badly" in reply.plain_text
    for label in ("3 · Real hassle", "No commitment", "Skip"):
        reply = await bot.press(alice, label)
    assert "<b>Anna</b> & co" in reply.plain_text
    assert all(len(m.plain_text) <= 4096 for m in bot.tg.messages(alice))
    data = await bot.app.storage.export_data()
    assert data.interviews[0].answers["pains"][0]["text"] == story.strip()


async def test_redelivered_update_has_no_second_effect(bot: Bot) -> None:
    alice = bot.tg.add_user("Alice")
    reply = await bot.said(alice, "/quick")
    update = await bot.tg.inject_text(alice, "Anna")
    reply = await bot.tg.wait_for_message(alice, after=reply, timeout=10)
    await bot.tg.redeliver(update)
    await bot.tg.wait_until_confirmed(update, timeout=10)
    await bot.said(alice, "/status")
    texts = [m.plain_text for m in bot.tg.messages(alice)]
    assert sum("Which customer segment" in t for t in texts) == 1


async def test_voice_photo_sticker_and_edits_get_a_clear_answer(bot: Bot) -> None:
    alice = bot.tg.add_user("Alice")
    reply = await bot.said(alice, "/quick")
    await bot.tg.inject_voice(alice)
    voice = await bot.tg.wait_for_message(alice, after=reply, timeout=10)
    assert "please type the key points" in voice.plain_text
    await bot.tg.inject_photo(alice)
    photo = await bot.tg.wait_for_message(alice, after=voice, timeout=10)
    await bot.tg.inject_sticker(alice)
    sticker = await bot.tg.wait_for_message(alice, after=photo, timeout=10)
    assert "only read text" in photo.plain_text and "only read text" in sticker.plain_text
    update = await bot.tg.inject_text(alice, "Anna")
    answered = await bot.tg.wait_for_message(alice, after=sticker, timeout=10)
    await bot.tg.inject_edit(alice, update["message"]["message_id"], "Anya")
    edited = await bot.tg.wait_for_message(alice, after=answered, timeout=10)
    assert "doesn't change a saved answer" in edited.plain_text
    data = await bot.app.storage.export_data()
    assert data.interviews[0].answers == {"alias": "Anna"}


async def test_group_stranger_is_refused_and_member_sees_the_board(bot: Bot) -> None:
    alice, zed = bot.tg.add_user("Alice"), bot.tg.add_user("Zed")
    await bot.said(alice, "/start")
    group = bot.tg.add_group("Founders", members=(alice, zed))
    await bot.tg.inject_command(alice, "digest_here", chat=group)
    linked = await bot.tg.wait_for_message(group, timeout=10)
    assert "digest channel" in linked.plain_text
    await bot.tg.inject_command(zed, "status", chat=group)
    refused = await bot.tg.wait_for_message(group, after=linked, timeout=10)
    assert "only answer members" in refused.plain_text
    await bot.tg.inject_command(alice, "status", chat=group, mention=True)
    status = await bot.tg.wait_for_message(group, after=refused, timeout=10)
    assert "Customer Discovery" in status.plain_text
    await bot.tg.inject_command(alice, "interview", chat=group)
    private = await bot.tg.wait_for_message(group, after=status, timeout=10)
    assert "private chat" in private.plain_text
    await bot.tg.inject_text(alice, "just chatting", chat=group)
    await bot.said(alice, "/help")
    assert bot.tg.last_message(group) == private  # plain chatter in a group gets no reply


async def test_flood_control_429_is_waited_out_and_nothing_is_dropped(bot: Bot) -> None:
    alice = bot.tg.add_user("Alice")
    bot.tg.fail_next("sendMessage", "Too Many Requests: retry after 1", status=429, retry_after=1, times=1)
    first = await bot.said(alice, "/quick")
    assert "Who did you talk to?" in first.plain_text
    assert [r.status for r in bot.tg.requests if r.method == "sendMessage"][:2] == [429, 200]


async def test_export_after_telegram_interview_has_the_founder(bot: Bot) -> None:
    alice = bot.tg.add_user("Alice")
    reply = await bot.said(alice, "/quick")
    await bot.said(alice, "Anna", after=reply)
    data = await bot.app.storage.export_data()
    document = json.loads(json.dumps([i.founder for i in data.interviews]))
    assert document == ["Alice"]


async def test_back_edit_from_summary_and_coach_nudge_over_telegram(bot: Bot) -> None:
    alice = bot.tg.add_user("Alice", language_code="ru")
    reply = await bot.said(alice, "/lang en")
    reply = await bot.said(alice, "/quick", after=reply)
    reply = await bot.said(alice, "Anna", after=reply)
    reply = await bot.press(alice, "◀ Back")
    assert "Who did you talk to?" in reply.plain_text and "Now: Anna" in reply.plain_text
    reply = await bot.press(alice, "Keep")
    reply = await bot.said(alice, "Clinics", after=reply)
    reply = await bot.said(alice, "Chaos", after=reply)
    reply = await bot.press(alice, "4 · Serious problem")
    reply = await bot.press(alice, "No commitment")
    nudge = await bot.said(alice, "They would love it, great idea", after=reply)
    assert "praise" in nudge.plain_text and "type it again" not in nudge.plain_text  # a quote is not retyped
    summary = await bot.press(alice, "That's what they said (weak)")
    assert "Almost done" in summary.plain_text
    picker = await bot.press(alice, "Edit an answer")
    again = await bot.press(alice, "2 · Segment")
    assert "Which customer segment" in again.plain_text
    summary = await bot.said(alice, "Dental clinics", after=again)
    assert "Dental clinics" in summary.plain_text and picker.message_id < summary.message_id
    saved = await bot.press(alice, "Save ✅")
    assert "Saved ✅" in saved.plain_text
    [interview] = (await bot.app.storage.export_data()).interviews
    assert interview.record.segment == "Dental clinics" and interview.record.quote == "They would love it, great idea"


async def test_an_answer_typed_under_a_coach_nudge_asks_before_replacing_over_telegram(bot: Bot) -> None:
    alice = bot.tg.add_user("Alice")
    reply = await bot.said(alice, "/quick")
    reply = await bot.said(alice, "Anna", after=reply)
    reply = await bot.said(alice, "Clinics", after=reply)
    nudge = await bot.said(alice, "They would switch tomorrow", after=reply)
    assert "hypothetical" in nudge.plain_text
    asked = await bot.said(alice, "4", after=nudge)  # meant for the next question, typed under the nudge
    assert "Replace your answer with this one, or keep the first?" in asked.plain_text
    severity = await bot.press(alice, "Keep the first")
    assert "How badly does it hurt them?" in severity.plain_text
    data = await bot.app.storage.export_data()
    assert data.interviews[0].answers["pains"] == [{"text": "They would switch tomorrow"}]


async def test_invite_deep_link_brings_a_cofounder_into_the_team(bot: Bot) -> None:
    alice, bob = bot.tg.add_user("Alice"), bot.tg.add_user("Bob")
    await bot.said(alice, "/start")
    await bot.said(alice, "/hypothesis add vp Clinics lose hours re-booking patients")
    invite = await bot.said(alice, "/invite")
    link = next(word for word in invite.plain_text.split() if word.startswith("https://t.me/"))
    assert link.startswith(f"https://t.me/{bot.tg.bot.username}?start=join_")
    joined = await bot.said(bob, f"/start {link.rsplit('=', 1)[1]}")
    assert "Welcome to" in joined.plain_text
    board = await bot.said(bob, "/hypotheses")
    assert "Clinics lose hours re-booking patients" in board.plain_text


async def test_stale_press_is_not_shown_as_an_answer_and_a_failed_ack_still_counts(bot: Bot) -> None:
    alice = bot.tg.add_user("Alice")
    reply = await bot.said(alice, "/quick")
    for answer in ("Anna", "Clinics", "Chaos"):
        reply = await bot.said(alice, answer, after=reply)
    severity = reply
    alias = bot.tg.messages(alice)[0]
    reply = await bot.said(alice, "5", after=severity)  # typed past a text question: its Pause button stays
    await bot.tg.inject_callback(alice, alias.message_id, button_text="Pause")
    stale = await bot.tg.wait_for_message(alice, after=reply, timeout=10)
    assert "question that has passed" in stale.plain_text
    old = bot.tg.message(alice, alias.message_id)
    assert "→" not in old.plain_text and old.reply_markup is None
    bot.tg.fail_next("answerCallbackQuery", "Bad Request: query is too old and response timeout expired", times=1)
    applied = await bot.press(alice, "Meeting or free pilot")
    assert "What was the best thing they said?" in applied.plain_text
