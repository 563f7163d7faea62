"""Broadcast: the digests of 1,000 villages due at the same minute, with the emulator enforcing
Telegram's flood limits (30 messages a second overall, 20 a minute per group, 1 a second per
chat) and the bot at its production settings. Every digest must arrive once, no request may be
refused with 429, and the whole broadcast should take about the least time the limits allow:
at most 30 messages in any second, so message k (from 0) can go at k // 30 seconds at the
earliest.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from bench.processes import spawn
from bench.world import ZONE, RegionSpec, seed
from bot.db import Database
from bot.models import DigestFrequency, DigestSchedule
from bot.testing import BotApiEmulator, serve
from bot.testing.flood import FloodLimits

# The scale benchmark's region (without its meetings): a month's digest counts its supports.
SPEC = RegionSpec(
    communities=1000, members_per_community=50, supports_per_idea=5, total_ideas=100_000
)
QUICK_SPEC = RegionSpec(communities=100, members_per_community=5, ideas_per_community=2)
PRODUCTION_LIMITS = {
    "VILLAGEBOT_MESSAGES_PER_SECOND": "30",
    "VILLAGEBOT_GROUP_MESSAGES_PER_MINUTE": "20",
    "VILLAGEBOT_CHAT_MESSAGES_PER_SECOND": "1",
}
LEAD_TIME = timedelta(seconds=40)  # the bot starts and settles before the digests are due
DIGEST_HEADER = "📰"


def due_minute(now: datetime) -> datetime:
    """The first whole minute at least LEAD_TIME from now."""
    at = (now + LEAD_TIME).replace(second=0, microsecond=0) + timedelta(minutes=1)
    return at.astimezone(UTC)


async def schedule_digests(database_url: str, communities: int, due: datetime) -> None:
    local = due.astimezone(ZoneInfo(ZONE))
    rows = [
        {
            "community_id": community_id,
            "frequency": DigestFrequency.WEEKLY,
            "weekday": local.weekday(),
            "time": f"{local:%H:%M}",
        }
        for community_id in range(1, communities + 1)
    ]
    database = Database(database_url)
    try:
        async with database.engine.begin() as connection:
            await connection.execute(insert(DigestSchedule), rows)
    finally:
        await database.dispose()


async def run(workdir: Path, *, quick: bool = False) -> dict[str, Any]:
    spec = QUICK_SPEC if quick else SPEC
    tg = BotApiEmulator()
    database_url = f"sqlite+aiosqlite:///{workdir / 'broadcast.db'}"
    async with serve(tg) as url:
        region = await seed(tg, database_url, spec)
        due = due_minute(datetime.now(UTC))
        await schedule_digests(database_url, spec.communities, due)
        groups = {village.chat.id for village in region.villages}
        async with spawn(
            tg, url, workdir, database_url=database_url, extra=PRODUCTION_LIMITS
        ) as bot:
            await bot.started()
            tg.flood = FloodLimits()
            wait = (due - datetime.now(UTC)).total_seconds()
            loop = asyncio.get_running_loop()
            due_at = loop.time() + wait  # the due minute on the emulator's clock
            cursor = tg.mark()

            def digests() -> list[Any]:
                return [
                    c
                    for c in tg.calls[cursor:]
                    if c.ok
                    and c.method == "sendMessage"
                    and int(c.params.get("chat_id", 0)) in groups
                    and str(c.params.get("text", "")).startswith(DIGEST_HEADER)
                ]

            limit = wait + spec.communities / 30 * 3 + 60
            await tg.wait_until(lambda: True if len(digests()) >= len(groups) else None, limit)
            await tg.settle(quiet=2.0, timeout=120)
            sent = digests()
            refused = tg.flood.refused
            code = await bot.stop()
            if code != 0:
                raise RuntimeError(f"the bot exited with {code}:\n{bot.output()[-3000:]}")
    per_group: dict[int, int] = {}
    for call in sent:
        chat = int(call.params["chat_id"])
        per_group[chat] = per_group.get(chat, 0) + 1
    first = min((c.at for c in sent), default=due_at)
    last = max((c.at for c in sent), default=due_at)
    minimum = (len(groups) - 1) // 30
    took = last - due_at
    rows = [
        {
            "name": f"digests delivered ({len(groups)} villages, once each)",
            "value": f"{len(per_group)} villages, {len(sent)} messages",
            "target": f"{len(groups)} once",
            "met": len(per_group) == len(groups) and len(sent) == len(groups),
        },
        {
            "name": "429 answers from the emulator",
            "value": refused,
            "target": "0",
            "met": not refused,
        },
        {
            "name": "broadcast time from the due minute (s)",
            "value": round(took, 1),
            "target": f"~{minimum} (least the limits allow)",
            "met": took <= minimum * 1.15 + 5,
        },
        {"name": "first digest after the due minute (s)", "value": round(first - due_at, 2)},
    ]
    return {
        "villages": len(groups),
        "delivered": len(sent),
        "refused_429": refused,
        "seconds_from_due": round(took, 2),
        "least_possible_seconds": minimum,
        "rows": rows,
    }
