"""Crash under load: the real `villagebot run` (long polling, on SQLite, and on PostgreSQL
when VILLAGEBOT_TEST_POSTGRES_URL names a server) is killed with SIGKILL in the middle of a
burst of mixed updates (ideas, supports, SWOT inputs, poll answers, /ideas pages; the scenario
of tests/faults/test_crash_under_load.py, without its reminders) once part of the burst is
acknowledged, and started again.

Reported: the updates acknowledged (confirmed to Telegram) before the kill and how many of them,
and of the whole burst, were applied once (bench/checks.py); the answers sent once, never, or
more than once (must be none); the messages the restarted bot gave up as "on their way" (a
sender had claimed them and may have sent them, so they are not sent again: the bot logs how
many); the outbox rows and unconfirmed updates waiting at the kill; and how long the restarted
bot took to start and to send the backlog (the outbox empty). On PostgreSQL, which several
workers may share, a claim is given up only after its lease (bot.services.outbox.LEASE): a
chat with a message in flight at the kill waits that long for its next one.
"""

from __future__ import annotations

import asyncio
import random
import re
from pathlib import Path
from typing import Any

from bench.checks import Stored, answered, applied, sent_key
from bench.processes import Polls, spawn
from bench.traffic import SEND_METHODS, Answers, Sent, Traffic
from bench.world import RegionSpec, seed
from bot.db import Database
from bot.services import outbox
from bot.testing import BotApiEmulator, serve
from tests import postgres

SPEC = RegionSpec(
    communities=8, members_per_community=15, ideas_per_community=8, supports_per_idea=2
)
UPDATES, QUICK_UPDATES = 1000, 300
KILL_AT = 0.4  # the share of the burst acknowledged when the bot is killed
ON_THEIR_WAY = re.compile(r"(\d+) messages were on their way to Telegram when a sender stopped")
MADE_AGAIN = re.compile(r"(\d+) edits in flight when a sender stopped are made again")
ANSWERS = SEND_METHODS | {"answerCallbackQuery", "editMessageText", "editMessageReplyMarkup"}


def _acknowledged(polls: Polls, sent: list[Sent]) -> list[Sent]:
    """The updates a getUpdates offset confirmed (processed and committed)."""
    confirmed = max((offset for _, offset in polls.calls), default=0)
    return [s for s in sent if s.update_id < confirmed]


async def _waiting(database_url: str) -> int:
    database = Database(database_url)
    try:
        async with database.transaction() as session:
            return await outbox.waiting(session)
    finally:
        await database.dispose()


def _logged(pattern: re.Pattern[str], output: str) -> int:
    return sum(int(found) for found in pattern.findall(output))


async def _drained(database_url: str, timeout: float) -> None:
    """Until the outbox is empty (or time is up)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while await _waiting(database_url) and loop.time() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.2)  # another process's database: nothing to wait on here


async def _scenario(workdir: Path, database_url: str, count: int, label: str) -> dict[str, Any]:
    tg = BotApiEmulator()
    loop = asyncio.get_running_loop()
    async with serve(tg) as url:
        region = await seed(tg, database_url, SPEC)
        traffic = Traffic(tg, region, random.Random(7))
        sent: list[Sent] = []
        killed = spawn(tg, url, workdir, database_url=database_url, name=f"killed-{label}")
        async with killed as bot:
            await bot.started()
            await traffic.warm_up(ideas_per_village=3)
            warm = tg.mark()
            while len(sent) < count:
                sent += await traffic.one()
            while len(_acknowledged(bot.polls, sent)) < KILL_AT * len(sent):
                if bot.process.returncode is not None:
                    raise RuntimeError(f"the bot stopped by itself:\n{bot.output()[-3000:]}")
                await asyncio.sleep(0.01)
            bot.process.kill()
            await bot.process.wait()
        acknowledged = _acknowledged(bot.polls, sent)
        answers_before = Answers.of(tg, None, after=warm)
        answered_before = [s for s in sent if answers_before.answered_at(s) is not None]
        # Processed and answered, but not confirmed yet: Telegram sends them again.
        answered_unacknowledged = len(
            {s.update_id for s in answered_before} - {s.update_id for s in acknowledged}
        )
        outbox_at_kill = await _waiting(database_url)
        unconfirmed_at_kill = tg.pending_updates

        restart = tg.mark()
        started = loop.time()
        restarted = spawn(tg, url, workdir, database_url=database_url, name=f"restarted-{label}")
        async with restarted as again:
            startup = await again.started()
            await tg.wait_until(lambda: True if tg.pending_updates == 0 else None, 300)
            # On PostgreSQL the lanes of messages in flight at the kill wait out the lease.
            await _drained(database_url, outbox.LEASE.total_seconds() * 2.5)
            await tg.settle(quiet=1.0, timeout=300)
            last = max(
                (c.at for c in tg.calls[restart:] if c.ok and c.method in ANSWERS), default=started
            )
            code = await again.stop()
            if code != 0:
                raise RuntimeError(f"the bot exited with {code}:\n{again.output()[-3000:]}")
        output = again.output()
    stored = await Stored.read(database_url)
    processed = set(stored.processed)
    outcome = applied(tg, sent, stored)
    answers = answered(tg, sent, warm)
    on_their_way = _logged(ON_THEIR_WAY, output)
    answer_calls_after = sum(1 for c in tg.calls[restart:] if c.ok and c.method in ANSWERS)
    result = {
        "database": label,
        "updates": len(sent),
        "kill_after_acknowledged_share": KILL_AT,
        "acknowledged_before_kill": len(acknowledged),
        "acknowledged_expecting_an_answer": sum(1 for s in acknowledged if sent_key(s)),
        "answered_before_kill": len(answered_before),
        "answered_but_unacknowledged_at_kill": answered_unacknowledged,
        "acknowledged_applied": sum(1 for s in acknowledged if s.update_id in processed),
        "applied": outcome,
        "answers": answers,
        "on_their_way_dropped": on_their_way,
        "edits_made_again": _logged(MADE_AGAIN, output),
        "outbox_rows_at_kill": outbox_at_kill,
        "unconfirmed_updates_at_kill": unconfirmed_at_kill,
        "restart_startup_seconds": round(startup, 2),
        "restart_backlog_seconds": round(last - started, 2),
        "answer_calls_after_restart": answer_calls_after,
    }
    exact = (
        outcome["applied"] == outcome["updates"]
        and outcome["stored_twice"] == outcome["texts_twice"] == 0
        and outcome["supports_wrong"] == outcome["support_counts_wrong"] == 0
    )
    result["rows"] = [
        {
            "name": f"crash ({label}): updates acknowledged before SIGKILL (expecting an answer)",
            "value": (
                f"{len(acknowledged)} of {len(sent)} ({result['acknowledged_expecting_an_answer']})"
            ),
        },
        {
            "name": f"crash ({label}): answered before SIGKILL (not acknowledged: sent again)",
            "value": f"{len(answered_before)} ({answered_unacknowledged})",
        },
        {
            "name": f"crash ({label}): acknowledged updates applied once",
            "value": f"{result['acknowledged_applied']} of {len(acknowledged)}",
            "target": "all",
            "met": result["acknowledged_applied"] == len(acknowledged) and exact,
        },
        {
            "name": f"crash ({label}): all updates applied once after the restart",
            "value": f"{outcome['applied']} of {outcome['updates']}",
            "target": "all",
            "met": exact,
        },
        {
            "name": f"crash ({label}): answers sent once / never / twice or more",
            "value": f"{answers['once']} / {answers['never']} / {answers['twice_or_more']}",
            "target": "0 twice",
            "met": answers["twice_or_more"] == 0,
        },
        {
            "name": f"crash ({label}): never answered, by kind",
            "value": ", ".join(f"{k} {n}" for k, n in sorted(answers["never_by_kind"].items()))
            or "none",
        },
        {
            "name": f"crash ({label}): restart: sends dropped as 'on their way' / edits redone",
            "value": f"{on_their_way} / {result['edits_made_again']}",
        },
        {
            "name": f"crash ({label}): waiting at the kill: outbox rows / unconfirmed updates",
            "value": f"{outbox_at_kill} / {unconfirmed_at_kill}",
        },
        {
            "name": f"crash ({label}): restart: start-up / backlog sent (s from spawning)",
            "value": f"{startup:.2f} / {last - started:.2f}",
        },
    ]
    return result


async def run(workdir: Path, *, quick: bool = False) -> dict[str, Any]:
    """On SQLite; and on PostgreSQL too when a server is given (VILLAGEBOT_TEST_POSTGRES_URL)."""
    count = QUICK_UPDATES if quick else UPDATES
    on_sqlite = f"sqlite+aiosqlite:///{workdir / 'crash.db'}"
    sqlite = await _scenario(workdir, on_sqlite, count, "SQLite")
    result: dict[str, Any] = {"sqlite": sqlite, "rows": list(sqlite["rows"])}
    server = postgres.server_url()
    if server is None:
        result["postgresql"] = {"skipped": f"{postgres.ENV} is not set"}
        return result
    async with postgres.fresh_database(server) as database_url:
        on_postgresql = await _scenario(workdir, database_url, count, "PostgreSQL")
    result["postgresql"] = on_postgresql
    result["rows"] += on_postgresql["rows"]
    return result
