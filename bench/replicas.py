"""Benchmark: 1, 2 and 4 `cusdev run` replicas on one PostgreSQL, Telegram in webhook mode, N founders at once.

Each replica is a subprocess on its own port; the fake Bot API runs in this process, and the driver posts every
founder's updates to /telegram/webhook round-robin over the replicas (a founder's consecutive updates land on
different replicas), each founder in a closed loop: post, wait for the 200, wait for the bot's reply, next.
Prints, per replica count: updates/s, p50/p99 time to the 200, p50 time to the reply, and CPU per update of the
replicas together and of this process (driver + fake Telegram). Each run gets a fresh database, dropped after.
Run: `python bench/replicas.py --founders 50 --rounds 2` (PostgreSQL at CUSDEV_TEST_POSTGRES_URL).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import cpu_seconds, free_port, harness_cpu_seconds, machine_busy_seconds, percentile  # noqa: E402
from bench.telegram_e2e import INTERVIEW  # noqa: E402
from bench.throwaway_db import POSTGRES, drop_database, postgres_database  # noqa: E402
from storage.database import upgrade  # noqa: E402
from tests.e2e.processes import SECRET, Running, bot_env, start  # noqa: E402
from tests.fake_telegram import FakeTelegramServer, FakeUser, Limits  # noqa: E402

HEADERS = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}


@dataclass
class Result:
    """One run's measurements: updates, timings, CPU seconds by whom, and replies a founder got twice."""

    replicas: int
    updates: int
    seconds: float
    to_200: list[float]
    to_reply: list[float]
    app_cpu: float = 0.0
    harness_cpu: float = 0.0
    database_cpu: float = 0.0
    machine_cpu: float = 0.0
    repeated: int = 0
    """Messages the founders got more than once (must stay 0: every reply is sent once)."""

    def row(self) -> str:
        n = self.updates
        return (
            f"{self.replicas:>8} {n / self.seconds:>10.1f} {statistics.median(self.to_200) * 1000:>9.1f} "
            f"{percentile(self.to_200, 0.99):>9.1f} {statistics.median(self.to_reply) * 1000:>11.1f} "
            f"{self.app_cpu / n * 1000:>9.2f} {self.database_cpu / n * 1000:>9.2f} "
            f"{self.harness_cpu / n * 1000:>9.2f} {self.busy:>9.2f} {self.others:>9.2f} {self.repeated:>8}"
        )

    @property
    def others(self) -> float:
        """CPUs busy with anything but this benchmark's processes (other work on the machine; PostgreSQL's own
        background processes)."""
        return self.busy - (self.app_cpu + self.harness_cpu + self.database_cpu) / self.seconds

    @property
    def busy(self) -> float:
        """CPUs the whole machine kept busy during the run (other load on it included)."""
        return self.machine_cpu / self.seconds


HEADER = (
    f"{'replicas':>8} {'updates/s':>10} {'200 p50':>9} {'200 p99':>9} {'reply p50':>11} {'CPU/upd:':>9} "
    f"{'':>9} {'':>9} {'machine':>9} {'of which':>9} {'replies':>8}"
)
UNITS = (
    f"{'':>8} {'':>10} {'ms':>9} {'ms':>9} {'ms':>11} {'replicas':>9} {'database':>9} {'driver':>9} {'busy CPUs':>9}"
    f" {'others':>9} {'repeated':>8}"
)


def backend_cpu(admin_url: str, database: str) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend serving the database (this machine's server)."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as admin:
        rows = admin.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", (database,)).fetchall()
    found = {}
    for (pid,) in rows:
        with contextlib.suppress(OSError):  # the server runs elsewhere, or the backend ended
            found[int(pid)] = cpu_seconds(int(pid))
    return found


async def founder(
    tg: FakeTelegramServer,
    http: aiohttp.ClientSession,
    user: FakeUser,
    urls: list[str],
    first: int,
    rounds: int,
    result: Result,
    sticky: bool = False,
) -> None:
    """Type the quick interview `rounds` times; update k goes to replica (first + k) mod N (always to `first` mod N
    when sticky, as behind a load balancer with session affinity)."""
    k = first
    for _ in range(rounds):
        for line in INTERVIEW:
            update = await tg.inject_text(user, line)
            tg.updates.pending.remove(update)  # the driver posts it, round-robin, as a load balancer would
            seen = len(tg.messages(user))
            started = time.perf_counter()
            async with http.post(urls[k % len(urls)], data=json.dumps(update), headers=HEADERS) as response:
                await response.read()
                assert response.status == 200, response.status
            result.to_200.append(time.perf_counter() - started)
            await tg.wait_until(lambda n=seen: len(tg.messages(user)) > n or None, timeout=60, what="the reply")
            result.to_reply.append(time.perf_counter() - started)
            result.updates += 1
            k += 0 if sticky else 1


async def measure(url: str, admin_url: str, replicas: int, founders: int, rounds: int, sticky: bool) -> Result:
    """Start N replicas, drive every founder through them at once, and return what it took."""
    result = Result(replicas, 0, 0.0, [], [])
    database = url.rpartition("/")[2]
    async with FakeTelegramServer(limits=Limits(chat_per_second=None)) as tg:
        with tempfile.TemporaryDirectory() as folder:
            running: list[Running] = []
            try:
                for n in range(replicas):
                    env = bot_env(url, free_port(), tg, LOG_LEVEL="WARNING", TELEGRAM_CHAT_RATE="1000")
                    running.append(await start(f"replica-{n}", env, Path(folder)))
                urls = [replica.url + "/telegram/webhook" for replica in running]
                users = [tg.add_user(f"Founder{n}") for n in range(founders)]
                connector = aiohttp.TCPConnector(limit=founders + 5)
                async with aiohttp.ClientSession(connector=connector) as http:
                    warm = Result(replicas, 0, 0.0, [], [])
                    await founder(tg, http, tg.add_user("Warm"), urls, 0, 1, warm)  # every replica's first update
                    app_cpu = sum(cpu_seconds(r.process.pid) for r in running)
                    harness_cpu, machine_cpu = harness_cpu_seconds(), machine_busy_seconds()
                    backends = backend_cpu(admin_url, database)
                    started = time.perf_counter()
                    await asyncio.gather(
                        *(founder(tg, http, user, urls, n, rounds, result, sticky) for n, user in enumerate(users))
                    )
                    result.seconds = time.perf_counter() - started
                    result.app_cpu = sum(cpu_seconds(r.process.pid) for r in running) - app_cpu
                    result.harness_cpu = harness_cpu_seconds() - harness_cpu
                    result.machine_cpu = machine_busy_seconds() - machine_cpu
                    after = backend_cpu(admin_url, database)
                    result.database_cpu = sum(cpu - backends.get(pid, 0.0) for pid, cpu in after.items())
                    await asyncio.sleep(1.0)  # two relay polls: a message sent twice would have arrived by now
                    result.repeated = sum(len(tg.messages(user)) - rounds * len(INTERVIEW) for user in users)
            finally:
                for replica in running:
                    replica.process.terminate()
                for replica in running:
                    replica.process.wait(timeout=30)
    return result


def main() -> None:
    """Measure each replica count on a fresh PostgreSQL database and print the scaling table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--founders", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2, help="quick interviews per founder")
    parser.add_argument("--replicas", default="1,2,4", help="replica counts to measure, comma-separated")
    parser.add_argument("--postgres", default=POSTGRES)
    parser.add_argument("--sticky", action="store_true", help="each founder always on one replica (no alternating)")
    args = parser.parse_args()
    print(
        f"{args.founders} founders in a closed loop, {args.rounds} x {len(INTERVIEW)} updates each, "
        f"Telegram webhook mode on PostgreSQL; {os.cpu_count()} CPUs; "
        f"{'each founder on one replica' if args.sticky else 'each founder alternating over the replicas'}"
    )
    print(HEADER)
    print(UNITS)
    results: list[Result] = []
    for replicas in [int(n) for n in args.replicas.split(",")]:
        created = postgres_database(args.postgres)
        if created is None:
            return
        url, name = created
        try:
            upgrade(url)
            results.append(asyncio.run(measure(url, args.postgres, replicas, args.founders, args.rounds, args.sticky)))
            print(results[-1].row(), flush=True)
        finally:
            drop_database(args.postgres, name)
    if results:
        print(limit_of(results, os.cpu_count() or 1))


def limit_of(results: list[Result], cpus: int) -> str:
    """What the measurements say limits scaling: the CPUs when they were (nearly) all busy, else something else."""
    best = max(results, key=lambda r: r.updates / r.seconds)
    busiest = max(results, key=lambda r: r.busy)
    rate = f"{best.updates / best.seconds:.0f} updates/s with {best.replicas} replica(s)"
    if busiest.busy >= 0.85 * cpus:
        per_update = ", ".join(f"{r.replicas}: {1000 * r.app_cpu / r.updates:.1f} ms" for r in results)
        return (
            f"What limits scaling here: CPU. With {busiest.replicas} replica(s) {busiest.busy:.2f} of {cpus} CPUs "
            f"were busy (best: {rate}), shared by the replicas, PostgreSQL, the fake Bot API and this driver, so "
            "another replica competes for the same cores rather than adding any, and each costs more CPU per update "
            f"(replica CPU per update by replica count: {per_update}). Replicas on machines of their own bring their "
            "own cores; PostgreSQL is then the shared limit."
        )
    return (
        f"What limits scaling here: not the CPUs (at most {busiest.busy:.2f} of {cpus} busy; best: {rate}): look at "
        "PostgreSQL (its CPU column and locks) and at the driver's round trips."
    )


if __name__ == "__main__":
    main()
