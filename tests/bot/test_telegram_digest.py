"""The digest on Telegram, through python-telegram-bot against the fake Bot API: `/digest here` in the team's
group, `/digest now` and `/digest preview`, the chart as a photo (retried after a 429) and the text with it."""

from __future__ import annotations

from tests.bot.conftest import Bot
from tests.png_support import png_size

QUICK = ("Anna", "Dental clinics", "Re-booking patients by hand every morning")


async def test_digest_now_sends_the_chart_as_a_photo_and_the_text_to_the_group(bot: Bot) -> None:
    alice = bot.tg.add_user("Alice")
    reply = await bot.said(alice, "/start")
    reply = await bot.said(alice, "/quick", after=reply)
    for answer in QUICK:
        reply = await bot.said(alice, answer, after=reply)
    for label in ("4 · Serious problem", "Meeting or free pilot", "Skip", "Save ✅"):
        await bot.press(alice, label)
    group = bot.tg.add_group("Founders", members=(alice,))
    await bot.tg.inject_command(alice, "digest", "here", chat=group)
    linked = await bot.tg.wait_for_message(group, timeout=10)
    assert "digest channel" in (linked.plain_text or "")
    assert "/status, /hypotheses, /search, /digest;" in (linked.plain_text or "")  # every command a group may use
    bot.tg.fail_next("sendPhoto", "Too Many Requests: retry after 1", status=429, retry_after=1)
    await bot.tg.inject_command(alice, "digest", "now", chat=group)
    photo = await bot.tg.wait_for_message(group, after=linked, timeout=15)
    assert photo.kind == "photo" and photo.file is not None and photo.file.content is not None
    width, height = png_size(photo.file.content)
    assert width >= 600 and height > width / 2, "a chart sized for a phone"
    assert photo.plain_text, "the chart's alt text is its caption"
    text = await bot.tg.wait_for_message(group, after=photo, timeout=10)
    [team] = (await bot.app.storage.export_data()).teams
    assert text.kind == "text" and team.name in (text.plain_text or "")
    assert (photo.plain_text or "") not in (text.plain_text or ""), "the alt text is not repeated in the text"


async def test_a_preview_before_any_interview_is_a_few_encouraging_lines_without_a_chart(bot: Bot) -> None:
    alice = bot.tg.add_user("Alice")
    await bot.said(alice, "/start")
    preview = await bot.said(alice, "/digest preview")
    assert preview.kind == "text" and preview.plain_text
    assert [m.kind for m in bot.tg.messages(alice)].count("photo") == 0
