"""What senders keep per chat stays bounded: idle buckets and the oldest last-with-buttons are forgotten."""

from __future__ import annotations

import pytest

import bot.delivery.per_chat as per_chat
from bot.delivery.per_chat import LastWithButtons, TokenBuckets


def test_a_bucket_allows_its_burst_then_spaces_sends_by_the_rate() -> None:
    buckets = TokenBuckets[str](rate=2.0, burst=2)
    assert [buckets.reserve("C1", 0.0) for _ in range(4)] == [0.0, 0.0, 0.5, 1.0]
    assert buckets.reserve("C2", 0.0) == 0.0, "each chat has its own bucket"
    assert buckets.reserve("C1", 10.0) == 0.0, "refilled after a quiet spell"


def test_idle_buckets_are_forgotten_past_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(per_chat, "MAX_CHATS", 3)
    buckets = TokenBuckets[int](rate=1.0, burst=1)
    for chat in range(4):
        buckets.reserve(chat, 0.0)
    buckets.reserve(99, 500.0)
    assert set(buckets.buckets) == {99}


def test_the_chats_used_longest_ago_lose_their_last_buttons_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(per_chat, "MAX_CHATS", 2)
    shown = LastWithButtons[str, int]()
    shown.remember("a", 1)
    shown.remember("b", 2)
    shown.remember("a", 3)  # a is now the most recent
    shown.remember("c", 4)
    assert shown.peek("b") is None and shown.peek("a") == 3
    assert shown.take("c") == 4 and shown.take("c") is None
