"""The digest through the emulator: its schedule in /settings, posting once per period, a digest
missed while the bot was down, and /digest for leaders."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import func, select

from bot.db import Database
from bot.models import Community, DigestPost, utcnow
from bot.runtime import BotApplication
from bot.testing import BotApiEmulator
from handlers.digest import digest_jobs, post_digest
from tests.conftest import Village

RIGA = ZoneInfo("Europe/Riga")


async def _community_id(database: Database) -> int:
    async with database.transaction() as session:
        value = await session.scalar(select(Community.id))
    assert value is not None
    return value


async def _job(bot: BotApplication, community_id: int) -> Any:
    """The community's digest job (scheduled just after the commit that made the community)."""
    assert bot.job_queue is not None
    for _ in range(100):
        jobs = bot.job_queue.get_jobs_by_name(f"digest:{community_id}")
        if jobs:
            break
        await asyncio.sleep(0.05)
    assert len(jobs) == 1
    return jobs[0]


async def _activity(tg: BotApiEmulator, village: Village) -> None:
    await tg.ask(village.chat, village.resident, "/idea Jauns rotaļu laukums pie skolas")
    await tg.ask(village.chat, village.admin, "/victory Pieturā ir jauns soliņš!")


async def test_the_schedule_is_a_setting_and_moves_the_job(
    tg: BotApiEmulator, village: Village, bot: BotApplication, database: Database
) -> None:
    community_id = await _community_id(database)
    monthly = await _job(bot, community_id)
    assert monthly.next_t.astimezone(RIGA).hour == 18  # type: ignore[attr-defined]
    assert monthly.next_t.astimezone(RIGA).weekday() == 0  # type: ignore[attr-defined]
    reply = await tg.ask(village.chat, village.admin, "/settings digest weekly fri 17:30")
    assert reply["text"] == "Saglabāts. Ciema pārskats: katru nedēļu piektdienās plkst. 17:30"
    await asyncio.sleep(0.2)
    weekly = (await _job(bot, community_id)).next_t.astimezone(RIGA)
    assert (weekly.weekday(), weekly.hour, weekly.minute) == (4, 17, 30)
    assert weekly - utcnow() <= timedelta(days=7)
    # The words the Latvian help text shows.
    latvian = await tg.ask(village.chat, village.admin, "/settings digest iknedēļas pk 17:30")
    assert latvian["text"] == "Saglabāts. Ciema pārskats: katru nedēļu piektdienās plkst. 17:30"
    off = await tg.ask(village.chat, village.admin, "/settings digest izslēgt")
    assert off["text"] == "Saglabāts. Ciema pārskats: izslēgts"
    await asyncio.sleep(0.2)
    assert bot.job_queue is not None
    assert bot.job_queue.get_jobs_by_name(f"digest:{community_id}") == ()
    bad = await tg.ask(village.chat, village.admin, "/settings digest daily")
    assert bad["text"].startswith("Uzrakstiet, cik bieži un kad")


async def test_a_digest_is_posted_once_per_period(
    tg: BotApiEmulator, village: Village, bot: BotApplication, database: Database
) -> None:
    community_id = await _community_id(database)
    await _activity(tg, village)
    assert bot.job_queue is not None
    cursor = tg.mark()
    data = {"community_id": community_id, "period": "2026-12-07"}
    bot.job_queue.run_once(post_digest, 0, data=data)
    posted = await tg.next_message(village.chat, after=cursor)
    lines = posted["text"].splitlines()
    assert lines[0] == "📰 Šomēnes grupā Lejasciems"
    assert "🏆 Mazās uzvaras" in lines
    assert "• Pieturā ir jauns soliņš! (👏 0)" in lines
    assert "Jaunas: 1 · pieņemtas: 0 · īstenotas: 0" in lines
    assert "2 iedzīvotāji piedalījās · 0 atbalstu · 0 komentāru" in lines
    bot.job_queue.run_once(post_digest, 0, data=data)
    await tg.settle(quiet=0.5)
    digests = [m for m in tg.bot_messages(village.chat) if m["text"].startswith("📰")]
    assert len(digests) == 1
    async with database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(DigestPost)) == 1
    # Nothing happened since: the next period gets no digest.
    cursor = tg.mark()
    bot.job_queue.run_once(post_digest, 0, data={**data, "period": "2027-01-04"})
    await tg.settle(quiet=0.5)
    assert not [c for c in tg.calls[cursor:] if c.method == "sendMessage"]


async def test_a_period_with_nothing_to_tell_leaves_the_next_digest_scheduled(
    tg: BotApiEmulator, village: Village, bot: BotApplication, database: Database
) -> None:
    """The job that found nothing schedules the next period, not the one it just handled
    again (that second run was skipped by the job queue and the schedule was lost)."""
    community_id = await _community_id(database)
    due = (await _job(bot, community_id)).next_t
    with time_machine.travel(due + timedelta(seconds=1), tick=True):
        assert bot.job_queue is not None
        data = {"community_id": community_id, "period": due.astimezone(RIGA).date().isoformat()}
        bot.job_queue.run_once(post_digest, 0, data=data)
        await tg.settle(quiet=0.5)
        following = (await _job(bot, community_id)).next_t
    assert following > due + timedelta(days=27)
    assert not [m for m in tg.bot_messages(village.chat) if m["text"].startswith("📰")]


async def test_a_schedule_set_just_after_its_time_waits_for_the_next_one(
    tg: BotApiEmulator, village: Village, bot: BotApplication, database: Database
) -> None:
    """A leader who sets Friday 17:30 at 17:40 on a Friday gets the digest next Friday."""
    community_id = await _community_id(database)
    await _activity(tg, village)
    friday = datetime(2026, 12, 4, 17, 40, tzinfo=RIGA)
    with time_machine.travel(friday, tick=True):
        reply = await tg.ask(village.chat, village.admin, "/settings digest weekly fri 17:30")
        assert reply["text"].startswith("Saglabāts.")
        await tg.settle(quiet=0.5)
        weekly = (await _job(bot, community_id)).next_t.astimezone(RIGA)
    assert weekly == datetime(2026, 12, 11, 17, 30, tzinfo=RIGA)
    assert not [m for m in tg.bot_messages(village.chat) if m["text"].startswith("📰")]


async def test_a_digest_missed_while_down_is_posted_late_within_grace(
    tg: BotApiEmulator, village: Village, bot: BotApplication, database: Database
) -> None:
    community_id = await _community_id(database)
    await _activity(tg, village)
    due = (await _job(bot, community_id)).next_t
    # The bot comes back an hour after the due time: the digest goes out at once.
    with time_machine.travel(due + timedelta(hours=1), tick=True):
        cursor = tg.mark()
        await digest_jobs(bot)
        posted = await tg.next_message(village.chat, after=cursor)
        assert posted["text"].startswith("📰 Šomēnes grupā Lejasciems")
        await asyncio.sleep(0.3)
        following = (await _job(bot, community_id)).next_t
        assert following > due + timedelta(days=27)
        # Started again in the same period: nothing twice.
        cursor = tg.mark()
        await digest_jobs(bot)
        await tg.settle(quiet=0.4)
        assert not [c for c in tg.calls[cursor:] if c.method == "sendMessage"]


async def test_a_digest_missed_for_long_waits_for_the_next_period(
    tg: BotApiEmulator, village: Village, bot: BotApplication, database: Database
) -> None:
    community_id = await _community_id(database)
    await _activity(tg, village)
    due = (await _job(bot, community_id)).next_t
    with time_machine.travel(due + timedelta(hours=7), tick=True):
        cursor = tg.mark()
        await digest_jobs(bot)
        await tg.settle(quiet=0.4)
        assert not [c for c in tg.calls[cursor:] if c.method == "sendMessage"]
        assert (await _job(bot, community_id)).next_t > due + timedelta(days=27)


async def test_digest_on_demand_for_leaders(tg: BotApiEmulator, village: Village) -> None:
    admin = village.admin
    await tg.ask(admin, admin, "/start")
    empty = await tg.ask(admin, admin, "/digest")
    assert empty["text"].startswith("Kopš ")
    assert "grupā Lejasciems vēl nekā jauna" in empty["text"]
    await _activity(tg, village)
    cursor = tg.mark()
    text = await tg.ask(admin, admin, "/digest")
    assert text["text"].splitlines()[0] == "📰 Jaunumi — Lejasciems"  # the period on line 2
    assert "<b>" not in text["text"]
    assert "Pieturā ir jauns soliņš!" in text["text"]
    photo = await tg.wait_for(lambda c: c.method == "sendPhoto" and c.ok, after=cursor)
    upload = tg.files[photo.result["photo"][0]["file_id"]]
    assert upload.content.startswith(b"\x89PNG")
    assert photo.result["photo"][0]["width"] == 1080
    resident = village.resident
    await tg.ask(village.chat, resident, "/help")
    refused = await tg.ask(resident, resident, "/digest")
    assert refused["text"].startswith("Atvainojiet, to var darīt tikai darba grupa")
    in_group = await tg.ask(village.chat, admin, "/digest")
    assert in_group["text"] == "Tas darbojas privātā sarunā ar mani."


def test_riga_is_the_default_zone() -> None:
    assert datetime(2026, 7, 1, tzinfo=RIGA).utcoffset() == timedelta(hours=3)


async def test_the_digest_tells_closed_polls_and_decisions(
    tg: BotApiEmulator, village: Village, bot: BotApplication, database: Database
) -> None:
    community_id = await _community_id(database)
    cursor = tg.mark()
    await tg.send(village.chat, village.admin, "/poll Kur likt soliņu? | Pie veikala | Pie skolas")
    poll_call = await tg.wait_for(lambda c: c.method == "sendPoll" and c.ok, after=cursor)
    poll = poll_call.result
    await tg.settle()  # the outbox records the posted poll's ids just after sending it
    await tg.ask(village.chat, village.admin, "/papervotes 1=3 2=1", reply_to=poll)
    await tg.ask(village.chat, village.admin, "/closepoll", reply_to=poll)
    await tg.settle()
    decided = await tg.ask(village.chat, village.admin, "/decision Soliņu liekam pie veikala")
    assert "Soliņu liekam pie veikala" in decided["text"]
    assert bot.job_queue is not None
    cursor = tg.mark()
    bot.job_queue.run_once(post_digest, 0, data={"community_id": community_id, "period": "p"})
    call = await tg.wait_for(
        lambda c: c.ok and str(c.params.get("text", "")).startswith("📰"), after=cursor
    )
    lines = call.result["text"].splitlines()
    assert "🗳 Aptaujas" in lines
    assert "• Kur likt soliņu? — Pie veikala (75%)" in lines
    assert "📌 Lēmumi" in lines
    assert "• Soliņu liekam pie veikala" in lines


async def test_the_digest_tells_meetings_and_the_next_one(
    tg: BotApiEmulator, village: Village, bot: BotApplication, database: Database
) -> None:
    from tests.handlers.meeting_steps import schedule

    community_id = await _community_id(database)
    await schedule(tg, village.chat, village.admin)
    assert bot.job_queue is not None
    cursor = tg.mark()
    # Nothing else happened: the next meeting alone is no news, so no digest.
    bot.job_queue.run_once(post_digest, 0, data={"community_id": community_id, "period": "a"})
    await tg.settle(quiet=0.5)
    assert not [c for c in tg.calls[cursor:] if str(c.params.get("text", "")).startswith("📰")]
    await _activity(tg, village)
    cursor = tg.mark()
    bot.job_queue.run_once(post_digest, 0, data={"community_id": community_id, "period": "b"})
    call = await tg.wait_for(
        lambda c: c.ok and str(c.params.get("text", "")).startswith("📰"), after=cursor
    )
    assert "📅 Nākamā sanāksme: Sanāksme par paveikto" in call.result["text"]


async def test_the_digest_tells_meetings_held_with_their_minutes(
    tg: BotApiEmulator, village: Village, bot: BotApplication, database: Database
) -> None:
    from bot.app import runtime_of
    from bot.models import Meeting, MeetingMinutes, MeetingOccurrence
    from handlers.digest import compose

    held_at = utcnow() - timedelta(days=2)
    async with database.transaction() as session:
        community = await session.scalar(select(Community))
        assert community is not None
        meeting = Meeting(
            community_id=community.id,
            title="Sanāksme par paveikto",
            starts_at=held_at,
            timezone="Europe/Riga",
            repeat="once",
        )
        session.add(meeting)
        await session.flush()
        occurrence = MeetingOccurrence(
            community_id=community.id,
            meeting_id=meeting.id,
            original_start=held_at,
            starts_at=held_at,
        )
        session.add(occurrence)
        await session.flush()
        session.add(
            MeetingMinutes(
                community_id=community.id,
                occurrence_id=occurrence.id,
                text="Tiltu remontējam maijā",
            )
        )
    async with database.transaction() as session:
        community = await session.scalar(select(Community))
        assert community is not None
        composed = await compose(
            session, runtime_of(bot), community, held_at - timedelta(days=1), utcnow(), None
        )
    assert composed.has_news
    assert "📅 <b>Sanāksmes</b>" in composed.text
    assert "• Sanāksme par paveikto, " in composed.text
    assert "   ✍ Tiltu remontējam maijā" in composed.text
