"""Scale: a region of 1,000 villages with 100,000 ideas, 500,000 supports and 10,000 repeating
meetings (one village with 5,000 ideas). Start-up to the first getUpdates, peak memory, and a
list of timed operations, each sent one at a time and timed to the bot's first message back.

`OPERATIONS` is the list to extend: an operation names its command, who sends it where, its
target, and whether this build has it (`/export` and `/plan` run once their commands exist).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.processes import spawn
from bench.traffic import percentile
from bench.world import Region, RegionSpec, Village, seed
from bot.commands import COMMAND_NAMES
from bot.testing import BotApiEmulator, serve

SPEC = RegionSpec(
    communities=1000,
    members_per_community=50,
    supports_per_idea=5,
    meetings_per_community=10,
    big_communities=(1, 5000),
    total_ideas=100_000,
)
QUICK_SPEC = RegionSpec(
    communities=50,
    members_per_community=20,
    ideas_per_community=20,
    supports_per_idea=3,
    meetings_per_community=2,
    big_communities=(1, 500),
)
STARTUP_TARGET = 5.0
MEMORY_TARGET_MB = 200.0
SEND_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument", "sendPoll"})


@dataclass(frozen=True)
class Operation:
    """`text` sent `times` times; in the big village or in random ones; p99 against target."""

    name: str
    text: Callable[[random.Random], str]
    times: int
    target_seconds: float
    big_village: bool = False
    by_leader: bool = False
    command: str = ""  # the command that must exist for this operation to run

    @property
    def available(self) -> bool:
        return not self.command or self.command in COMMAND_NAMES


def _idea(rng: random.Random) -> str:
    return f"/idea Jauna ideja {rng.randrange(10**9)} par {rng.choice(('parku', 'ceļu', 'skolu'))}"


OPERATIONS: tuple[Operation, ...] = (
    Operation("/ideas (any village)", lambda _r: "/ideas", 200, 0.050),
    Operation("/ideas (village of 5,000 ideas)", lambda _r: "/ideas", 100, 0.050, big_village=True),
    Operation("/idea submitted (village of 5,000 ideas)", _idea, 30, 0.200, big_village=True),
    Operation("/meetings (10 repeating meetings)", lambda _r: "/meetings", 100, 0.100),
    Operation(
        "/export (village of 5,000 ideas)",
        lambda _r: "/export",
        3,
        5.0,
        big_village=True,
        by_leader=True,
        command="export",
    ),
    Operation(
        "/plan (village of 5,000 ideas)",
        lambda _r: "/plan",
        3,
        5.0,
        big_village=True,
        by_leader=True,
        command="plan",
    ),
)


async def _time(tg: BotApiEmulator, village: Village, sender: Any, text: str) -> float:
    """Seconds from sending to the bot's first message in that chat."""
    cursor = tg.mark()
    started = time.monotonic()
    await tg.send(village.chat, sender, text)
    call = await tg.wait_for(
        lambda c: (
            c.ok
            and c.method in SEND_METHODS
            and str(c.params.get("chat_id")) == str(village.chat.id)
        ),
        after=cursor,
        timeout=120,
    )
    return call.at - started


async def run_operation(
    tg: BotApiEmulator, region: Region, operation: Operation, rng: random.Random
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "name": operation.name,
        "target": f"p99 <= {operation.target_seconds * 1000:g} ms",
    }
    if not operation.available:
        row.update(value="not in this build", met=None)
        return row
    seconds = []
    for _ in range(operation.times):
        village = region.villages[0] if operation.big_village else rng.choice(region.villages)
        sender = village.leader if operation.by_leader else rng.choice(village.residents)
        seconds.append(await _time(tg, village, sender, operation.text(rng)))
    p99 = percentile(seconds, 0.99)
    row.update(
        value=f"p50 {percentile(seconds, 0.5) * 1000:.1f} / p99 {p99 * 1000:.1f} ms",
        p50_ms=round(percentile(seconds, 0.5) * 1000, 1),
        p99_ms=round(p99 * 1000, 1),
        met=p99 <= operation.target_seconds,
    )
    return row


async def run(workdir: Path, *, quick: bool = False) -> dict[str, Any]:
    spec = QUICK_SPEC if quick else SPEC
    rng = random.Random(20)
    tg = BotApiEmulator()
    database_url = f"sqlite+aiosqlite:///{workdir / 'scale.db'}"
    result: dict[str, Any] = {}
    async with serve(tg) as url:
        started = time.monotonic()
        region = await seed(tg, database_url, spec)
        result["seed_seconds"] = round(time.monotonic() - started, 1)
        result["region"] = {"communities": spec.communities, **region.rows}
        result["database_mb"] = round((workdir / "scale.db").stat().st_size / 2**20, 1)
        async with spawn(tg, url, workdir, database_url=database_url) as bot:
            startup = await bot.started()
            memory_started = bot.memory_mb()
            rows: list[dict[str, Any]] = [
                {
                    "name": "start-up to the first getUpdates (s)",
                    "value": round(startup, 2),
                    "target": f"<= {STARTUP_TARGET:g}",
                    "met": startup <= STARTUP_TARGET,
                },
            ]
            await tg.settle(quiet=1.0, timeout=300)  # scheduled work due at start-up
            for operation in OPERATIONS:
                rows.append(await run_operation(tg, region, operation, rng))
            await tg.settle(quiet=1.0, timeout=300)
            peak = bot.memory_mb()
            rows.append(
                {
                    "name": "peak memory (MB)",
                    "value": f"{peak:.1f} (after start-up {memory_started:.1f})",
                    "target": f"< {MEMORY_TARGET_MB:g}",
                    "met": peak < MEMORY_TARGET_MB,
                }
            )
            code = await bot.stop()
            if code != 0:
                raise RuntimeError(f"the bot exited with {code}:\n{bot.output()[-3000:]}")
    result["rows"] = rows
    return result
