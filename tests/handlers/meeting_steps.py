"""Steps the meeting tests share: a leader schedules a meeting, and looking at what was stored."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select

from bot.db import Database
from bot.models import MeetingOccurrence, utcnow
from bot.runtime import BotApplication
from bot.testing import BotApiEmulator, FakeChat, FakeUser, buttons

RIGA = ZoneInfo("Europe/Riga")


def local_day(days: int) -> str:
    """The date `days` from today in Riga, as typed: 2026-12-03."""
    return f"{(utcnow().astimezone(RIGA) + timedelta(days=days)).date():%Y-%m-%d}"


def labels(message: dict[str, Any]) -> list[str]:
    return [b["text"] for b in buttons(message)]


async def schedule(
    tg: BotApiEmulator,
    chat: FakeChat,
    leader: FakeUser,
    when: str | None = None,
    *,
    repeat: str = "Vienreiz",
    title: str = "Sanāksme par paveikto @ Tautas nams",
) -> dict[str, Any]:
    """`/meeting`, then the repeat button; returns the card posted in the group."""
    question = await tg.ask(chat, leader, f"/meeting {when or local_day(3) + ' 18:00'} {title}")
    assert buttons(question), question["text"]
    cursor = tg.mark()
    await tg.press(question, repeat, by=leader)
    card = await tg.next_message(chat, after=cursor)
    await tg.wait_for(lambda c: c.method == "sendDocument", after=cursor)
    return card


async def occurrences(database: Database) -> list[MeetingOccurrence]:
    async with database.transaction() as session:
        rows = await session.scalars(select(MeetingOccurrence).order_by(MeetingOccurrence.id))
        return list(rows)


def job_times(bot: BotApplication) -> dict[str, datetime]:
    """The meeting jobs waiting to run, by name."""
    assert bot.job_queue is not None
    found: dict[str, datetime] = {}
    for job in bot.job_queue.jobs():
        if job.name and job.name.startswith("meeting-") and job.next_t is not None:
            found[job.name] = job.next_t
    return found


async def wait_for_text(
    tg: BotApiEmulator, where: FakeChat | FakeUser, start: str, *, after: int, timeout: float = 10
) -> dict[str, Any]:
    """The next message the bot sends there whose text begins with `start`."""
    call = await tg.wait_for(
        lambda c: (
            c.ok
            and c.method == "sendMessage"
            and str(c.params.get("chat_id")) == str(where.id)
            and str(c.result.get("text", "")).startswith(start)
        ),
        after=after,
        timeout=timeout,
    )
    result: dict[str, Any] = call.result
    return result


def sent_texts(tg: BotApiEmulator, where: FakeChat | FakeUser, start: str) -> list[str]:
    return [
        str(c.result["text"])
        for c in tg.calls
        if c.ok
        and c.method == "sendMessage"
        and str(c.params.get("chat_id")) == str(where.id)
        and str(c.result.get("text", "")).startswith(start)
    ]


async def jobs_near(bot: BotApplication, moment: datetime) -> dict[str, datetime]:
    """The meeting jobs as the planner has them once `moment` comes within its window
    (jobs exist only for what is due in the next PLANNING_WINDOW)."""
    from handlers import meeting_jobs

    planned_at = moment - meeting_jobs.PLANNING_WINDOW + timedelta(minutes=1)
    with time_machine.travel(planned_at, tick=True):
        await meeting_jobs.schedule(bot)
        return job_times(bot)


async def planned(database: Database) -> dict[str, datetime]:
    """Every meeting message still to send and when: the plan the jobs are made from (jobs
    exist only for its first PLANNING_WINDOW)."""
    from bot.services import meeting_plan

    async with database.transaction() as session:
        return {due.name: due.when for due in await meeting_plan.due_messages(session, utcnow())}
