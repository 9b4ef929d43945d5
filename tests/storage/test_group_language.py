"""A founder's chosen language (/lang) also holds for what the bot answers them in a group."""

from __future__ import annotations

import re

from core.app import commands
from core.app.ports import Storage
from core.command_registry import GROUP_MENU
from core.i18n import gettext_for
from storage.sql_storage import SqlStorage
from tests.fakes import event, mark_delivered
from tests.fakes.storage import InMemoryStorage
from tests.service_scenarios import service_over

ru = gettext_for("ru")


async def group_replies(storage: Storage) -> list[str]:
    """Alice (an English phone) picks Russian in private, then asks in her team's group."""
    service = service_over(storage)
    private = ("telegram", "bot", "alice", "alice")
    for n, text in enumerate(("/start", "/lang ru")):
        await mark_delivered(storage, await service.handle(event(*private, f"p{n}", text=text, locale="en")))
    texts = []
    for n, text in enumerate(("/interview", "/hypotheses")):
        group = event("telegram", "bot", "-100", "alice", f"g{n}", text=text, locale="en", is_group=True)
        texts += [message.reply.plain_text for message in await service.handle(group)]
    return texts


IN_A_GROUP = (
    "In a group I answer /status, /hypotheses, /search, /digest for the team; interviews run in a private chat "
    "with me, so answers never show up here."
)
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


async def test_group_replies_follow_the_chosen_language(storage: SqlStorage) -> None:
    private_chat, board = await group_replies(storage)
    assert private_chat == ru(commands.IN_A_GROUP).format(commands=GROUP_MENU)
    assert commands.IN_A_GROUP.format(commands=GROUP_MENU) == IN_A_GROUP  # what an English phone reads
    assert private_chat != IN_A_GROUP and all(name in private_chat for name in ("/status", "/search", "/digest"))
    assert CYRILLIC.search(board), board


async def test_the_fake_agrees() -> None:
    private_chat, board = await group_replies(InMemoryStorage())
    assert private_chat == ru(commands.IN_A_GROUP).format(commands=GROUP_MENU)
    assert CYRILLIC.search(board)
