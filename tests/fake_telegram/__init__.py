"""A local fake of the Telegram Bot API for tests, speaking the real HTTP protocol.

python-telegram-bot (or any client) talks to it unchanged::

    async with FakeTelegramServer() as tg:
        app = (ApplicationBuilder().token(tg.token).base_url(tg.base_url)
               .base_file_url(tg.base_file_url).build())
        alice = tg.add_user("Alice")
        await tg.inject_text(alice, "/start")
        reply = await tg.wait_for_message(alice, lambda m: "Welcome" in m.plain_text)

Modules: ``server`` (HTTP, lifecycle), ``inject`` (fake users' actions), ``world`` (state, read
and wait API), ``methods``/``params`` (the Bot API methods), ``updates`` (getUpdates long polling,
webhook delivery), ``rules`` (limits, error texts, flood control), ``tg_html`` (HTML parse mode),
``model`` (data classes).
"""

from tests.fake_telegram.model import CallbackAnswer, FakeChat, FakeUser, ReceivedFile, RecordedRequest, SentMessage
from tests.fake_telegram.rules import ApiError, Limits
from tests.fake_telegram.server import DEFAULT_TOKEN, FakeTelegramServer
from tests.fake_telegram.tg_html import parse_html
from tests.fake_telegram.updates import Webhook, WebhookDelivery

__all__ = [
    "DEFAULT_TOKEN",
    "ApiError",
    "CallbackAnswer",
    "FakeChat",
    "FakeTelegramServer",
    "FakeUser",
    "Limits",
    "ReceivedFile",
    "RecordedRequest",
    "SentMessage",
    "Webhook",
    "WebhookDelivery",
    "parse_html",
]
