"""The real `villagebot run` process: a weekly meeting two minutes ahead with a one-minute
reminder; the process is killed with SIGKILL between scheduling and the reminder and started
again (its clock a little before the reminder's time, as if the test had waited); the reminder
and, after a clean restart, the start notice each arrive exactly once, on time, and RSVPs made
before and after the crash are counted."""

from __future__ import annotations

import signal
from datetime import timedelta
from pathlib import Path

import pytest

from bot.models import utcnow
from bot.testing import BotApiEmulator
from tests.e2e.process import clock_at, villagebot
from tests.handlers.meeting_steps import RIGA, labels, schedule, sent_texts, wait_for_text

pytestmark = pytest.mark.e2e

REMINDER = "⏰ Atgādinājums. Līdz sanāksmei: 1 minūte"
START = "🔔 Sanāksme sākas tagad!"
ON_TIME = timedelta(seconds=10)
START_ROOM = timedelta(seconds=15)  # a restarted process's clock this much before a time
EXTRA = {"VILLAGEBOT_CARD_EDIT_SECONDS": "0.5"}


async def test_reminders_survive_a_crash(
    tg: BotApiEmulator, api_url: str, tmp_path: Path, database_url: str
) -> None:
    anna = tg.user("Anna", language_code="lv")
    janis = tg.user("Jānis", language_code="lv")
    village = tg.group("Lejasciems", admins=[anna], members=[janis])

    async with villagebot(tg, api_url, tmp_path, database_url, extra=EXTRA) as first:
        await tg.wait_for(lambda c: c.method == "deleteWebhook", timeout=60)
        cursor = tg.mark()
        await tg.add_bot(village, by=anna)
        await tg.next_message(village, after=cursor)
        saved = await tg.ask(village, anna, "/settings reminders 1m")
        assert saved["text"] == "Saglabāts. Sanāksmju atgādinājumi: 1 min"

        # Two whole minutes ahead, on the minute.
        ahead = (utcnow() + timedelta(minutes=2, seconds=59)).replace(second=0, microsecond=0)
        when = f"{ahead.astimezone(RIGA):%d.%m.%Y %H:%M}"
        card = await schedule(tg, village, anna, when, repeat="Katru nedēļu")
        query = await tg.press(card, "✅", by=janis)
        assert (await tg.answer_of(query))["text"].startswith("✅ Pierakstīts")
        assert utcnow() < ahead - timedelta(minutes=1), "too slow: the reminder time has come"
        assert await first.stop(signal.SIGKILL) == -signal.SIGKILL

    # Started again a little before the reminder's time (room for a slow start and an RSVP).
    reminder_at = ahead - timedelta(minutes=1)
    with clock_at(reminder_at - START_ROOM) as clock:
        async with villagebot(tg, api_url, tmp_path, database_url, extra=EXTRA | clock) as second:
            cursor = tg.mark()
            await tg.wait_for(lambda c: c.method == "deleteWebhook", after=cursor, timeout=60)
            query = await tg.press(card, "🤔", by=anna)
            assert (await tg.answer_of(query))["text"] == "🤔 Pierakstīts: varbūt."
            assert utcnow() < reminder_at, "too slow: the reminder time has come"

            wait = (reminder_at - utcnow()).total_seconds() + 15
            reminder = await wait_for_text(tg, village, REMINDER, after=cursor, timeout=wait)
            assert reminder_at <= utcnow() < reminder_at + ON_TIME
            assert labels(reminder) == ["✅ Piedalīšos · 1", "🤔 Varbūt · 1", "❌ Nevarēšu · 0"]
            await tg.settle(quiet=1)
            assert await second.stop() == 0, second.output()

    # And again a little before the meeting's start.
    with clock_at(ahead - START_ROOM) as clock:
        async with villagebot(tg, api_url, tmp_path, database_url, extra=EXTRA | clock) as third:
            cursor = tg.mark()
            await tg.wait_for(lambda c: c.method == "deleteWebhook", after=cursor, timeout=60)
            wait = (ahead - utcnow()).total_seconds() + 15
            notice = await wait_for_text(tg, village, START, after=cursor, timeout=wait)
            assert ahead <= utcnow() < ahead + ON_TIME
            assert labels(notice)[:2] == ["✅ Piedalīšos · 1", "🤔 Varbūt · 1"]
            await tg.settle(quiet=2)

            assert len(sent_texts(tg, village, REMINDER)) == 1
            assert len(sent_texts(tg, village, START)) == 1
            listed = await tg.ask(village, janis, "/meetings")
            assert len(listed["text"].splitlines()) == 6  # the next dates of the weekly series
            assert await third.stop() == 0, third.output()
    assert "Traceback" not in first.output() + second.output() + third.output()
