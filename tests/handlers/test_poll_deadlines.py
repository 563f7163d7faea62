"""Deadlines and reminders with controlled time: a poll closes by itself exactly once, also
after a restart, and only members who have not voted are reminded, once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select

from bot import scheduler
from bot.db import Database
from bot.models import Decision, DecisionSource, Poll, utcnow
from bot.runtime import BotApplication
from bot.testing import BotApiEmulator, buttons, running_bot, settings_for
from tests.conftest import Village
from tests.handlers.test_polls import create_poll


@contextmanager
def later(delta: timedelta) -> Iterator[datetime]:
    """The clock moved on by `delta` (and keeps ticking)."""
    target = utcnow() + delta
    with time_machine.travel(target, tick=True):
        yield target


async def _results_posted(tg: BotApiEmulator, after: int) -> dict[str, Any]:
    photo = await tg.wait_for(lambda c: c.method == "sendPhoto" and c.ok, after=after)
    result: dict[str, Any] = photo.result
    return result


def _results_texts(tg: BotApiEmulator, village: Village) -> list[str]:
    return [m["text"] for m in tg.bot_messages(village.chat) if m.get("text", "").startswith("📊")]


async def _poll_row(database: Database) -> Poll:
    async with database.transaction() as session:
        poll = await session.scalar(select(Poll))
    assert poll is not None
    return poll


async def test_the_deadline_closes_the_poll_once(
    tg: BotApiEmulator, village: Village, bot: BotApplication, database: Database
) -> None:
    poll = await create_poll(tg, village, "/poll 1h public Talka sestdien? | Jā | Nē")
    await tg.vote(poll, village.admin, [0])
    await tg.vote(poll, village.resident, [1])
    await tg.settle(quiet=0.1)
    stored = await _poll_row(database)
    assert bot.job_queue is not None
    assert bot.job_queue.get_jobs_by_name(f"poll-close:{stored.id}")
    with later(timedelta(hours=1, seconds=2)):
        cursor = tg.mark()
        await scheduler.rebuild(bot)  # the jobs as at start-up, now that the time has come
        await _results_posted(tg, cursor)
        await tg.settle(quiet=0.2)
        assert tg.message(village.chat.id, poll["message_id"])["poll"]["is_closed"]
        # Nothing closes twice: neither the jobs rebuilt again, nor a leader, nor a stray job.
        cursor = tg.mark()
        await scheduler.rebuild(bot)
        from handlers.poll_lifecycle import close_job

        bot.job_queue.run_once(
            close_job, 0, data={"community_id": stored.community_id, "poll_id": stored.id}
        )
        again = await tg.ask(village.chat, village.admin, "/closepoll", reply_to=poll)
        assert again["text"] == "Šī aptauja jau ir slēgta."
        await tg.settle(quiet=0.3)
    assert [c.method for c in tg.calls[cursor:] if c.method in ("stopPoll", "sendPhoto")] == []
    assert len([c for c in tg.calls if c.method == "stopPoll"]) == 1
    assert _results_texts(tg, village) == [
        "📊 Rezultāti: Talka sestdien?\n1. Jā — 1 (50%)\n2. Nē — 1 (50%)\n\n"
        "Tiešsaistē nobalsoja 2 no 2 man zināmajiem dalībniekiem (100%)."
    ]
    assert (await _poll_row(database)).closed_at is not None


async def test_a_restart_between_creation_and_deadline(
    tg: BotApiEmulator, api_url: str, database_url: str
) -> None:
    anna = tg.user("Anna")
    janis = tg.user("Jānis")
    chat = tg.group("Lejasciems", admins=[anna], members=[janis])
    settings = settings_for(tg, api_url, database_url)
    async with running_bot(settings):
        cursor = tg.mark()
        await tg.add_bot(chat, by=anna)
        await tg.next_message(chat, after=cursor)
        village = Village(chat, anna, janis)
        poll = await create_poll(tg, village, "/poll 2h Talka sestdien? | Jā | Nē")
        await tg.vote(poll, janis, [1])
        await tg.settle(quiet=0.2)
    # The bot is down when the deadline passes; it closes the poll as soon as it is back.
    with later(timedelta(hours=3)):
        cursor = tg.mark()
        async with running_bot(settings) as bot:
            await _results_posted(tg, cursor)
            await tg.settle(quiet=0.2)
            await scheduler.rebuild(bot)
            await tg.settle(quiet=0.3)
    assert len([c for c in tg.calls if c.method == "stopPoll"]) == 1
    [results] = _results_texts(tg, village)
    assert "2. Nē — 1 (100%)" in results
    # Started again later, nothing more happens.
    cursor = tg.mark()
    async with running_bot(settings):
        await tg.settle(quiet=0.3)
    assert [c.method for c in tg.calls[cursor:] if c.method in ("stopPoll", "sendMessage")] == []


async def test_only_members_who_have_not_voted_are_reminded_once(
    tg: BotApiEmulator, village: Village, bot: BotApplication, database: Database
) -> None:
    admin, janis = village.admin, village.resident
    olga = tg.user("Olga", language_code="ru")
    silent = tg.user("Pēteris")
    for person in (olga, silent):
        await tg.join(village.chat, person)
    await tg.ask(village.chat, janis, "/help")  # so the bot knows him as a member
    for person in (admin, janis, olga):
        await tg.ask(person, person, "/start")
    saved = await tg.ask(village.chat, admin, "/settings pollreminder 30m")
    assert saved["text"] == "Saglabāts. Atgādinājums par aptauju pirms termiņa: 30 min"
    poll = await create_poll(tg, village, "/poll 1h public Talka sestdien? | Jā | Nē")
    await tg.vote(poll, admin, [0])
    await tg.vote(poll, olga, [1])
    await tg.vote(poll, olga, [])  # Olga took her vote back: she has not voted
    await tg.settle(quiet=0.1)
    private_before = {p.id: len(tg.bot_messages(p)) for p in (admin, janis, olga)}
    with later(timedelta(minutes=31)):
        cursor = tg.mark()
        await scheduler.rebuild(bot)
        reminder = await tg.next_message(village.chat, after=cursor)
        await tg.settle(quiet=0.3)
        await scheduler.rebuild(bot)  # a second run reminds nobody again
        await tg.settle(quiet=0.3)
    assert reminder["text"].startswith("⏰ Balsošana par „Talka sestdien?” beidzas ")
    assert reminder["reply_to_message"]["message_id"] == poll["message_id"]
    assert len(tg.bot_messages(admin)) == private_before[admin.id]
    [to_janis] = tg.bot_messages(janis)[private_before[janis.id] :]
    assert to_janis["text"].startswith("⏰ Jūs vēl neesat nobalsojuši par „Talka sestdien?”")
    link = buttons(to_janis)[0]["url"]
    assert link == f"https://t.me/c/{str(village.chat.id)[4:]}/{poll['message_id']}"
    [to_olga] = tg.bot_messages(olga)[private_before[olga.id] :]
    assert to_olga["text"].startswith("⏰ Вы ещё не проголосовали в опросе «Talka sestdien?»")
    assert tg.bot_messages(silent) == []  # never started the bot: only the group reminder
    group_reminders = [
        m for m in tg.bot_messages(village.chat) if m.get("text", "").startswith("⏰")
    ]
    assert len(group_reminders) == 1


async def test_anonymous_polls_are_reminded_in_the_group_only(
    tg: BotApiEmulator, village: Village, bot: BotApplication
) -> None:
    await tg.ask(village.chat, village.resident, "/help")
    await tg.ask(village.resident, village.resident, "/start")
    before = len(tg.bot_messages(village.resident))
    await create_poll(tg, village, "/poll 2d Talka sestdien? | Jā | Nē")
    await tg.settle(quiet=0.3)  # the poll's own messages are all out before the reminder
    with later(timedelta(days=1, minutes=1)):
        cursor = tg.mark()
        await scheduler.rebuild(bot)
        reminder = await tg.next_message(village.chat, after=cursor)
        await tg.settle(quiet=0.2)
    assert reminder["text"].startswith("⏰")
    assert len(tg.bot_messages(village.resident)) == before


async def test_the_reminder_setting_moves_open_polls_reminders(
    tg: BotApiEmulator, village: Village, bot: BotApplication, database: Database
) -> None:
    # The deadline and the reminder in the units the Latvian help texts show.
    await create_poll(tg, village, "/poll 3 dienas Talka sestdien? | Jā | Nē")
    stored = await _poll_row(database)
    assert stored.question == "Talka sestdien?"
    assert stored.closes_at is not None
    assert abs(stored.closes_at - stored.created_at - timedelta(days=3)) < timedelta(seconds=5)
    queue = bot.job_queue
    assert queue is not None
    name = f"poll-remind:{stored.id}"

    def planned() -> list[datetime]:
        return [job.next_t for job in queue.get_jobs_by_name(name) if job.next_t is not None]

    def near(moment: datetime) -> bool:
        return [abs(t - moment) < timedelta(seconds=1) for t in planned()] == [True]

    assert near(stored.closes_at - timedelta(days=1))
    await tg.ask(village.chat, village.admin, "/settings pollreminder none")
    await tg.settle(quiet=0.2)
    assert planned() == []
    await tg.ask(village.chat, village.admin, "/settings pollreminder 2 st")
    await tg.settle(quiet=0.2)
    assert near(stored.closes_at - timedelta(hours=2))
    await tg.ask(village.chat, village.admin, "/settings pollreminder 3h")
    await tg.settle(quiet=0.2)
    assert near(stored.closes_at - timedelta(hours=3))
    wrong = await tg.ask(village.chat, village.admin, "/settings pollreminder soon")
    assert wrong["text"] == "„soon” nav ilgums. Rakstiet, piemēram, 15 min, 2 st, 3 d vai 1 ned."


async def test_a_decision_from_the_results_and_its_review(
    tg: BotApiEmulator, village: Village, bot: BotApplication, database: Database
) -> None:
    poll = await create_poll(tg, village, "/poll Talka sestdien? | Jā | Nē")
    cursor = tg.mark()
    results = await tg.ask(village.chat, village.admin, "/closepoll", reply_to=poll)
    await tg.wait_for(lambda c: c.method == "sendPhoto" and c.ok, after=cursor)
    refused = await tg.ask(village.chat, village.resident, "/decision Talka būs", reply_to=results)
    assert refused["text"].startswith("Atvainojiet")
    usage = await tg.ask(village.chat, village.admin, "/decision")
    assert usage["text"].startswith("Uzrakstiet lēmumu")
    riga = ZoneInfo("Europe/Riga")
    review = (utcnow().astimezone(riga) + timedelta(days=10)).date()
    recorded = await tg.ask(
        village.chat,
        village.admin,
        f"/decision {review:%d.%m.%Y} Talka būs sestdien, <b>visi</b> nāk!",
        reply_to=results,
    )
    lines = recorded["text"].splitlines()
    assert lines[0] == "✅ Lēmums ierakstīts: Talka būs sestdien, <b>visi</b> nāk!"
    assert lines[1].endswith("atgādināšu darba grupai to pārskatīt.")
    plain = await tg.ask(village.chat, village.admin, "/decision Nopirksim jaunu soliņu.")
    assert plain["text"] == "✅ Lēmums ierakstīts: Nopirksim jaunu soliņu."
    async with database.transaction() as session:
        rows = list(await session.scalars(select(Decision).order_by(Decision.id)))
        stored = await session.scalar(select(Poll))
    assert stored is not None
    assert [(d.source, d.poll_id, d.review_on) for d in rows] == [
        (DecisionSource.POLL, stored.id, review),
        (DecisionSource.LEADER, None, None),
    ]
    review_time = datetime.combine(review, datetime.min.time().replace(hour=9), tzinfo=riga)
    with time_machine.travel(review_time + timedelta(minutes=1), tick=True):
        cursor = tg.mark()
        await scheduler.rebuild(bot)
        reminder = await tg.next_message(village.chat, after=cursor)
        await scheduler.rebuild(bot)
        await tg.settle(quiet=0.3)
    assert reminder["text"].startswith("🔁 Darba grupai: šodien jāpārskata ")
    assert reminder["text"].endswith("pieņemtais lēmums: Talka būs sestdien, <b>visi</b> nāk!")
    assert (
        len([m for m in tg.bot_messages(village.chat) if m.get("text", "").startswith("🔁")]) == 1
    )


async def test_two_workers_closing_at_once_close_the_poll_once(
    tg: BotApiEmulator, village: Village, bot: BotApplication, database: Database
) -> None:
    """Every worker of a region runs the deadline's job: the close is claimed in the
    transaction that writes its messages, so the poll is stopped and its results posted
    once, however many run it."""
    from handlers.poll_lifecycle import close_job

    poll = await create_poll(tg, village, "/poll 1h public Talka sestdien? | Jā | Nē")
    await tg.settle(quiet=0.3)
    assert bot.job_queue is not None
    stored = await _poll_row(database)
    data = {"community_id": stored.community_id, "poll_id": stored.id}
    cursor = tg.mark()
    for _ in range(3):
        bot.job_queue.run_once(close_job, 0, data=data)
    await _results_posted(tg, cursor)
    await tg.settle(quiet=0.5)
    assert tg.message(village.chat.id, poll["message_id"])["poll"]["is_closed"]
    assert [c.method for c in tg.calls[cursor:]] == ["stopPoll", "sendMessage", "sendPhoto"]
