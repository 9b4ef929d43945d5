"""What a sender keeps per chat in memory, bounded: a send-rate token bucket and the last message with buttons."""

from __future__ import annotations

from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")
MAX_CHATS = 10_000
IDLE_SECONDS = 120.0


class TokenBuckets(Generic[K]):
    """Per chat: about `rate` sends a second with a burst of `burst`; chats idle for two minutes are forgotten once
    more than MAX_CHATS are kept."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, burst
        self.buckets: dict[K, tuple[float, float]] = {}

    def reserve(self, chat: K, now: float) -> float:
        """Reserve one send for the chat; how long to wait before making it (0 when it may go now)."""
        if len(self.buckets) > MAX_CHATS:
            self.buckets = {key: (t, at) for key, (t, at) in self.buckets.items() if now - at < IDLE_SECONDS}
        tokens, last = self.buckets.get(chat, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate) - 1
        self.buckets[chat] = (tokens, now)
        return 0.0 if tokens >= 0 else -tokens / self.rate


class LastWithButtons(Generic[K, V]):
    """The last message sent with buttons, per chat, so the sender can close them when the founder types past it.

    Best effort: it lives in memory, so after a restart, or when another replica sent it, the old buttons stay
    (pressing them is refused as stale anyway). The chats used longest ago are forgotten past MAX_CHATS."""

    def __init__(self) -> None:
        self.shown: dict[K, V] = {}

    def remember(self, chat: K, message: V) -> None:
        """This message, with buttons, is now the chat's last."""
        self.shown.pop(chat, None)  # re-inserted last: the oldest entries are forgotten first
        self.shown[chat] = message
        while len(self.shown) > MAX_CHATS:
            del self.shown[next(iter(self.shown))]

    def take(self, chat: K) -> V | None:
        """The chat's last message with buttons, forgotten as it is handed over (its buttons are being closed)."""
        return self.shown.pop(chat, None)

    def peek(self, chat: K) -> V | None:
        """The chat's last message with buttons, kept."""
        return self.shown.get(chat)
