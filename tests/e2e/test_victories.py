"""The real process: a resident's victory approved in private and applauded, a done idea
celebrated, and a digest due a minute ahead posted exactly once by the process started again
just before it, and not again by one started after it."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.testing import BotApiEmulator, buttons
from tests.e2e.process import clock_at, villagebot

pytestmark = pytest.mark.e2e

RIGA = ZoneInfo("Europe/Riga")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _next_minute(margin: timedelta = timedelta(seconds=15)) -> datetime:
    """The next whole minute at least `margin` ahead, in Riga time."""
    soon = datetime.now(RIGA) + margin
    return soon.replace(second=0, microsecond=0) + timedelta(minutes=1)


async def test_victories_and_digest_end_to_end(
    tg: BotApiEmulator, api_url: str, tmp_path: Path, database_url: str
) -> None:
    leader = tg.user("Anna", language_code="lv")
    resident = tg.user("Jānis", language_code="lv")
    neighbour = tg.user("Ilze", language_code="lv")
    village = tg.group("Lejasciems", admins=[leader], members=[resident, neighbour])
    fast = {"VILLAGEBOT_CARD_EDIT_SECONDS": "0.3"}

    async with villagebot(tg, api_url, tmp_path, database_url, extra=fast) as bot:
        await tg.wait_for(lambda c: c.method == "deleteWebhook", timeout=60)
        cursor = tg.mark()
        await tg.add_bot(village, by=leader)
        await tg.next_message(village, after=cursor)
        for person in (leader, resident):
            await tg.ask(person, person, "/start")
        await tg.ask(village, resident, "/help")

        cursor = tg.mark()
        await tg.ask(village, resident, "/victory Sakopām parku kopā ar kaimiņiem!")
        review = await tg.next_message(leader, after=cursor)
        cursor = tg.mark()
        await tg.answer_of(await tg.press(review, "✅", leader))
        card = await tg.next_message(village, after=cursor)
        assert card["text"].startswith("🏆 Mazā uzvara!\nSakopām parku kopā ar kaimiņiem!")
        notice = await tg.next_message(resident, after=cursor)
        assert notice["text"].startswith("🎉 Jūsu mazā uzvara ir paziņota")
        for person in (neighbour, leader):
            await tg.answer_of(await tg.press(card, "👏", person))
        await tg.settle(quiet=0.6)
        assert buttons(tg.message(village.id, card["message_id"]))[0]["text"] == "👏 2"

        await tg.ask(village, resident, "/idea Jauns rotaļu laukums pie skolas")
        done = await tg.ask(village, leader, "/status 1 done")
        assert done["text"].startswith("🎉 Ideja #1 ir īstenota")
        await tg.answer_of(await tg.press(done, "🏆", leader))
        await tg.settle(quiet=0.6)
        assert tg.message(village.id, done["message_id"])["text"].startswith("🏆 Mazā uzvara!")

        due = _next_minute()
        when = f"{DAYS[due.weekday()]} {due:%H:%M}"
        saved = await tg.ask(village, leader, f"/settings digest weekly {when}")
        assert saved["text"].startswith("Saglabāts. Ciema pārskats: katru nedēļu")
        assert await bot.stop() == 0, bot.output()

    # Started again a little before the digest's time, as if the test had waited.
    with clock_at(due - timedelta(seconds=15)) as clock:
        async with villagebot(tg, api_url, tmp_path, database_url, extra=fast | clock) as bot:
            cursor = tg.mark()
            wait = (due - datetime.now(RIGA)).total_seconds() + 20
            posted = await tg.wait_for(
                lambda c: c.ok and str(c.params.get("text", "")).startswith("📰"),
                after=cursor,
                timeout=wait,
            )
            assert due <= datetime.now(RIGA) < due + timedelta(seconds=10)
            assert "Šonedēļ grupā Lejasciems" in posted.result["text"]
            assert "Sakopām parku kopā ar kaimiņiem! (👏 2)" in posted.result["text"]
            assert await bot.stop() == 0, bot.output()

    # And after it, within the time a missed digest is still posted: not posted again.
    with clock_at(due + timedelta(seconds=30)) as clock:
        restart = tg.mark()
        async with villagebot(tg, api_url, tmp_path, database_url, extra=fast | clock) as bot:
            await tg.wait_for(lambda c: c.method == "deleteWebhook", after=restart, timeout=60)
            await tg.ask(village, resident, "/help")
            await tg.settle(quiet=1.0)
            assert await bot.stop() == 0, bot.output()
    digests = [m for m in tg.bot_messages(village) if m["text"].startswith("📰")]
    assert len(digests) == 1
