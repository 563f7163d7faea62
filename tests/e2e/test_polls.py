"""The real `villagebot run` process: a public poll with a deadline a minute ahead, three
members vote (one changes), the one who has not voted is reminded privately, and the poll
closes by itself with the right counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.testing import BotApiEmulator
from tests.e2e.process import villagebot

pytestmark = pytest.mark.e2e


async def test_a_poll_with_a_deadline_end_to_end(
    tg: BotApiEmulator, api_url: str, tmp_path: Path, database_url: str
) -> None:
    anna = tg.user("Anna")
    janis, olga, peteris = tg.user("Jānis"), tg.user("Olga", language_code="ru"), tg.user("Pēteris")
    village = tg.group("Lejasciems", admins=[anna])

    async with villagebot(tg, api_url, tmp_path, database_url) as bot:
        await tg.wait_for(lambda c: c.method == "deleteWebhook", timeout=60)
        cursor = tg.mark()
        await tg.add_bot(village, by=anna)
        await tg.next_message(village, after=cursor)
        for person in (janis, olga, peteris):
            await tg.join(village, person)
            await tg.ask(person, person, "/start")

        cursor = tg.mark()
        await tg.send(village, anna, "/poll 1m public Kad rīkot talku? | Sestdien | Svētdien")
        await tg.settle()
        print([m.get("text") for m in tg.bot_messages(village)])
        posted = await tg.wait_for(lambda c: c.method == "sendPoll" and c.ok, after=cursor)
        poll = posted.result
        note = await tg.next_message(village, after=cursor + 1)
        assert note["text"].startswith("🗳 Balsošana beidzas ")

        await tg.vote(poll, anna, [0])
        await tg.vote(poll, janis, [1])
        await tg.vote(poll, olga, [1])
        await tg.vote(poll, janis, [0])  # Jānis changes his mind

        # Halfway through the minute, the one who has not voted is reminded privately.
        reminder = await tg.next_message(peteris, after=cursor, timeout=60)
        assert reminder["text"].startswith("⏰ Jūs vēl neesat nobalsojuši par „Kad rīkot talku?”")

        results = await tg.wait_for(
            lambda c: c.ok and c.method == "sendMessage" and "📊" in c.result.get("text", ""),
            after=cursor,
            timeout=60,
        )
        chart = await tg.wait_for(lambda c: c.ok and c.method == "sendPhoto", after=cursor)
        assert tg.message(village.id, poll["message_id"])["poll"]["is_closed"]
        assert results.result["text"].splitlines() == [
            "📊 Rezultāti: Kad rīkot talku?",
            "1. Sestdien — 2 (67%)",
            "2. Svētdien — 1 (33%)",
            "",
            "Tiešsaistē nobalsoja 3 no 4 man zināmajiem dalībniekiem (75%).",
        ]
        assert chart.result["reply_to_message"]["message_id"] == results.result["message_id"]
        # Only the one who had not voted got a private reminder, and only one.
        group_reminders = [
            m for m in tg.bot_messages(village) if m.get("text", "").startswith("⏰")
        ]
        assert len(group_reminders) == 1
        for person in (anna, janis, olga):
            assert not [m for m in tg.bot_messages(person) if m["text"].startswith("⏰")]
        assert len([m for m in tg.bot_messages(peteris) if m["text"].startswith("⏰")]) == 1

        code = await bot.stop()
        assert code == 0, bot.output()
        assert "Traceback" not in bot.output()
    assert len([c for c in tg.calls if c.method == "stopPoll"]) == 1
