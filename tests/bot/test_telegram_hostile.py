"""Hostile input through real Telegram plumbing: every question kind gets 5,000 characters of HTML, no 4xx ever."""

from __future__ import annotations

import asyncio
import re

from tests.bot.conftest import Bot
from tests.fake_telegram import FakeUser, SentMessage

HOSTILE = ("<b>Ann & co</b> <script>alert(1)</script> &amp; “ёлки” 🎉 " * 120)[:5000]
FALLBACK_ANSWERS = ("3", "${n}/mo", "2026-11-20", "yes", "done")  # prices rise question by question
PROGRESS = re.compile(r"· (\d+)/(\d+)")


def screen_of(message: SentMessage) -> tuple[str, str]:
    """Which question a screen shows: its progress marker and its first bold line."""
    text = message.plain_text or ""
    found = PROGRESS.search(text)
    return (found.group(0) if found else "", text.split("\n")[1] if "\n" in text else text)


def labels(message: SentMessage) -> list[str]:
    return [button["text"] for button in message.buttons]


async def step(bot: Bot, user: FakeUser, text: str | None = None, press: str | None = None) -> SentMessage:
    """Type or press; the next screen (a message with buttons)."""
    last = bot.last(user)
    assert last is not None
    if press is not None:
        await bot.tg.inject_callback(user, last.message_id, button_text=press)
    else:
        await bot.tg.inject_text(user, text or "")
    return await bot.tg.wait_for_message(user, lambda m: bool(m.buttons), after=last, timeout=10)


async def walk_with_hostile_text(bot: Bot, user: FakeUser, script: str) -> SentMessage:
    """Answer every question with the hostile text first; where it is refused, tap or type a plain answer."""
    screen = await bot.said(user, f"/interview {script}")
    for n in range(10, 130):
        if "Save ✅" in labels(screen):
            await bot.tg.inject_callback(user, screen.message_id, button_text="Save ✅")
            saved = lambda m: "Saved ✅" in (m.plain_text or "")  # noqa: E731
            return await bot.tg.wait_for_message(user, saved, after=screen, timeout=10)
        if "Done" in labels(screen):  # a list that has its items: one hostile item each is enough
            screen = await step(bot, user, press="Done")
            continue
        before = screen_of(screen)
        screen = await step(bot, user, HOSTILE)
        if "Keep it" in labels(screen):  # the coach's nudge on a long answer: keep it, it is their words
            screen = await step(bot, user, press="Keep it")
        if screen_of(screen) != before:
            continue
        answers = [label for label in labels(screen) if label not in ("◀ Back", "Pause", "Skip", "Keep")]
        for answer in FALLBACK_ANSWERS:
            if screen_of(screen) != before:
                break
            screen = await (step(bot, user, press=answers[0]) if answers else step(bot, user, answer.format(n=n)))
            if "Keep it" in labels(screen):
                screen = await step(bot, user, press="Keep it")
            answers = []
    shown = [(m.plain_text or "")[:90] for m in bot.tg.messages(user)[-8:]]
    raise AssertionError(f"the {script} interview never reached its summary; last screens: {shown}")


async def test_hostile_text_in_every_question_kind_never_gets_a_4xx_and_is_saved(bot: Bot) -> None:
    alice = bot.tg.add_user("Alice")
    for script in ("quick", "discovery", "validation"):
        saved = await walk_with_hostile_text(bot, alice, script)
        assert len(saved.plain_text or "") < 300  # the confirmation names them briefly; the record has it all
    refused = [(r.method, r.status, r.description) for r in bot.tg.requests if r.status >= 400]
    assert refused == []
    assert all(len(m.plain_text or "") <= 4096 for m in bot.tg.messages(alice))
    data = await bot.app.storage.export_data()
    assert [i.status for i in data.interviews] == ["completed"] * 3
    assert data.interviews[0].record.alias == HOSTILE.strip()


async def test_a_message_telegram_refuses_goes_again_as_plain_text(bot: Bot) -> None:
    alice = bot.tg.add_user("Alice")
    await bot.said(alice, "/start")
    bot.tg.fail_next("sendMessage", "Bad Request: can't parse entities: unsupported start tag", status=400)
    question = await bot.said(alice, "/quick")
    assert "Who did you talk to?" in (question.plain_text or "") and "Pause" in labels(question)
    sends = [r for r in bot.tg.requests if r.method == "sendMessage"]
    refused, retried = sends[-2], sends[-1]
    assert refused.status == 400 and refused.params.get("parse_mode") == "HTML"
    assert retried.status == 200 and not retried.params.get("parse_mode")  # plain: nothing left to misparse
    answer = await step(bot, alice, "Anna")  # and the interview goes on as usual
    assert "Which customer segment" in (answer.plain_text or "")


async def test_a_refused_message_without_its_buttons_still_reaches_the_founder(bot: Bot) -> None:
    alice = bot.tg.add_user("Alice")
    await bot.said(alice, "/start")
    bot.tg.fail_next("sendMessage", "Bad Request: BUTTON_DATA_INVALID", status=400, times=2)
    await bot.tg.inject_text(alice, "/quick")
    question = await bot.tg.wait_for_message(
        alice, lambda m: "Who did you talk to?" in (m.plain_text or ""), timeout=10
    )
    assert question.buttons == []  # shown without buttons: typing the answer still works
    answer = await step(bot, alice, "Anna")
    assert "Which customer segment" in (answer.plain_text or "")


async def test_a_burst_of_commands_in_a_group_stays_under_twenty_a_minute_without_a_429(bot: Bot) -> None:
    alice = bot.tg.add_user("Alice")
    group = bot.tg.add_group("Founders", members=[alice])
    await bot.said(alice, "/start")
    for _ in range(26):  # the whole team asks at once
        await bot.tg.inject_command(alice, "status", chat=group, mention=True)
    await bot.tg.wait_until(lambda: len(bot.tg.messages(group)) >= 20 or None, timeout=10, what="20 answers")
    await asyncio.sleep(3.5)  # a refilling bucket (the old limiter) sent the 21st after 3 s, and got a 429
    assert len(bot.tg.messages(group)) == 20
    assert [r for r in bot.tg.requests if r.status == 429] == []
    assert len(await bot.app.storage.unsent("telegram")) == 6  # waiting their turn, not lost
