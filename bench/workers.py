"""Several webhook workers on one PostgreSQL: one `villagebot run --webhook` worker, and two
behind a round-robin balancer (tests/e2e/balancer.py, standing in for nginx), in the same run,
each on its own emulator and a fresh database seeded the same way, with the same traffic. Both
are set up side by side and their bursts alternate, so that a drift in the shared machine's
speed weighs on both alike.

The emulator delivers updates as Telegram does (each chat's one at a time, up to 40 requests
open at once) through the balancer, also for the one worker, so both measure the same path.
Saturation: bursts of mixed updates as in bench/throughput.py; updates per second is how many
were answered (a poll answer: confirmed 2xx, i.e. committed) per second; burst latency is from
injecting each update to its answer, mostly time in the queue. Then latency at a fixed rate.
Afterwards every update must be applied once and every answer sent once (bench/checks.py).

The processor time each side used during the bursts is measured too: the emulator, the balancer
and the traffic share one Python process here, the workers are one each, and PostgreSQL is its
server with its backends. On a machine with few cores they all take turns on them, so a second
worker can only help as far as the first left cores idle.

Needs a PostgreSQL server: VILLAGEBOT_TEST_POSTGRES_URL (`source .ci/postgres.sh &&
postgres_start` sets it); skipped without it.
"""

from __future__ import annotations

import asyncio
import os
import random
import resource
import signal
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]

from bench.checks import Stored, answered, applied
from bench.processes import Delivered, Running, family_cpu_seconds, parent_of, spawn
from bench.throughput import median_round, saturate, steady
from bench.traffic import Inject, Sent, Traffic, recording
from bench.world import RegionSpec, seed
from bot.testing import BotApiEmulator, serve
from tests import postgres
from tests.e2e.balancer import Balancer, balancing
from tests.e2e.test_webhook import SECRET
from tests.wire.test_webhook import free_ports

SPEC = RegionSpec(
    communities=40, members_per_community=30, ideas_per_community=10, supports_per_idea=2
)
QUICK_SPEC = RegionSpec(
    communities=10, members_per_community=20, ideas_per_community=10, supports_per_idea=2
)
BURST, QUICK_BURST = 1200, 300
ROUNDS, QUICK_ROUNDS = 3, 2
RATE = 50.0
STEADY_SECONDS, QUICK_STEADY_SECONDS = 10.0, 3.0
STATISTICS_SECONDS = 1.5  # for PostgreSQL's statistics to include the last transactions


async def _postmaster(server: str) -> int | None:
    """The PostgreSQL server's process id (the parent of a backend), when it is on this machine."""
    connection = await asyncpg.connect(postgres.dsn(server))
    try:
        return parent_of(int(await connection.fetchval("SELECT pg_backend_pid()")))
    except OSError:
        return None  # on another machine
    finally:
        await connection.close()


def machine_busy_seconds() -> float:
    """Processor time the whole machine spent busy so far, all cores (from /proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and waiting for I/O
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


@dataclass
class Setup:
    """`count` workers on their own emulator and fresh database, behind their balancer."""

    count: int
    tg: BotApiEmulator
    delivered: Delivered
    workers: list[Running]
    balancer: Balancer
    database_url: str
    traffic: Traffic
    warm: int
    sent: list[Sent] = field(default_factory=list)
    bursts: list[dict[str, Any]] = field(default_factory=list)
    cpu: Counter[str] = field(default_factory=Counter)
    wall: float = 0.0
    transactions: int | None = None  # the database's count when the first burst began

    def inject(self) -> Inject:
        return recording(self.traffic.one, self.sent)

    def used(self, postmaster: int | None) -> dict[str, float]:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return {
            "machine": machine_busy_seconds(),
            "driver": usage.ru_utime + usage.ru_stime,
            "workers": sum(w.cpu_seconds() for w in self.workers),
            "postgresql": family_cpu_seconds(postmaster) if postmaster else float("nan"),
        }

    async def burst(self, size: int, postmaster: int | None) -> None:
        """One saturating burst; the processor time each side used during it is added up."""
        if self.transactions is None:
            self.transactions = await _transactions(self.database_url)
        loop = asyncio.get_running_loop()
        started, before = loop.time(), self.used(postmaster)
        self.bursts.append(await saturate(self.tg, self.delivered, self.inject(), size))
        after = self.used(postmaster)
        self.wall += loop.time() - started
        self.cpu.update({k: after[k] - before[k] for k in after})
        await self.tg.settle(quiet=0.5, timeout=120)


@asynccontextmanager
async def setup(count: int, server: str, workdir: Path, spec: RegionSpec) -> AsyncIterator[Setup]:
    tg = BotApiEmulator()
    delivered = Delivered()
    delivered.attach(tg)
    ports = free_ports(count)
    upstreams = [f"http://127.0.0.1:{port}/villagebot" for port in ports]
    async with (
        serve(tg) as api_url,
        postgres.fresh_database(server) as database_url,
        balancing(upstreams) as (balancer, url),
        AsyncExitStack() as stack,
    ):
        region = await seed(tg, database_url, spec)
        workers = []
        for n, port in enumerate(ports):
            args = ("run", "--webhook", url, "--listen", "127.0.0.1", "--port", str(port))
            worker = spawn(
                tg,
                api_url,
                workdir,
                database_url=database_url,
                extra={"TELEGRAM_WEBHOOK_SECRET": SECRET},
                args=args,
                name=f"worker-{count}-{n + 1}",
                polls=delivered,
            )
            workers.append(await stack.enter_async_context(worker))
        ready = await tg.wait_until(
            lambda: (
                True
                if sum(1 for c in tg.calls if c.ok and c.method == "setWebhook") >= count
                else None
            ),
            120,
        )
        if not ready:
            raise RuntimeError(f"the workers did not start:\n{workers[0].output()[-3000:]}")
        traffic = Traffic(tg, region, random.Random(23))
        await traffic.warm_up()
        yield Setup(count, tg, delivered, workers, balancer, database_url, traffic, tg.mark())


async def _transactions(database_url: str) -> int:
    """Transactions committed or rolled back in the database so far (PostgreSQL's statistics,
    which a backend reports within a second or so)."""
    connection = await asyncpg.connect(postgres.dsn(database_url))
    try:
        return int(
            await connection.fetchval(
                "SELECT xact_commit + xact_rollback FROM pg_stat_database"
                " WHERE datname = current_database()"
            )
        )
    finally:
        await connection.close()


async def _finish(s: Setup, seconds: float) -> dict[str, Any]:
    """Latency at a fixed rate, a clean stop, and the checks."""
    await asyncio.sleep(STATISTICS_SECONDS)
    transactions = await _transactions(s.database_url) - (s.transactions or 0)
    burst_updates = sum(b["updates"] for b in s.bursts)
    latency = await steady(s.tg, s.delivered, s.inject(), RATE, seconds)
    await s.tg.settle(quiet=1.0, timeout=120)
    peak = [round(w.memory_mb(), 1) for w in s.workers]
    codes = [await w.stop(sig=signal.SIGTERM) for w in s.workers]
    failed = [w.output()[-3000:] for w, code in zip(s.workers, codes, strict=True) if code]
    if failed:
        raise RuntimeError(f"a worker exited with {codes}:\n{failed[0]}")
    stored = await Stored.read(s.database_url)
    cores = os.cpu_count() or 1
    share = {k: round(v / (s.wall * cores), 2) for k, v in s.cpu.items()}
    share["others"] = round(
        max(0.0, share["machine"] - share["driver"] - share["workers"] - share["postgresql"]), 2
    )
    return {
        "workers": s.count,
        "saturation": median_round(s.bursts),
        "latency": latency,
        "applied": applied(s.tg, s.sent, stored),
        "answered": answered(s.tg, s.sent, s.warm),
        "served_by_worker": [s.balancer.served[n] for n in range(s.count)],
        "tracebacks": sum(w.output().count("Traceback") for w in s.workers),
        "peak_memory_mb": peak,
        "bursts_seconds": round(s.wall, 1),
        # Processor seconds used during the bursts, and their share of the machine's cores;
        # "others" is what processes outside this benchmark took.
        "cpu_seconds": {k: round(v, 1) for k, v in s.cpu.items()},
        "cpu_share_of_machine": share,
        "cpu_ms_per_update": {
            k: round(s.cpu[k] * 1000 / burst_updates, 2)
            for k in ("driver", "workers", "postgresql")
        },
        # Every transaction of the bursts (and of the pauses between them): the updates', the
        # outbox senders' claims and settlements, the scheduler's.
        "database_transactions_per_update": round(transactions / burst_updates, 1),
    }


def _exact(phase: dict[str, Any]) -> bool:
    a, b = phase["applied"], phase["answered"]
    return bool(
        a["applied"] == a["updates"]
        and a["stored_twice"] == a["texts_twice"] == a["supports_wrong"] == 0
        and a["support_counts_wrong"] == 0
        and b["once"] == b["expecting_an_answer"]
        and phase["tracebacks"] == 0
    )


def _rows(one: dict[str, Any], two: dict[str, Any], ratio: float) -> list[dict[str, Any]]:
    def pair(key: str, *path: str) -> str:
        values = []
        for phase in (one, two):
            value: Any = phase
            for step in (key, *path):
                value = value[step]
            values.append(str(value))
        return " / ".join(values)

    def share(phase: dict[str, Any]) -> str:
        s = phase["cpu_share_of_machine"]
        return " / ".join(f"{s[k]:.0%}" for k in ("driver", "workers", "postgresql", "others"))

    return [
        {
            "name": "workers: updates/s at saturation, 1 / 2 webhook workers (PostgreSQL)",
            "value": pair("saturation", "updates_per_second"),
        },
        {"name": "workers: throughput ratio 2 workers / 1", "value": ratio},
        {
            "name": "workers: burst latency p50 / p99 (ms), 1 worker",
            "value": f"{one['saturation']['burst_p50_ms']} / {one['saturation']['burst_p99_ms']}",
        },
        {
            "name": "workers: burst latency p50 / p99 (ms), 2 workers",
            "value": f"{two['saturation']['burst_p50_ms']} / {two['saturation']['burst_p99_ms']}",
        },
        {
            "name": f"workers: latency p50 / p99 at {RATE:.0f} updates/s (ms), 1 worker",
            "value": f"{one['latency']['p50_ms']} / {one['latency']['p99_ms']}",
        },
        {
            "name": f"workers: latency p50 / p99 at {RATE:.0f} updates/s (ms), 2 workers",
            "value": f"{two['latency']['p50_ms']} / {two['latency']['p99_ms']}",
        },
        {
            "name": "workers: every update applied once, every answer sent once (1; 2)",
            "value": (
                f"{one['applied']['applied']}/{one['applied']['updates']}, "
                f"{one['answered']['once']}/{one['answered']['expecting_an_answer']}; "
                f"{two['applied']['applied']}/{two['applied']['updates']}, "
                f"{two['answered']['once']}/{two['answered']['expecting_an_answer']}"
            ),
            "target": "all",
            "met": _exact(one) and _exact(two),
        },
        {
            "name": "workers: CPU ms per update in bursts, workers / PostgreSQL (1; 2)",
            "value": "; ".join(
                f"{p['cpu_ms_per_update']['workers']} / {p['cpu_ms_per_update']['postgresql']}"
                for p in (one, two)
            ),
        },
        {
            "name": "workers: PostgreSQL transactions per update in bursts (1; 2)",
            "value": f"{one['database_transactions_per_update']}; "
            f"{two['database_transactions_per_update']}",
        },
        {
            "name": "workers: updates each worker took (2 workers)",
            "value": " / ".join(map(str, two["served_by_worker"])),
        },
        {
            "name": "workers: CPU in bursts, driver/workers/PostgreSQL/others, 1 worker",
            "value": share(one),
        },
        {
            "name": "workers: CPU in bursts, driver/workers/PostgreSQL/others, 2 workers",
            "value": share(two),
        },
    ]


async def run(workdir: Path, *, quick: bool = False) -> dict[str, Any]:
    server = postgres.server_url()
    if server is None:
        reason = (
            f"skipped: {postgres.ENV} is not set (source .ci/postgres.sh && postgres_start sets it)"
        )
        print(f"   workers {reason}", flush=True)
        return {"skipped": reason, "rows": [{"name": "workers", "value": reason}]}
    postmaster = await _postmaster(server)
    spec = QUICK_SPEC if quick else SPEC
    size = QUICK_BURST if quick else BURST
    load = os.getloadavg()
    async with (
        setup(1, server, workdir, spec) as one_worker,
        setup(2, server, workdir, spec) as two_workers,
    ):
        # The rounds alternate between the two, so that a drift in the shared machine's speed
        # weighs on both alike.
        for _ in range(QUICK_ROUNDS if quick else ROUNDS):
            for s in (one_worker, two_workers):
                await s.burst(size, postmaster)
        seconds = QUICK_STEADY_SECONDS if quick else STEADY_SECONDS
        one = await _finish(one_worker, seconds)
        two = await _finish(two_workers, seconds)
    ratio = round(
        two["saturation"]["updates_per_second"] / one["saturation"]["updates_per_second"], 2
    )
    return {
        "one_worker": one,
        "two_workers": two,
        "throughput_ratio_two_to_one": ratio,
        "cores": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load],
        "region": {"communities": spec.communities, "members": spec.members_per_community},
        "rows": _rows(one, two, ratio),
    }
