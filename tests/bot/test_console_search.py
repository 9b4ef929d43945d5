"""`/search` at a terminal: the reply's page buttons are shown as the commands that do the same."""

from __future__ import annotations

from bot.console import render
from core.board.search_views import search_reply
from tests.core.test_search_views import PAGE


def test_a_terminal_shows_the_page_buttons_as_what_to_type() -> None:
    shown = render(search_reply(PAGE, "Booking", ("booking",), 2, "en"), color=False)
    assert shown.endswith("  [/search page 1 booking · /search page 3 booking]")
