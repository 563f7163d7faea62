"""The real `villagebot run` process: residents add eight SWOT inputs across the quadrants (in
the group and in a private guided flow), rate them in private, a leader asks to merge two and
confirms after the bot was restarted, and /swot shows the merged ranking and sends the 2×2
picture."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.testing import BotApiEmulator, FakeUser, buttons
from tests.e2e.process import villagebot

pytestmark = pytest.mark.e2e


def _code_of(card: dict[str, Any]) -> str:
    """The code on a rating card: its second line ends with it ("💪 Stiprās puses · S1")."""
    return str(card["text"].splitlines()[1].rsplit(" ", 1)[-1])


async def _rate_all(tg: BotApiEmulator, person: FakeUser, disagree: set[str]) -> list[str]:
    """Rate every input shown, one card at a time; returns the codes in the order shown."""
    await tg.ask(person, person, "/start")
    card = await tg.ask(person, person, "/swotvote")
    seen: list[str] = []
    while buttons(card):
        code = _code_of(card)
        seen.append(code)
        cursor = tg.mark()
        await tg.press(card, "👎" if code in disagree else "👍", by=person)
        await tg.wait_for(lambda c: c.method == "editMessageText" and c.ok, after=cursor)
        card = tg.bot_messages(person)[-1]
    assert card["text"].startswith("Jūs esat novērtējuši visus ierakstus.")
    return seen


async def test_swot_end_to_end(
    tg: BotApiEmulator, api_url: str, tmp_path: Path, database_url: str
) -> None:
    anna = tg.user("Anna", language_code="lv")
    janis = tg.user("Jānis", language_code="lv")
    ilze = tg.user("Ilze", language_code="lv")
    peteris = tg.user("Pēteris", language_code="lv")
    village = tg.group("Lejasciems", admins=[anna], members=[janis, ilze, peteris])

    async with villagebot(tg, api_url, tmp_path, database_url) as bot:
        await tg.wait_for(lambda c: c.method == "deleteWebhook", timeout=60)
        cursor = tg.mark()
        await tg.add_bot(village, by=anna)
        await tg.next_message(village, after=cursor)

        # Six inputs in the group, confirmed by one message that grows.
        first = await tg.ask(village, janis, "/strength Kaimiņi palīdz cits citam")
        assert first["text"].startswith("✅ Pievienots SVID analīzei: S1 (Jānis).")
        for person, command in (
            (ilze, "/strength Mums ir laba skola"),
            (peteris, "/strength Laba pamatskola ciemā"),
            (janis, "/weakness Vakarā nav autobusa uz pilsētu"),
            (ilze, "/opportunity ES finansējums ciema projektiem"),
            (peteris, "/threat Jaunās ģimenes pārceļas prom"),
        ):
            await tg.send(village, person, command)
        key = (village.id, first["message_id"])
        await tg.wait_until(lambda: "T1 (Pēteris)" in tg.messages[key]["text"] or None, 20)
        assert tg.messages[key]["text"] == (
            "✅ Pievienots SVID analīzei: S1 (Jānis), S2 (Ilze), S3 (Pēteris), W1 (Jānis), "
            "O1 (Ilze), T1 (Pēteris). Tabula: /swot"
        )
        assert len(tg.bot_messages(village)) == 2  # the greeting and the confirmation

        # Two more in a private guided flow.
        await tg.ask(anna, anna, "/start")
        prompt = await tg.ask(anna, anna, "/weakness")
        assert prompt["text"].startswith("🔧 Vājās puses — Lejasciems")
        assert "W2" in (await tg.ask(anna, anna, "Nav veikala tuvumā"))["text"]
        added = await tg.ask(anna, anna, "Slikts ceļš uz Rīgu")
        assert "W3" in added["text"]
        cursor = tg.mark()
        await tg.press(added, "✅ Gatavs", by=anna)
        await tg.next_message(anna, after=cursor)

        # Residents rate in private, one input at a time, never their own.
        janis_saw = await _rate_all(tg, janis, disagree={"W3"})
        assert sorted(janis_saw) == ["O1", "S2", "S3", "T1", "W2", "W3"]
        ilze_saw = await _rate_all(tg, ilze, disagree={"S1"})
        assert sorted(ilze_saw) == ["S1", "S3", "T1", "W1", "W2", "W3"]

        # A leader asks to merge the duplicate; the question outlives a restart.
        question = await tg.ask(village, anna, "/swotmerge S3 S2")
        assert question["text"].startswith("Apvienot S3 ar S2?")
        assert await bot.stop() == 0, bot.output()

    async with villagebot(tg, api_url, tmp_path, database_url) as bot:
        cursor = tg.mark()
        await tg.wait_for(lambda c: c.method == "deleteWebhook", after=cursor, timeout=60)
        # Confirmed: votes and authors carry over, one vote per member.
        await tg.press(question, "✅ Apvienot", by=anna)
        await tg.wait_for(lambda c: c.method == "editMessageText" and c.ok, after=cursor)
        merged = tg.message(village.id, question["message_id"])
        assert merged["text"] == "S3 apvienots ar S2: tā balsis un autori pārgāja līdzi."

        cursor = tg.mark()
        await tg.send(village, peteris, "/swot")
        board = await tg.next_message(village, after=cursor)
        lines = board["text"].splitlines()
        strengths = lines.index("💪 Stiprās puses")
        assert lines[strengths + 1 : strengths + 3] == [
            "S2 Mums ir laba skola · 👍 3 👎 0",
            "S1 Kaimiņi palīdz cits citam · 👍 1 👎 1",
        ]
        weaknesses = lines.index("🔧 Vājās puses")
        assert lines[weaknesses + 1 : weaknesses + 4] == [
            "W2 Nav veikala tuvumā · 👍 3 👎 0",
            "W1 Vakarā nav autobusa uz pilsētu · 👍 2 👎 0",
            "W3 Slikts ceļš uz Rīgu · 👍 2 👎 1",
        ]
        assert "S3" not in board["text"]
        photo = await tg.wait_for(lambda c: c.method == "sendPhoto", after=cursor, timeout=60)
        assert photo.ok, photo.error
        picture = tg.files[photo.result["photo"][-1]["file_id"]].content
        assert picture.startswith(b"\x89PNG\r\n\x1a\n")
        assert 10_000 < len(picture) < 1_000_000

        assert await bot.stop() == 0, bot.output()
        assert "Traceback" not in bot.output()
