"""Meeting reminders, start notices and the minutes reminder with controlled time: each is sent
once, on time, across restarts before, during and after its time; one missed by more than its
grace is skipped and logged; the next date of a series is scheduled when one starts."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime, timedelta

import pytest
import time_machine
from sqlalchemy.ext.asyncio import AsyncSession

from bot import agenda, scheduler
from bot.app import runtime_of
from bot.db import Database
from bot.i18n import Html, Translator
from bot.models import Community, utcnow
from bot.runtime import BotApplication
from bot.services.meeting_plan import Due, Kind
from bot.testing import BotApiEmulator, buttons, running_bot, settings_for
from handlers import meeting_jobs
from tests.conftest import Village, new_village
from tests.handlers.meeting_steps import (
    job_times,
    labels,
    occurrences,
    schedule,
    sent_texts,
    wait_for_text,
)

REMINDER = "⏰ Atgādinājums. Līdz sanāksmei:"
START = "🔔 Sanāksme sākas tagad!"
ON_TIME = timedelta(seconds=10)  # design: a scheduled message goes out within 10 s of its time

Starter = Callable[[], AbstractAsyncContextManager[BotApplication]]


def _travel(moment: datetime) -> time_machine.travel:
    return time_machine.travel(moment, tick=True)


async def test_each_reminder_is_sent_once_on_time(
    tg: BotApiEmulator,
    village: Village,
    bot: BotApplication,
    database: Database,
    caplog: pytest.LogCaptureFixture,
) -> None:
    card = await schedule(tg, village.chat, village.admin)
    await tg.press(card, "✅", by=village.resident)
    first = (await occurrences(database))[0]
    due = first.starts_at - timedelta(hours=1)
    with _travel(due - timedelta(seconds=1)):
        caplog.set_level(logging.INFO, logger="bot.scheduler")
        cursor = tg.mark()
        await meeting_jobs.schedule(bot)  # what start-up does, now that the day has come
        reminder = await wait_for_text(tg, village.chat, REMINDER, after=cursor)
        assert utcnow() - due < ON_TIME
        assert reminder["text"].splitlines()[0] == f"{REMINDER} 1 stunda"
        assert reminder["text"].splitlines()[2:5] == [
            "Sanāksme par paveikto",
            reminder["text"].splitlines()[3],
            "📍 Tautas nams",
        ]
        assert labels(reminder) == ["✅ Piedalīšos · 1", "🤔 Varbūt · 0", "❌ Nevarēšu · 0"]
        # The day-before reminder was due 23 hours ago: far past its grace, so skipped and logged.
        assert f"skipped meeting-reminder:{first.id}:1440" in caplog.text

        # The same reminder scheduled again (a second process, a repeated start-up) is not sent.
        await meeting_jobs.schedule(bot)
        assert f"meeting-reminder:{first.id}:60" not in job_times(bot)
        again = Due(Kind.REMINDER, first.community_id, first.id, first.starts_at, due, 60)
        for n in range(2):
            scheduler.schedule_at(
                bot,
                f"again-{n}",
                meeting_jobs.send_reminder,
                utcnow(),
                grace=timedelta(minutes=30),
                data={"community_id": first.community_id, "due": again},
            )
        await tg.settle()
        assert len(sent_texts(tg, village.chat, REMINDER)) == 1

        # The card is live: an answer to the reminder is counted there.
        await tg.press(reminder, "🤔", by=village.admin)

        def counted() -> bool | None:
            now = tg.message(village.chat.id, reminder["message_id"])
            return True if "🤔 Varbūt · 1" in labels(now) else None

        assert await tg.wait_until(counted, timeout=5)


@pytest.fixture
def start_bot(tg: BotApiEmulator, api_url: str, database_url: str) -> Starter:
    """Start (and stop) the real bot as often as a test needs, on one database."""

    @asynccontextmanager
    async def start() -> AsyncIterator[BotApplication]:
        async with running_bot(settings_for(tg, api_url, database_url)) as app:
            yield app

    return start


async def test_restarts_before_during_and_after_reminder_times(
    tg: BotApiEmulator, start_bot: Starter, caplog: pytest.LogCaptureFixture
) -> None:
    async with start_bot() as app:
        village = await new_village(tg, admin_last_name=None)
        await schedule(tg, village.chat, village.admin)
        first = (await occurrences(runtime_of(app).db))[0]
    day_before = first.starts_at - timedelta(days=1)
    hour_before = first.starts_at - timedelta(hours=1)

    # Before: the bot starts just before the day-before reminder and sends it on time.
    with _travel(day_before - timedelta(seconds=2)):
        async with start_bot():
            cursor = tg.mark()
            await wait_for_text(tg, village.chat, f"{REMINDER} 1 diena", after=cursor)
            assert utcnow() - day_before < ON_TIME

    # During: the bot is down when the hour-before reminder is due and back 10 minutes later,
    # within the grace of 30 minutes: it is sent late, once.
    with _travel(hour_before + timedelta(minutes=10)):
        async with start_bot():
            cursor = tg.mark()
            await wait_for_text(tg, village.chat, f"{REMINDER} 1 stunda", after=cursor)
            await tg.settle()

    # After: restarted once more after it was sent, nothing is sent twice.
    with _travel(hour_before + timedelta(minutes=20)):
        caplog.set_level(logging.INFO, logger="handlers.meeting_jobs")
        async with start_bot():
            await tg.settle(quiet=0.5)
    assert len(sent_texts(tg, village.chat, f"{REMINDER} 1 diena")) == 1
    assert len(sent_texts(tg, village.chat, f"{REMINDER} 1 stunda")) == 1

    # And the start notice comes on time after yet another restart.
    with _travel(first.starts_at - timedelta(seconds=2)):
        async with start_bot():
            cursor = tg.mark()
            notice = await wait_for_text(tg, village.chat, START, after=cursor)
            assert utcnow() - first.starts_at < ON_TIME
            assert labels(notice)[0] == "✅ Piedalīšos · 0"
    assert len(sent_texts(tg, village.chat, START)) == 1


async def test_a_reminder_missed_by_more_than_its_grace_is_skipped_and_logged(
    tg: BotApiEmulator, start_bot: Starter, caplog: pytest.LogCaptureFixture
) -> None:
    async with start_bot() as app:
        village = await new_village(tg, admin_last_name=None)
        await schedule(tg, village.chat, village.admin)
        first = (await occurrences(runtime_of(app).db))[0]
    caplog.set_level(logging.INFO, logger="bot.scheduler")
    with _travel(first.starts_at - timedelta(minutes=20)):
        async with start_bot() as app:
            await tg.settle(quiet=0.5)
            assert f"meeting-start:{first.id}" in job_times(app)
    assert sent_texts(tg, village.chat, REMINDER) == []
    assert f"skipped meeting-reminder:{first.id}:60: it was due 0:40:" in caplog.text
    assert f"skipped meeting-reminder:{first.id}:1440" in caplog.text


async def test_the_start_notice_schedules_the_next_date_of_a_series(
    tg: BotApiEmulator, village: Village, bot: BotApplication, database: Database
) -> None:
    await schedule(tg, village.chat, village.admin, repeat="Katru nedēļu")
    dates = await occurrences(database)
    first = dates[0]
    with _travel(first.starts_at - timedelta(seconds=1)):
        cursor = tg.mark()
        await meeting_jobs.schedule(bot)
        notice = await wait_for_text(tg, village.chat, START, after=cursor)
        assert buttons(notice)
        await tg.settle()
        later = await occurrences(database)
        assert len(later) == len(dates) + 1
        assert later[-1].starts_at - later[-2].starts_at == timedelta(weeks=1)
        jobs = job_times(bot)
        assert f"meeting-start:{first.id}" not in jobs
        assert jobs[f"meeting-minutes:{first.id}"] == first.starts_at + timedelta(days=1)
        # The new date is weeks away: its jobs are made when it comes within the planning window.
        assert f"meeting-start:{later[-1].id}" not in jobs
    with _travel(later[-1].starts_at - meeting_jobs.PLANNING_WINDOW + timedelta(minutes=1)):
        await meeting_jobs.schedule(bot)  # what the planner does every REPLAN_EVERY
        assert job_times(bot)[f"meeting-start:{later[-1].id}"] == later[-1].starts_at


async def test_leaders_are_asked_for_minutes_the_next_day(
    tg: BotApiEmulator, village: Village, bot: BotApplication, database: Database
) -> None:
    admin, resident = village.admin, village.resident
    helper = tg.user("Ilze")
    await tg.join(village.chat, helper)
    said = await tg.send(village.chat, helper, "Es palīdzēšu")
    await tg.ask(village.chat, admin, "/promote", reply_to=said)
    for person in (admin, resident, helper):
        await tg.ask(person, person, "/start")
    await schedule(tg, village.chat, admin)
    first = (await occurrences(database))[0]
    asked = first.starts_at + timedelta(days=1)
    with _travel(asked - timedelta(seconds=1)):
        cursor = tg.mark()
        await meeting_jobs.schedule(bot)
        to_admin = await wait_for_text(tg, admin, "📝 Sanāksmei", after=cursor)
        to_helper = await wait_for_text(tg, helper, "📝 Sanāksmei", after=cursor)
        assert to_admin["text"].endswith(
            "Ierakstiet tās lēmumus ar /minutes un tekstu — grupā vai šeit."
        )
        assert "(" in to_helper["text"]
        assert "Lejasciems" in to_admin["text"]
        await tg.settle()
        await meeting_jobs.schedule(bot)
        await tg.settle()
    assert len(sent_texts(tg, admin, "📝 Sanāksmei")) == 1
    assert sent_texts(tg, resident, "📝") == []


async def test_no_minutes_reminder_when_minutes_were_recorded(
    tg: BotApiEmulator, village: Village, bot: BotApplication, database: Database
) -> None:
    admin = village.admin
    await tg.ask(admin, admin, "/start")
    await schedule(tg, village.chat, admin)
    first = (await occurrences(database))[0]
    with _travel(first.starts_at + timedelta(hours=2)):
        await tg.ask(village.chat, admin, "/minutes Nolēmām remontēt ceļu")
        await meeting_jobs.schedule(bot)
        assert f"meeting-minutes:{first.id}" not in job_times(bot)
    with _travel(first.starts_at + timedelta(days=1, seconds=1)):
        await meeting_jobs.schedule(bot)
        await tg.settle()
    assert sent_texts(tg, admin, "📝 Sanāksmei") == []


async def test_the_reminder_carries_the_agenda(
    tg: BotApiEmulator, village: Village, bot: BotApplication, database: Database
) -> None:
    async def polls(
        session: AsyncSession, community: Community, t: Translator, starts_at: datetime
    ) -> list[Html]:
        return [t._("What I can do")]  # any translated line, as the polls feature would give

    agenda.agenda_provider(polls)
    try:
        await schedule(tg, village.chat, village.admin)
        await tg.ask(village.chat, village.admin, "/agenda Ceļa remonts")
        first = (await occurrences(database))[0]
        due = first.starts_at - timedelta(hours=1)
        with _travel(due - timedelta(seconds=1)):
            cursor = tg.mark()
            await meeting_jobs.schedule(bot)
            reminder = await wait_for_text(tg, village.chat, REMINDER, after=cursor)
    finally:
        agenda.AGENDA_PROVIDERS.remove(polls)
    assert reminder["text"].splitlines()[-3:] == [
        "Darba kārtība",
        "• Ceļa remonts",
        "• Ko es protu",
    ]


async def test_a_cancelled_date_is_not_reminded_of(
    tg: BotApiEmulator, village: Village, bot: BotApplication, database: Database
) -> None:
    await schedule(tg, village.chat, village.admin)
    first = (await occurrences(database))[0]
    due = Due(Kind.START, first.community_id, first.id, first.starts_at, first.starts_at, 0)
    listed = await tg.ask(village.chat, village.admin, "/meetings")
    for label in ("1", "✖️ Atcelt šo reizi", "Jā, atcelt"):
        await tg.press(listed, label, by=village.admin)
        await tg.settle()
    assert job_times(bot) == {}
    # A job left over from before (another process) checks again and sends nothing.
    scheduler.schedule_at(
        bot,
        "left-over",
        meeting_jobs.send_start,
        utcnow(),
        grace=timedelta(minutes=30),
        data={"community_id": first.community_id, "due": due},
    )
    await asyncio.sleep(0.3)
    await tg.settle()
    assert sent_texts(tg, village.chat, START) == []
