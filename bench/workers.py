"""Several webhook workers on one PostgreSQL: one `villagebot run --webhook` worker, then two
behind a round-robin balancer (tests/e2e/balancer.py, standing in for nginx), in the same run,
each on a fresh database seeded the same way, with the same traffic.

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
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]

from bench.checks import Stored, answered, applied
from bench.processes import Delivered, Running, family_cpu_seconds, parent_of, spawn
from bench.throughput import saturated, steady
from bench.traffic import Sent, Traffic, recording
from bench.world import RegionSpec, seed
from bot.testing import BotApiEmulator, serve
from tests import postgres
from tests.e2e.balancer import balancing
from tests.e2e.test_webhook import SECRET
from tests.wire.test_webhook import free_port

SPEC = RegionSpec(
    communities=60, members_per_community=30, ideas_per_community=10, supports_per_idea=2
)
QUICK_SPEC = RegionSpec(
    communities=10, members_per_community=20, ideas_per_community=10, supports_per_idea=2
)
BURST, QUICK_BURST = 1500, 300
ROUNDS, QUICK_ROUNDS = 3, 1
RATE = 50.0
STEADY_SECONDS, QUICK_STEADY_SECONDS = 10.0, 3.0


async def _postmaster(server: str) -> int | None:
    """The PostgreSQL server's process id (the parent of a backend), when it is on this machine."""
    connection = await asyncpg.connect(postgres.dsn(server))
    try:
        return parent_of(int(await connection.fetchval("SELECT pg_backend_pid()")))
    except OSError:
        return None  # on another machine
    finally:
        await connection.close()


def _cpu(workers: list[Running], postmaster: int | None) -> dict[str, float]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "driver": usage.ru_utime + usage.ru_stime,
        "workers": sum(w.cpu_seconds() for w in workers),
        "postgresql": family_cpu_seconds(postmaster) if postmaster else float("nan"),
    }


async def _phase(
    count: int, server: str, postmaster: int | None, workdir: Path, quick: bool
) -> dict[str, Any]:
    """`count` workers on a fresh database: saturation, latency, and the checks."""
    spec = QUICK_SPEC if quick else SPEC
    tg = BotApiEmulator()
    delivered = Delivered()
    delivered.attach(tg)
    rng = random.Random(23)
    ports = [free_port() for _ in range(count)]
    upstreams = [f"http://127.0.0.1:{port}/villagebot" for port in ports]
    async with (
        serve(tg) as api_url,
        postgres.fresh_database(server) as database_url,
        balancing(upstreams) as (balancer, url),
    ):
        region = await seed(tg, database_url, spec)
        async with AsyncExitStack() as stack:
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
            traffic = Traffic(tg, region, rng)
            await traffic.warm_up()
            warm = tg.mark()
            sent: list[Sent] = []
            inject = recording(traffic.one, sent)
            loop = asyncio.get_running_loop()
            started, before = loop.time(), _cpu(workers, postmaster)
            saturation = await saturated(
                tg,
                delivered,
                inject,
                QUICK_BURST if quick else BURST,
                QUICK_ROUNDS if quick else ROUNDS,
            )
            wall, after = loop.time() - started, _cpu(workers, postmaster)
            seconds = QUICK_STEADY_SECONDS if quick else STEADY_SECONDS
            latency = await steady(tg, delivered, inject, RATE, seconds)
            await tg.settle(quiet=1.0, timeout=120)
            peak = [round(w.memory_mb(), 1) for w in workers]
            codes = [await w.stop(sig=signal.SIGTERM) for w in workers]
        failed = [w.output()[-3000:] for w, code in zip(workers, codes, strict=True) if code]
        if failed:
            raise RuntimeError(f"a worker exited with {codes}:\n{failed[0]}")
        stored = await Stored.read(database_url)
    cores = os.cpu_count() or 1
    return {
        "workers": count,
        "saturation": saturation,
        "latency": latency,
        "applied": applied(tg, sent, stored),
        "answered": answered(tg, sent, warm),
        "served_by_worker": [balancer.served[n] for n in range(count)],
        "tracebacks": sum(w.output().count("Traceback") for w in workers),
        "peak_memory_mb": peak,
        "bursts_seconds": round(wall, 1),
        # Processor seconds used during the bursts, and their share of the machine's cores.
        "cpu_seconds": {k: round(after[k] - before[k], 1) for k in after},
        "cpu_share_of_machine": {
            k: round((after[k] - before[k]) / (wall * cores), 2) for k in after
        },
        "region": {"communities": spec.communities, **region.rows},
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
        return f"{s['driver']:.0%} / {s['workers']:.0%} / {s['postgresql']:.0%}"

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
            "name": "workers: updates each worker took (2 workers)",
            "value": " / ".join(map(str, two["served_by_worker"])),
        },
        {
            "name": "workers: machine's CPU in bursts driver/workers/PostgreSQL, 1 worker",
            "value": share(one),
        },
        {
            "name": "workers: machine's CPU in bursts driver/workers/PostgreSQL, 2 workers",
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
    load = os.getloadavg()
    one = await _phase(1, server, postmaster, workdir, quick)
    two = await _phase(2, server, postmaster, workdir, quick)
    ratio = round(
        two["saturation"]["updates_per_second"] / one["saturation"]["updates_per_second"], 2
    )
    return {
        "one_worker": one,
        "two_workers": two,
        "throughput_ratio_two_to_one": ratio,
        "cores": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load],
        "rows": _rows(one, two, ratio),
    }
