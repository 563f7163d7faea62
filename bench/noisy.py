"""Noisy neighbour: one resident of village A writes to the bot in private, 50 plain messages
and 30 commands (/help and an unknown one) a second for a minute, while residents of the other
villages go on as usual (ideas, support presses, SWOT inputs, poll answers, /ideas pages: a few
updates a second in all). The emulator enforces Telegram's flood limits and the bot runs at its
production settings, so the noisy resident can get at most one answer a second.

Measured: the other villages' latency, from pushing each update to the bot's answer reaching the
emulator (poll answers get none: to their confirmation), first for a while without the noise
(the reference) and then during it; how many of their updates were answered by the end of the
run (the noise, then a grace period), and how many answers the noisy resident got. An update not
answered by the end counts as infinitely late, so a percentile it reaches is "not answered",
never a figure taken from the lucky few. The bot is stopped with SIGINT, and killed if it has
not stopped after STOP_SECONDS (a backlog of answers may keep it busy for hours).
"""

from __future__ import annotations

import asyncio
import itertools
import math
import random
from collections import Counter
from pathlib import Path
from typing import Any

from bench.broadcast import PRODUCTION_LIMITS
from bench.processes import Polls, spawn
from bench.traffic import (
    ACTIONS,
    Answers,
    Inject,
    Sent,
    Traffic,
    at_rate,
    percentile,
    wait_answered,
)
from bench.world import Region, RegionSpec, Village, seed
from bot.testing import BotApiEmulator, FakeUser, serve
from bot.testing.flood import FloodLimits

SPEC = RegionSpec(
    communities=40, members_per_community=30, ideas_per_community=10, supports_per_idea=2
)
QUICK_SPEC = RegionSpec(
    communities=16, members_per_community=20, ideas_per_community=10, supports_per_idea=2
)
# The other villages' updates a second in all, the villages taking turns: each group gets an
# update every few seconds, far from Telegram's 1 message a second and 20 a minute in a chat, so
# their latency is the bot's own and not their group's flood limit.
RATE = 3.0
NOISE_SECONDS, QUICK_NOISE_SECONDS = 60.0, 10.0
QUIET_SECONDS, QUICK_QUIET_SECONDS = 15.0, 5.0
GRACE_SECONDS, QUICK_GRACE_SECONDS = 30.0, 10.0
PLAIN_PER_SECOND = 50
COMMANDS_PER_SECOND = 30
NOISY_COMMANDS = ("/help", "/kasjauns")  # /kasjauns is no command of the bot's
STOP_SECONDS = 10.0
TARGET_P99_MS = 100.0


async def noise(tg: BotApiEmulator, person: FakeUser, seconds: float) -> int:
    """The noisy resident's private messages, evenly spread; returns how many he sent."""
    per_second = PLAIN_PER_SECOND + COMMANDS_PER_SECOND
    serial = 0

    async def one() -> list[Sent]:
        nonlocal serial
        # Spread the commands among the plain messages: `COMMANDS_PER_SECOND` in each second.
        slot = serial % per_second
        is_command = slot * COMMANDS_PER_SECOND // per_second != (
            (slot + 1) * COMMANDS_PER_SECOND // per_second
        )
        if is_command:
            text = NOISY_COMMANDS[serial % len(NOISY_COMMANDS)]
        else:
            text = f"Sveiki! Vai kāds mani dzird? {serial}"
        serial += 1
        await tg.private(person, text)
        return [Sent("noise", 0, 0.0)]

    return len(await at_rate(one, per_second, seconds))


async def warm_up(tg: BotApiEmulator, villages: list[Village], rows: dict[str, int]) -> Inject:
    """The villages' cards, polls and lists, made in all villages at once (one after the other,
    each group's 1 message a second would take minutes); returns their traffic, one action at a
    time, the villages taking turns."""
    rng = random.Random(17)
    traffic = Traffic(tg, Region(villages, rows), rng)
    parts = [Traffic(tg, Region([v], {}), random.Random(n)) for n, v in enumerate(villages)]
    await asyncio.gather(*(part.warm_up() for part in parts))
    for part in parts:
        traffic.stages.update(part.stages)
    turns = itertools.cycle(villages)

    async def one() -> list[Sent]:
        village = next(turns)
        sent: list[Sent] = await ACTIONS[traffic.pick()](
            traffic, village, rng.choice(village.residents)
        )
        return sent

    return one


def latencies(tg: BotApiEmulator, polls: Polls, sent: list[Sent], waited: float) -> dict[str, Any]:
    """Percentiles over every update sent; an unanswered one counts as infinitely late."""
    answers = Answers.of(tg, polls)
    every: list[float] = []
    for s in sent:
        at = answers.answered_at(s)
        every.append(math.inf if at is None else (at - s.at) * 1000)
    answered = sum(1 for ms in every if ms != math.inf)
    return {
        "updates": len(sent),
        "answered": answered,
        "waited_seconds": waited,
        "p50_ms": _ms(percentile(every, 0.50)),
        "p95_ms": _ms(percentile(every, 0.95)),
        "p99_ms": _ms(percentile(every, 0.99)),
        "max_ms": _ms(max(every)) if every else None,
        "mix": dict(Counter(s.kind for s in sent)),
    }


def _ms(value: float) -> float | None:
    """Milliseconds for the JSON; None when not answered (or nothing was sent)."""
    return None if math.isinf(value) or math.isnan(value) else round(value, 1)


def _shown(value: float | None) -> str:
    return "not answered" if value is None else str(value)


def answers_to(tg: BotApiEmulator, chat_id: int, after: int, until: float) -> int:
    """Messages the bot got through to a chat after the cursor `after`, up to the time `until`."""
    return sum(
        1
        for c in tg.calls[after:]
        if c.ok
        and c.at <= until
        and c.method == "sendMessage"
        and str(c.params.get("chat_id")) == str(chat_id)
    )


async def run(workdir: Path, *, quick: bool = False) -> dict[str, Any]:
    spec = QUICK_SPEC if quick else SPEC
    noise_seconds = QUICK_NOISE_SECONDS if quick else NOISE_SECONDS
    quiet_seconds = QUICK_QUIET_SECONDS if quick else QUIET_SECONDS
    grace = QUICK_GRACE_SECONDS if quick else GRACE_SECONDS
    tg = BotApiEmulator()
    database_url = f"sqlite+aiosqlite:///{workdir / 'noisy.db'}"
    async with serve(tg) as url:
        region = await seed(tg, database_url, spec)
        noisy_village, *others = region.villages
        noisy = noisy_village.residents[0]
        async with spawn(
            tg, url, workdir, database_url=database_url, extra=PRODUCTION_LIMITS
        ) as bot:
            await bot.started()
            tg.flood = FloodLimits()
            others_one = await warm_up(tg, others, region.rows)

            quiet_sent = await at_rate(others_one, RATE, quiet_seconds)
            await wait_answered(tg, bot.polls, quiet_sent, timeout=grace)
            quiet = latencies(tg, bot.polls, quiet_sent, grace)

            cursor = tg.mark()
            noisy_task = asyncio.create_task(noise(tg, noisy, noise_seconds))
            busy_sent = await at_rate(others_one, RATE, noise_seconds)
            noise_sent = await noisy_task
            noise_ended = asyncio.get_running_loop().time()  # time.monotonic, as ApiCall.at
            await wait_answered(tg, bot.polls, busy_sent, timeout=grace)
            busy = latencies(tg, bot.polls, busy_sent, grace)
            noisy_answers = answers_to(tg, noisy.id, cursor, noise_ended)
            refused = tg.flood.refused

            try:
                code: int | None = await bot.stop(timeout=STOP_SECONDS)
            except TimeoutError:
                code = None  # still sending its backlog: killed when `spawn` ends
            if code not in (0, None):
                raise RuntimeError(f"the bot exited with {code}:\n{bot.output()[-3000:]}")
    lost = busy["updates"] - busy["answered"]
    p99 = busy["p99_ms"]
    rows = [
        {
            "name": "noisy neighbour: other villages' p50 / p95 without the noise (ms)",
            "value": f"{_shown(quiet['p50_ms'])} / {_shown(quiet['p95_ms'])}",
        },
        {
            "name": "noisy neighbour: other villages' p99 without the noise (ms)",
            "value": _shown(quiet["p99_ms"]),
        },
        {
            "name": "noisy neighbour: other villages' p50 / p95 during the noise (ms)",
            "value": f"{_shown(busy['p50_ms'])} / {_shown(busy['p95_ms'])}",
        },
        {
            "name": "noisy neighbour: other villages' p99 during the noise (ms)",
            "value": _shown(p99),
            "target": f"<= {TARGET_P99_MS:.0f}",
            "met": p99 is not None and p99 <= TARGET_P99_MS,
        },
        {
            "name": f"noisy neighbour: other villages' updates answered (in {grace:.0f} s after)",
            "value": f"{busy['answered']} of {busy['updates']}",
            "target": "all",
            "met": not lost,
        },
        {
            "name": "noisy neighbour: answers the noisy resident got",
            "value": f"{noisy_answers} to {noise_sent} messages in {noise_seconds:.0f} s",
        },
        {"name": "noisy neighbour: 429 answers from the emulator", "value": refused},
    ]
    return {
        "villages": len(region.villages),
        "other_villages_rate": RATE,
        "noise": {
            "seconds": noise_seconds,
            "plain_per_second": PLAIN_PER_SECOND,
            "commands_per_second": COMMANDS_PER_SECOND,
            "sent": noise_sent,
            "answers": noisy_answers,
        },
        "quiet": quiet,
        "during_noise": busy,
        "lost": lost,
        "refused_429": refused,
        "stopped_on_sigint": code == 0,
        "rows": rows,
    }
