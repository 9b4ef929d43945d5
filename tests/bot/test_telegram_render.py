"""Rendering Replies for Telegram: escaping, 4096-character chunks, keyboards; the flood-limit buckets."""

from __future__ import annotations

import re

import pytest

from bot.telegram.render import MAX_TEXT, chunks, keyboard, render, utf16_length
from bot.telegram.sender import RateLimiter
from core.messages import Choice, Reply, Span, TextBuilder


def visible(markup: str) -> str:
    text = re.sub(r"</?(b|i|code)>", "", markup)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def test_user_text_is_escaped_and_styles_become_tags() -> None:
    reply = Reply(TextBuilder().add("Bold", "bold").add(" <script>alert('x')</script> & co", "quote").build())
    [text] = chunks(reply)
    assert text == "<b>Bold</b><i> &lt;script&gt;alert('x')&lt;/script&gt; &amp; co</i>"


def test_long_text_splits_at_lines_and_every_chunk_fits() -> None:
    lines = [f"line {n} " + "ж" * 90 for n in range(120)]
    reply = Reply((Span("\n".join(lines), "italic"),))
    parts = chunks(reply)
    assert len(parts) > 1
    assert all(utf16_length(visible(part)) <= MAX_TEXT for part in parts)
    assert all(part.count("<i>") == part.count("</i>") for part in parts)
    assert "\n".join(visible(part) for part in parts) == "\n".join(lines)


def test_one_huge_line_with_emoji_is_cut_within_utf16_limits() -> None:
    story = "😩 каждый месяц ад " * 800
    parts = chunks(Reply((Span(story),)))
    assert all(utf16_length(visible(part)) <= MAX_TEXT for part in parts)
    assert "".join(visible(part) for part in parts) == story


def test_keyboard_rows_choices_then_actions_and_only_on_the_last_chunk() -> None:
    reply = Reply(
        (Span("x" * 5000),),
        choices=((Choice("Yes", "3|y"), Choice("No", "3|n")),),
        actions=(Choice("◀ Back", "3|b"), Choice("Skip", "3|s"), Choice("Pause", "3|p"), Choice("Keep", "3|k")),
    )
    messages = render(reply)
    assert [m.keyboard is None for m in messages] == [True, False]
    markup = keyboard(reply)
    assert markup is not None
    rows = [[button.callback_data for button in row] for row in markup.inline_keyboard]
    assert rows == [["3|y", "3|n"], ["3|b", "3|s", "3|p"], ["3|k"]]


def test_over_long_callback_data_is_refused() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        keyboard(Reply((Span("x"),), choices=((Choice("x", "1|" + "é" * 40),),)))


def test_private_chat_allows_a_small_burst_then_one_per_second() -> None:
    now = [0.0]
    limiter = RateLimiter(private_per_second=1.0, private_burst=3, clock=lambda: now[0])
    assert [limiter.delay(7) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.delay(7) == pytest.approx(1.0)
    now[0] += 10
    assert limiter.delay(7) == 0.0


def test_group_allows_twenty_a_minute() -> None:
    now = [0.0]
    limiter = RateLimiter(group_per_minute=20, clock=lambda: now[0])
    assert all(limiter.delay(-100) == 0.0 for _ in range(20))
    assert limiter.delay(-100) == pytest.approx(60.0)  # not 3 s: the minute's twenty are spent
    assert limiter.delay(42) == 0.0  # other chats are not slowed down


def test_a_burst_into_a_group_never_puts_more_than_twenty_in_any_rolling_minute() -> None:
    now = [0.0]
    limiter = RateLimiter(group_per_minute=20, clock=lambda: now[0])
    times = []
    for step in range(70):  # a burst of commands answered at once, then a trickle
        now[0] = step * 0.5 if step < 45 else 22.5 + step
        times.append(now[0] + limiter.delay(-100))
    times.sort()
    for start in times:
        assert sum(1 for at in times if start <= at < start + 60) <= 20
    assert times[-1] < 4 * 60  # and nothing waits longer than the limit makes necessary
