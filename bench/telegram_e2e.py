"""Benchmark: N founders answering in a closed loop through the fake Bot API server.

The cusdev bot runs in polling mode on SQLite (every answer committed) in its own process; the same harness
then drives a plain python-telegram-bot echo bot. Prints both throughputs, the ratio, and reply latencies.
Per-chat pacing is lifted for both bots (TELEGRAM_CHAT_RATE, and no per-chat limit in the fake), since
founders here answer far faster than people do; the fake still enforces everything else.
Run: `python bench/telegram_e2e.py --founders 20 --rounds 5`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import free_port  # noqa: E402
from tests.fake_telegram import FakeTelegramServer, FakeUser, Limits  # noqa: E402

# One quick interview, typed: open, five answers, skip the quote, save from the summary.
INTERVIEW = ["/quick", "Anna", "Dental clinics", "Re-booking patients by hand", "4", "2", "/skip", "1"]
PROFILE = os.environ.get("BENCH_PROFILE", "").split()
ECHO = ["hello", "Anna", "Dental clinics", "Re-booking patients by hand", "4", "2", "skip", "1"]


async def founder(tg: FakeTelegramServer, user: FakeUser, lines: list[str], rounds: int, latencies: list[float]) -> int:
    """Send each line and wait for the bot's answer before the next (a closed loop)."""
    sent = 0
    last = tg.last_message(user)
    for _ in range(rounds):
        for line in lines:
            started = time.perf_counter()
            await tg.inject_text(user, line)
            last = await tg.wait_for_message(user, after=last, timeout=30)
            latencies.append(time.perf_counter() - started)
            sent += 1
    return sent


def start(command: list[str], tg: FakeTelegramServer, database: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "TELEGRAM_BOT_TOKEN": tg.token,
        "TELEGRAM_API_BASE_URL": tg.base_url,
        "TELEGRAM_CHAT_RATE": "1000",
        "PTB_TIMEDELTA": "1",
        "PORT": str(free_port()),  # `cusdev run` serves /healthz, /readyz and /metrics even when it polls
    }
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def measure(name: str, command: list[str], lines: list[str], founders: int, rounds: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        async with FakeTelegramServer(limits=Limits(chat_per_second=None)) as tg:
            bot = start(command, tg, Path(folder) / "bench.db")
            try:
                users = [tg.add_user(f"Founder{n}") for n in range(founders)]
                await tg.wait_for_request("getUpdates", timeout=30)
                await founder(tg, users[0], lines[:1], 1, [])  # warm-up: first update, first send
                latencies: list[float] = []
                started = time.perf_counter()
                counts = await asyncio.gather(*(founder(tg, user, lines, rounds, latencies) for user in users))
                elapsed = time.perf_counter() - started
                polls = tg.count("getUpdates")
            finally:
                bot.terminate()
                bot.wait(timeout=30)
    latencies.sort()
    result = {
        "messages": sum(counts),
        "seconds": elapsed,
        "per_second": sum(counts) / elapsed,
        "polls": polls,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
    }
    print(
        f"{name:<10} {result['messages']:>6.0f} messages in {result['seconds']:6.2f}s  "
        f"{result['per_second']:7.1f} msg/s  {result['polls']:5.0f} polls  "
        f"p50 {result['p50_ms']:6.1f} ms  p99 {result['p99_ms']:6.1f} ms"
    )
    return result


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--founders", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5, help="quick interviews per founder")
    args = parser.parse_args()
    print(f"{args.founders} founders in a closed loop, {args.rounds} x {len(INTERVIEW)} messages each")
    cusdev = await measure(
        "cusdev", [sys.executable, *PROFILE, "-m", "bot.cli", "run"], INTERVIEW, args.founders, args.rounds
    )
    echo = await measure(
        "echo bot", [sys.executable, str(ROOT / "bench" / "echo_bot.py")], ECHO, args.founders, args.rounds
    )
    print(
        f"ratio cusdev/echo: {cusdev['per_second'] / echo['per_second']:.2f} (target >= 0.8); "
        f"cusdev p99 {cusdev['p99_ms']:.1f} ms (target < 100 ms)"
    )


if __name__ == "__main__":
    asyncio.run(main())
