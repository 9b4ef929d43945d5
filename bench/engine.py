"""Benchmark: many concurrent founders through the application service, every answer committed and every
reply marked sent (as the delivery relay does).

Prints committed answers per second and p50/p99 latency per step, on SQLite and (when reachable) PostgreSQL.
Run: `make bench` or `python bench/engine.py --founders 50 --interviews 20`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.throwaway_db import POSTGRES, drop_database, postgres_database
from bot.system import SystemClock, UuidIds
from core.app.service import InterviewService
from core.messages import Incoming, Origin
from core.scripts.catalog import builtin_scripts
from storage.database import upgrade
from storage.sql_storage import SqlStorage

# One quick interview: open it, six answers, save it from the summary.
ANSWERS = [
    "Anna",
    "Dental clinics",
    "Re-booking patients by hand every morning",
    "4",
    "2",
    "Last month we lost 12 bookings",
    "1",
]


async def founder(service: InterviewService, name: str, interviews: int, latencies: list[float]) -> int:
    """One founder logging interviews back to back; returns how many answers were committed."""
    committed = 0
    for _ in range(interviews):
        for text in ["/interview quick", *ANSWERS]:
            incoming = Incoming.typed(Origin("bench", "local", name, name), uuid.uuid4().hex, text)
            started = time.perf_counter()
            messages = await service.handle(incoming)
            latencies.append(time.perf_counter() - started)
            # What the relay does once the platform took them: mark them sent, durably, before going on.
            await service.storage.mark_sent([m.id for m in messages], service.clock.now())
        committed += len(ANSWERS) - 1  # the last line saves the summary; the others are answers
    return committed


async def run(url: str, founders: int, interviews: int, synchronous: str) -> dict[str, float]:
    upgrade(url)
    storage = SqlStorage(url, synchronous)
    service = InterviewService(storage, builtin_scripts(), SystemClock(), UuidIds())
    latencies: list[float] = []
    started = time.perf_counter()
    counts = await asyncio.gather(*(founder(service, f"f{n}", interviews, latencies) for n in range(founders)))
    elapsed = time.perf_counter() - started
    await storage.close()
    latencies.sort()
    answers = sum(counts)
    return {
        "steps": len(latencies),
        "answers": answers,
        "seconds": elapsed,
        "answers_per_s": answers / elapsed,
        "steps_per_s": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
    }


def report(name: str, result: dict[str, float]) -> None:
    print(
        f"{name:<28} {result['answers']:>7.0f} answers in {result['seconds']:6.2f}s  "
        f"{result['answers_per_s']:>7.0f} answers/s  {result['steps_per_s']:>7.0f} steps/s  "
        f"p50 {result['p50_ms']:5.2f} ms  p99 {result['p99_ms']:5.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--founders", type=int, default=50, help="concurrent conversations")
    parser.add_argument("--interviews", type=int, default=20, help="interviews per founder")
    parser.add_argument("--all-cores", action="store_true", help="do not pin the process to one core")
    parser.add_argument("--postgres", default=POSTGRES)
    args = parser.parse_args()
    if not args.all_cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    print(
        f"{args.founders} concurrent founders x {args.interviews} quick interviews, "
        f"{len(ANSWERS)} answers each; cores: {len(os.sched_getaffinity(0))}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for synchronous in ("NORMAL", "FULL"):
            url = f"sqlite:///{folder}/bench-{synchronous}.db"
            report(
                f"SQLite (synchronous={synchronous})",
                asyncio.run(run(url, args.founders, args.interviews, synchronous)),
            )
    created = postgres_database(args.postgres)
    if created:
        url, name = created
        try:
            report("PostgreSQL (psycopg async)", asyncio.run(run(url, args.founders, args.interviews, "NORMAL")))
        finally:
            drop_database(args.postgres, name)


if __name__ == "__main__":
    main()
