"""Crash under load: the real `villagebot run` (long polling, SQLite, as a village runs it) is
killed with SIGKILL in the middle of a burst of mixed updates (ideas, supports, SWOT inputs,
poll answers, /ideas pages; the scenario of tests/faults/test_crash_under_load.py, without its
reminders) once part of the burst is acknowledged, and started again.

Reported: the updates acknowledged (confirmed to Telegram) before the kill and how many of them,
and of the whole burst, were applied once (bench/checks.py); the answers sent once, never, or
more than once (must be none); the messages the restarted bot gave up as "on their way" (a
sender had claimed them and may have sent them, so they are not sent again: the bot logs how
many); the outbox rows and unconfirmed updates waiting at the kill; and how long the restarted
bot took to start and to send the backlog.
"""

from __future__ import annotations

import asyncio
import random
import re
from pathlib import Path
from typing import Any

from bench.checks import Stored, answered, applied
from bench.processes import Polls, spawn
from bench.traffic import SEND_METHODS, Answers, Sent, Traffic
from bench.world import RegionSpec, seed
from bot.db import Database
from bot.services import outbox
from bot.testing import BotApiEmulator, serve

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


async def run(workdir: Path, *, quick: bool = False) -> dict[str, Any]:
    count = QUICK_UPDATES if quick else UPDATES
    tg = BotApiEmulator()
    database_url = f"sqlite+aiosqlite:///{workdir / 'crash.db'}"
    loop = asyncio.get_running_loop()
    async with serve(tg) as url:
        region = await seed(tg, database_url, SPEC)
        traffic = Traffic(tg, region, random.Random(7))
        sent: list[Sent] = []
        async with spawn(tg, url, workdir, database_url=database_url, name="killed") as bot:
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
        answered_before = sum(1 for s in sent if answers_before.answered_at(s) is not None)
        outbox_at_kill = await _waiting(database_url)
        unconfirmed_at_kill = tg.pending_updates

        restart = tg.mark()
        started = loop.time()
        async with spawn(tg, url, workdir, database_url=database_url, name="restarted") as again:
            startup = await again.started()
            await tg.wait_until(lambda: True if tg.pending_updates == 0 else None, 300)
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
        "updates": len(sent),
        "kill_after_acknowledged_share": KILL_AT,
        "acknowledged_before_kill": len(acknowledged),
        "answered_before_kill": answered_before,
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
            "name": "crash: updates acknowledged / answered before SIGKILL",
            "value": f"{len(acknowledged)} / {answered_before} of {len(sent)}",
        },
        {
            "name": "crash: acknowledged updates applied once",
            "value": f"{result['acknowledged_applied']} of {len(acknowledged)}",
            "target": "all",
            "met": result["acknowledged_applied"] == len(acknowledged) and exact,
        },
        {
            "name": "crash: all updates applied once after the restart",
            "value": f"{outcome['applied']} of {outcome['updates']}",
            "target": "all",
            "met": exact,
        },
        {
            "name": "crash: answers sent once / never / twice or more",
            "value": f"{answers['once']} / {answers['never']} / {answers['twice_or_more']}",
            "target": "0 twice",
            "met": answers["twice_or_more"] == 0,
        },
        {
            "name": "crash: never answered, by kind",
            "value": ", ".join(f"{k} {n}" for k, n in sorted(answers["never_by_kind"].items()))
            or "none",
        },
        {
            "name": "crash: messages dropped as 'on their way' at the restart",
            "value": on_their_way,
        },
        {
            "name": "crash: waiting at the kill: outbox rows / unconfirmed updates",
            "value": f"{outbox_at_kill} / {unconfirmed_at_kill}",
        },
        {
            "name": "crash: restart: start-up / backlog sent (s from spawning)",
            "value": f"{startup:.2f} / {last - started:.2f}",
        },
    ]
    return result
