"""Benchmark: what a probe and a scrape cost — /healthz, /readyz and /metrics on the ASGI app of a real App.

Kubernetes probes every few seconds and Prometheus scrapes every 15-60 s; these numbers say what that costs the
process. /readyz runs `SELECT 1` on every call (the migrations head is re-read at most every 5 s, so most
calls skip it); /metrics reads the outbox backlog with one grouped query. Requests go in-process through
httpx's ASGI transport, so the numbers are the app's own work, not a network's.
Run: `python bench/probes.py --requests 500` (PostgreSQL too when CUSDEV_TEST_POSTGRES_URL is reachable).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.throwaway_db import POSTGRES, drop_database, postgres_database
from bot.bootstrap import build
from bot.settings import Settings
from bot.web import create_app


async def measure(url: str, requests: int) -> dict[str, tuple[float, float]]:
    """Per endpoint: wall-clock and CPU milliseconds per request."""
    app = build(Settings(database_url=url, _env_file=None))  # type: ignore[call-arg]
    results: dict[str, tuple[float, float]] = {}
    try:
        transport = httpx.ASGITransport(app=create_app((), app))
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            for path in ("/healthz", "/readyz", "/metrics"):
                assert (await http.get(path)).status_code == 200  # warm: engines, the first head check
                wall, cpu = time.perf_counter(), time.process_time()
                for _ in range(requests):
                    await http.get(path)
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                results[path] = (wall / requests * 1000, cpu / requests * 1000)
    finally:
        await app.storage.close()
    return results


def report(name: str, results: dict[str, tuple[float, float]]) -> None:
    """Print one line per endpoint: milliseconds of wall clock and of CPU per request."""
    for path, (wall, cpu) in results.items():
        print(f"{name:<10} {path:<9} {wall:7.2f} ms/request  {cpu:7.2f} ms CPU/request")


async def main() -> None:
    """Measure the probes on SQLite, then on PostgreSQL when it is reachable, and print the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        report("sqlite", await measure(f"sqlite:///{folder}/bench.db", args.requests))
    created = postgres_database(POSTGRES)
    if created is not None:
        url, name = created
        try:
            report("postgresql", await measure(url, args.requests))
        finally:
            drop_database(POSTGRES, name)


if __name__ == "__main__":
    asyncio.run(main())
