"""The fake Telegram server, driven by python-telegram-bot's real HTTP stack (Bot and Application)."""

from __future__ import annotations

import asyncio
import html
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from telegram import Bot, BotCommand, BotCommandScopeChat, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.fake_telegram import FakeTelegramServer, Limits, parse_html
from tests.fake_telegram.rules import ApiError
from tests.ports import free_port


@pytest.fixture(autouse=True)
def ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """PTB 22 returns durations as timedelta with this opt-in (and warns without it)."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as server:
        yield server


@pytest.fixture
async def bot(tg: FakeTelegramServer) -> AsyncIterator[Bot]:
    async with Bot(tg.token, base_url=tg.base_url, base_file_url=tg.base_file_url) as client:
        yield client


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d.title(), callback_data=d) for d in data]])


def description(tg: FakeTelegramServer, method: str) -> str | None:
    """Telegram's raw error text for the last call of ``method`` (PTB re-capitalizes it)."""
    return [r for r in tg.requests if r.method == method][-1].description


async def test_get_me_and_wire_protocol(tg: FakeTelegramServer, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.is_bot and me.username == "cusdev_test_bot" and me.id == 123456789
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{tg.base_url}{tg.token}/getMe", json={}) as r:
            assert r.status == 200 and (await r.json())["result"]["username"] == "cusdev_test_bot"
        async with http.get(f"{tg.base_url}{tg.token}/noSuchMethod") as r:
            assert r.status == 404
            assert await r.json() == {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
        async with http.post(f"{tg.base_url}999:wrong/getMe") as r:
            assert (r.status, (await r.json())["description"]) == (401, "Unauthorized")
    with pytest.raises(InvalidToken):
        async with Bot("999:wrong", base_url=tg.base_url) as stranger:
            await stranger.get_me()
    assert tg.count("getMe") == 3  # bot fixture's initialize, the test, the raw POST


async def test_a_slowed_method_is_recorded_on_arrival_and_answered_later(tg: FakeTelegramServer, bot: Bot) -> None:
    tg.slow_down("getMe", 0.3)
    before = tg.count("getMe")
    call = asyncio.create_task(bot.get_me())
    await tg.wait_for_request("getMe", count=before + 1, timeout=5)
    assert not call.done()  # recorded, not yet answered: what a test sends SIGTERM in the middle of
    assert (await call).username == "cusdev_test_bot"
    tg.slow_down("getMe", 0)
    assert (await bot.get_me()).username == "cusdev_test_bot"


async def test_send_edit_and_not_modified(tg: FakeTelegramServer, bot: Bot) -> None:
    alice = tg.add_user("Alice")
    sent = await bot.send_message(alice.id, "Pick one", reply_markup=keyboard("yes", "no"))
    assert sent.reply_markup == keyboard("yes", "no") and sent.chat.id == alice.id
    edited = await bot.edit_message_text("Picked: yes", chat_id=alice.id, message_id=sent.message_id)
    assert edited.text == "Picked: yes" and edited.reply_markup is None  # no markup in an edit removes it
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("Picked: yes", chat_id=alice.id, message_id=sent.message_id)
    assert description(tg, "editMessageText").startswith("Bad Request: message is not modified: specified new")
    await bot.edit_message_reply_markup(alice.id, sent.message_id, reply_markup=keyboard("undo"))
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(alice.id, sent.message_id, reply_markup=keyboard("undo"))
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", chat_id=alice.id, message_id=999)

    message = tg.last_message(alice)
    assert message is not None and message.plain_text == "Picked: yes" and message.callback_data == ["undo"]
    assert [v["plain_text"] for v in message.versions] == ["Pick one", "Picked: yes", "Picked: yes"]
    assert (await tg.wait_for_edit(alice, sent.message_id)).edited


async def test_unknown_chat_and_users_who_never_started(tg: FakeTelegramServer, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(424242, "hello?")
    assert description(tg, "sendMessage") == "Bad Request: chat not found"
    shy = tg.add_user("Shy", started=False)
    with pytest.raises(Forbidden, match="initiate conversation"):
        await bot.send_message(shy.id, "hello?")
    await tg.inject_text(shy, "hi bot")  # once the user talks, the bot may answer
    await bot.send_message(shy.id, "hello!")
    tg.block(shy)
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.send_message(shy.id, "still there?")


async def test_text_and_caption_limits_count_utf16_after_entities(tg: FakeTelegramServer, bot: Bot) -> None:
    alice = tg.add_user()
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(alice.id, "a" * 4097)
    assert description(tg, "sendMessage") == "Bad Request: message is too long"
    await bot.send_message(alice.id, "a" * 4096)
    await bot.send_message(alice.id, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")  # tags do not count
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(alice.id, "😀" * 2049)  # 4098 UTF-16 code units
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_photo(alice.id, b"\x89PNG", caption="c" * 1025)
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(alice.id, "<b></b>", parse_mode="HTML")


async def test_callback_data_over_64_bytes_is_rejected(tg: FakeTelegramServer, bot: Bot) -> None:
    alice = tg.add_user()
    await bot.send_message(alice.id, "ok", reply_markup=keyboard("é" * 32))  # exactly 64 bytes
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(alice.id, "too long", reply_markup=keyboard("é" * 32 + "x"))
    assert description(tg, "sendMessage") == "Bad Request: BUTTON_DATA_INVALID"
    assert len(tg.messages(alice)) == 1


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("<x>hi</x>", 'Unsupported start tag "x" at byte offset 0'),
        ("é <br/>", 'Unsupported start tag "br/" at byte offset 3'),
        ("5 < 6", 'Unsupported start tag "" at byte offset 2'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("AT&T", 'Unescaped "&" at byte offset 2 (fake server strict check: escape it as &amp;)'),
        ("a <b", "Unclosed start tag at byte offset 2"),
    ],
)
async def test_bad_html_is_rejected_with_telegrams_text(
    tg: FakeTelegramServer, bot: Bot, text: str, error: str
) -> None:
    alice = tg.add_user()
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.send_message(alice.id, text, parse_mode="HTML")
    assert description(tg, "sendMessage") == "Bad Request: can't parse entities: " + error
    assert tg.messages(alice) == []


async def test_good_html_and_escaped_user_text_are_accepted(tg: FakeTelegramServer, bot: Bot) -> None:
    alice = tg.add_user()
    user_text = "5 < 6 & co <script>"
    sent = await bot.send_message(alice.id, f"<b>You said:</b> {html.escape(user_text)}", parse_mode="HTML")
    assert sent.text == "You said: 5 < 6 & co <script>"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [("bold", 0, 9)]
    rich = (
        "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><strike>k</strike><del>d</del>"
        '<tg-spoiler>p</tg-spoiler><span class="tg-spoiler">q</span><a href="https://example.com/?a=1&amp;b=2">l</a>'
        '<code>c</code><pre><code class="language-python">x = 1</code></pre><blockquote>q</blockquote>'
        "<blockquote expandable>long</blockquote> &lt;&gt;&amp;&quot;&#39;&#x41;"
    )
    message = await bot.send_message(alice.id, rich, parse_mode="HTML")
    assert message.text.endswith("long <>&\"'A")
    assert {e.type for e in message.entities} >= {"bold", "spoiler", "text_link", "pre", "expandable_blockquote"}
    assert any(e.type == "pre" and e.language == "python" for e in message.entities)
    assert tg.last_message(alice).text == rich  # the raw text the bot sent is kept too


def test_html_parser_directly() -> None:
    plain, entities = parse_html("😀 <i>é</i>")
    assert plain == "😀 é" and entities == [{"offset": 3, "length": 1, "type": "italic"}]  # UTF-16 offsets
    assert parse_html("AT&T", strict_ampersand=False)[0] == "AT&T"  # what real Telegram does
    with pytest.raises(ApiError, match=r'Unsupported start tag "x" at byte offset 7$'):
        parse_html("é😀 <x>")  # byte offsets count UTF-8: é is 2 bytes, 😀 4, the space 1
    assert parse_html("<b>a</>")[1] == [{"offset": 0, "length": 1, "type": "bold"}]


async def test_group_burst_gets_429_with_retry_after(tg: FakeTelegramServer, bot: Bot) -> None:
    team = tg.add_group("Team")
    for n in range(20):
        await bot.send_message(team.id, f"digest {n}")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(team.id, "one too many")
    assert 1 <= caught.value.retry_after.total_seconds() <= 60
    assert description(tg, "sendMessage").startswith("Too Many Requests: retry after ")
    assert len(tg.messages(team)) == 20
    alice = tg.add_user()
    await bot.send_message(alice.id, "private chats are not limited by default")


async def test_limits_are_parameters_per_test() -> None:
    now = [1000.0]
    limits = Limits(group_per_minute=3, chat_per_second=1.0, chat_burst=2)
    server = FakeTelegramServer(limits=limits, clock=lambda: now[0])
    async with server as tg, Bot(tg.token, base_url=tg.base_url) as bot:
        alice, team = tg.add_user(), tg.add_group()
        await bot.send_message(alice.id, "1")
        await bot.send_message(alice.id, "2")  # the burst allowance
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(alice.id, "3")
        assert caught.value.retry_after.total_seconds() == 1
        now[0] += 1.0
        await bot.send_message(alice.id, "3")
        for n in range(3):
            now[0] += 1.0
            await bot.send_message(team.id, str(n))
        now[0] += 1.0
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(team.id, "4th within a minute")
        assert caught.value.retry_after.total_seconds() == 57  # the first one leaves the window then
        now[0] += 57.0
        await bot.send_message(team.id, "fine again")


async def test_get_updates_offset_confirms_and_redelivery(tg: FakeTelegramServer, bot: Bot) -> None:
    alice = tg.add_user()
    first = await tg.inject_text(alice, "one")
    second = await tg.inject_text(alice, "two")
    assert second["update_id"] == first["update_id"] + 1
    updates = await bot.get_updates(timeout=0)
    assert [u.message.text for u in updates] == ["one", "two"]
    assert [u.message.text for u in await bot.get_updates(timeout=0)] == ["one", "two"]  # not confirmed yet
    assert await bot.get_updates(offset=second["update_id"] + 1, timeout=0) == ()
    await tg.wait_until_confirmed(second, timeout=1)
    await tg.redeliver(first)  # the same update_id once more, as after a crash before confirming
    again = await bot.get_updates(offset=second["update_id"] + 1, timeout=0)
    assert [(u.update_id, u.message.text) for u in again] == [(first["update_id"], "one")]


async def test_long_poll_returns_as_soon_as_an_update_arrives(tg: FakeTelegramServer, bot: Bot) -> None:
    alice = tg.add_user()
    poll = asyncio.create_task(bot.get_updates(timeout=20))
    await tg.wait_for_request("getUpdates")
    started = time.monotonic()
    await tg.inject_text(alice, "wake up")
    updates = await asyncio.wait_for(poll, 5)
    assert time.monotonic() - started < 1.0 and updates[0].message.text == "wake up"


async def test_a_second_poller_ends_the_first_with_conflict(tg: FakeTelegramServer, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=20))
    await tg.wait_for_request("getUpdates")
    async with Bot(tg.token, base_url=tg.base_url) as second_instance:  # a second process with the same token
        second = asyncio.create_task(second_instance.get_updates(timeout=1))
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await asyncio.wait_for(first, 5)
        assert await asyncio.wait_for(second, 5) == ()


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None and update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, f"echo: {update.effective_message.text}")


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_chat is not None
    args = " ".join(context.args or [])
    await context.bot.send_message(update.effective_chat.id, f"started {args}", reply_markup=keyboard("go"))


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.callback_query is not None
    await update.callback_query.answer(f"you pressed {update.callback_query.data}")


async def test_application_polling_end_to_end(tg: FakeTelegramServer) -> None:
    app: Application[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder().token(tg.token).base_url(tg.base_url).base_file_url(tg.base_file_url).build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(CallbackQueryHandler(pressed))
    alice, team = tg.add_user("Alice"), tg.add_group("Team")
    async with app:
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=10)
        await app.start()
        try:
            await tg.wait_for_request("getUpdates")
            started = time.monotonic()
            await tg.inject_text(alice, "hello")
            reply = await tg.wait_for_message(alice, lambda m: m.plain_text == "echo: hello", timeout=5)
            assert time.monotonic() - started < 2.0  # long polling, not a 10 s poll cycle

            await tg.inject_command(alice, "start", "deep-link")
            menu = await tg.wait_for_message(alice, lambda m: m.plain_text == "started deep-link", after=reply)
            press = await tg.inject_callback(alice, menu.message_id, "go")
            answer = await tg.wait_for_callback_answer(press["callback_query"]["id"])
            assert answer.text == "you pressed go" and not answer.show_alert

            await tg.inject_command(alice, "start", chat=team, mention=True)
            await tg.wait_for_message(team, lambda m: m.plain_text.startswith("started"))
            await tg.inject_text(alice, "in the group", chat=team)
            await tg.wait_for_message(team, lambda m: m.plain_text == "echo: in the group")
        finally:
            await app.updater.stop()
            await app.stop()
    assert tg.count("deleteWebhook") == 1  # PTB's polling bootstrap


async def test_callback_query_is_answered_once(tg: FakeTelegramServer, bot: Bot) -> None:
    alice = tg.add_user()
    menu = await bot.send_message(alice.id, "Choose", reply_markup=keyboard("a", "b"))
    with pytest.raises(LookupError):
        await tg.inject_callback(alice, menu.message_id, "c")  # the bot never showed that button
    press = await tg.inject_callback(alice, menu.message_id, button_text="B")
    (update,) = await bot.get_updates(timeout=0)
    assert update.callback_query.data == "b" and update.callback_query.message.message_id == menu.message_id
    assert await update.callback_query.answer("noted", show_alert=True)
    answer = await tg.wait_for_callback_answer(press["callback_query"]["id"], timeout=1)
    assert (answer.text, answer.show_alert) == ("noted", True)
    with pytest.raises(BadRequest, match="Query is too old"):
        await update.callback_query.answer("again")


async def test_injected_media_edits_and_files(tg: FakeTelegramServer, bot: Bot) -> None:
    alice = tg.add_user()
    said = await tg.inject_text(alice, "first try")
    await tg.inject_edit(alice, said["message"]["message_id"], "second try")
    await tg.inject_voice(alice, duration=7, content=b"OggS voice bytes")
    await tg.inject_photo(alice, caption="whiteboard")
    await tg.inject_sticker(alice, emoji="🔥")
    updates = await bot.get_updates(timeout=0)
    assert updates[1].edited_message.text == "second try"
    assert updates[2].message.voice.duration == timedelta(seconds=7)
    assert updates[3].message.caption == "whiteboard" and updates[3].message.photo
    assert updates[4].message.sticker.emoji == "🔥"
    voice_file = await bot.get_file(updates[2].message.voice.file_id)
    assert bytes(await voice_file.download_as_bytearray()) == b"OggS voice bytes"

    await bot.send_chat_action(alice.id, "typing")
    photo = await bot.send_photo(alice.id, b"\x89PNG picture", caption="<b>chart</b>", parse_mode="HTML")
    doc = await bot.send_document(alice.id, b"id,name\n1,a\n", filename="export.csv", caption="export")
    assert photo.caption == "chart" and doc.document.file_name == "export.csv"
    assert [f.content for f in tg.uploads] == [b"\x89PNG picture", b"id,name\n1,a\n"]
    assert tg.chat_actions == [(alice.id, "typing")]
    assert [m.kind for m in tg.messages(alice)] == ["photo", "document"]


async def test_commands_are_stored_per_scope_and_language(tg: FakeTelegramServer, bot: Bot) -> None:
    alice = tg.add_user()
    await bot.set_my_commands([BotCommand("start", "Start"), BotCommand("board", "Hypotheses")])
    await bot.set_my_commands([BotCommand("start", "Начать")], language_code="ru")
    await bot.set_my_commands([BotCommand("admin", "Admin")], scope=BotCommandScopeChat(alice.id))
    assert [c.command for c in await bot.get_my_commands()] == ["start", "board"]
    assert tg.commands(language_code="ru") == [{"command": "start", "description": "Начать"}]
    assert tg.commands({"type": "chat", "chat_id": alice.id})[0]["command"] == "admin"
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Bad-Name", "x")])


async def test_webhook_conflicts_with_polling_and_posts_with_secret(tg: FakeTelegramServer, bot: Bot) -> None:
    received: list[tuple[str | None, dict[str, Any]]] = []
    arrived = asyncio.Event()

    async def hook(request: web.Request) -> web.Response:
        received.append((request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json()))
        arrived.set()
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app, shutdown_timeout=1.0)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        assert await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret_token-1")
        with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
            await bot.get_updates(timeout=0)
        alice = tg.add_user()
        update = await tg.inject_text(alice, "via webhook")
        await asyncio.wait_for(arrived.wait(), 5)
        assert received == [("s3cret_token-1", update)]
        await tg.wait_until_confirmed(update, timeout=2)
        info = await bot.get_webhook_info()
        assert info.url.endswith("/hook") and info.pending_update_count == 0
        with pytest.raises(BadRequest, match="Secret token contains unallowed characters"):
            await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="no spaces")
        assert await bot.delete_webhook()
        assert await bot.get_updates(timeout=0) == ()
    finally:
        await runner.cleanup()
