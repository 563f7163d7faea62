"""Scheduled work: jobs run for active communities, missed ones follow the grace rule, a
claimed message is sent once (written to the outbox with its claim), and a group upgrade is
followed (by the outbox)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot import scheduler
from bot.app import runtime_of
from bot.models import utcnow
from bot.runtime import BotApplication
from bot.testing import BotApiEmulator
from handlers.jobs import JobTurn, community_job
from tests.conftest import Village


@community_job
async def announce(job: JobTurn) -> None:
    key = f"test-announce:{job.community.id}:{job.data['tag']}"
    await job.send_once(key, job.to_group(job.t._("What I can do")))


def _sent(tg: BotApiEmulator, village: Village) -> list[str]:
    return [m["text"] for m in tg.bot_messages(village.chat)[1:]]


async def _community_id(bot: BotApplication) -> int:
    from sqlalchemy import select

    from bot.models import Community

    async with runtime_of(bot).db.transaction() as session:
        community_id = await session.scalar(select(Community.id))
    assert community_id is not None
    return community_id


async def test_a_job_runs_once_even_when_scheduled_twice(
    tg: BotApiEmulator, village: Village, bot: BotApplication
) -> None:
    data = {"community_id": await _community_id(bot), "tag": "a"}
    soon = utcnow() + timedelta(milliseconds=200)
    assert scheduler.schedule_at(bot, "test:a", announce, soon, grace=timedelta(0), data=data)
    assert bot.job_queue is not None
    bot.job_queue.run_once(announce, 0.3, data=data, name="test:a-again")
    await asyncio.sleep(0.8)
    assert _sent(tg, village) == ["Ko es protu"]


async def test_missed_jobs_follow_the_grace_rule(
    tg: BotApiEmulator, village: Village, bot: BotApplication
) -> None:
    community_id = await _community_id(bot)
    late = utcnow() - timedelta(minutes=10)
    assert scheduler.schedule_at(
        bot,
        "test:late",
        announce,
        late,
        grace=timedelta(minutes=30),
        data={"community_id": community_id, "tag": "late"},
    )
    assert not scheduler.schedule_at(
        bot,
        "test:too-late",
        announce,
        late,
        grace=timedelta(minutes=5),
        data={"community_id": community_id, "tag": "too-late"},
    )
    await asyncio.sleep(0.5)
    assert _sent(tg, village) == ["Ko es protu"]


async def test_jobs_of_an_inactive_community_do_nothing(
    tg: BotApiEmulator, village: Village, bot: BotApplication
) -> None:
    community_id = await _community_id(bot)
    await tg.remove_bot(village.chat, by=village.admin)
    await tg.settle()
    scheduler.schedule_at(
        bot,
        "test:gone",
        announce,
        utcnow(),
        grace=timedelta(minutes=1),
        data={"community_id": community_id, "tag": "gone"},
    )
    await asyncio.sleep(0.5)
    assert _sent(tg, village) == []


async def test_a_job_follows_a_supergroup_upgrade(
    tg: BotApiEmulator, village: Village, bot: BotApplication
) -> None:
    community_id = await _community_id(bot)
    tg.privacy_mode = True
    new = await tg.migrate(village.chat)
    # The bot posts before it has seen the migration messages.
    tg._updates.clear()
    scheduler.schedule_at(
        bot,
        "test:moved",
        announce,
        utcnow(),
        grace=timedelta(minutes=1),
        data={"community_id": community_id, "tag": "moved"},
    )
    await asyncio.sleep(0.5)
    assert [m["text"] for m in tg.bot_messages(new)] == ["Ko es protu"]


async def test_jobs_due_together_take_turns(village: Village, bot: BotApplication) -> None:
    """Twelve jobs due at the same moment: at most JOB_SLOTS run at once, and all of them run."""
    from bot.runtime import JOB_SLOTS

    running, most, done = 0, 0, 0

    @community_job
    async def busy(_job: JobTurn) -> None:
        nonlocal running, most, done
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.05)
        running -= 1
        done += 1

    data = {"community_id": await _community_id(bot)}
    assert bot.job_queue is not None
    for n in range(12):
        bot.job_queue.run_once(busy, 0.1, data=data, name=f"test:busy-{n}")
    await asyncio.sleep(1.0)
    assert (done, most) == (12, JOB_SLOTS)
