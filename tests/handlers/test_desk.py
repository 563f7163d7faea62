"""The working group's desk through the emulator: /stats with its chart, /export and /plan sent
only in private chat, /vision and /goal, and /log."""

from __future__ import annotations

import io
from typing import Any

import docx
import openpyxl

from bot.testing import BotApiEmulator, buttons
from tests.conftest import Village

ANNA_IDEA = "/idea Jauns rotaļu laukums pie skolas"


def _documents(tg: BotApiEmulator, chat_id: int, after: int) -> list[dict[str, Any]]:
    return [
        c.result["document"]
        for c in tg.calls[after:]
        if c.ok and c.method == "sendDocument" and str(c.params.get("chat_id")) == str(chat_id)
    ]


async def _documents_in(
    tg: BotApiEmulator, chat_id: int, after: int, count: int
) -> list[dict[str, Any]]:
    def enough() -> list[dict[str, Any]] | None:
        found = _documents(tg, chat_id, after)
        return found if len(found) >= count else None

    found = await tg.wait_until(enough, timeout=15)
    assert found is not None, [c.method for c in tg.calls[after:]]
    return found


async def _some_activity(tg: BotApiEmulator, village: Village) -> None:
    await tg.ask(village.chat, village.resident, ANNA_IDEA)
    await tg.ask(village.chat, village.admin, "/status 1 accepted")
    await tg.ask(village.chat, village.resident, "/strength Draudzīgi kaimiņi palīdz")
    await tg.ask(village.chat, village.admin, "/victory Pieturā ir jauns soliņš!")


async def test_stats_for_leaders_with_the_activity_chart(
    tg: BotApiEmulator, village: Village
) -> None:
    await _some_activity(tg, village)
    cursor = tg.mark()
    figures = await tg.ask(village.chat, village.admin, "/stats")
    lines = figures["text"].splitlines()
    assert lines[0] == "📊 Līdzdalība: Lejasciems"
    assert "👥 Zināmie dalībnieki: 2 · aktīvi pēdējās 30 dienās: 2" in lines
    assert "💡 Idejas: 1" in lines
    assert "   pa statusiem: Pieņemta 1" in lines
    assert "🏆 Mazās uzvaras: 1 · gaida apstiprinājumu 0 · 👏 0" in lines
    photo = await tg.wait_for(lambda c: c.method == "sendPhoto" and c.ok, after=cursor)
    picture = tg.files[photo.result["photo"][0]["file_id"]].content
    assert picture.startswith(b"\x89PNG")
    assert photo.result["caption"].startswith("📈 Aktivitāte pa nedēļām: Lejasciems.")
    refused = await tg.ask(village.chat, village.resident, "/stats")
    assert refused["text"].startswith("Atvainojiet, to var darīt tikai darba grupa")


async def test_export_in_the_group_is_sent_privately(tg: BotApiEmulator, village: Village) -> None:
    await _some_activity(tg, village)
    anna = village.admin
    # Anna has not started a private chat yet: a button opens it, nothing is posted.
    cursor = tg.mark()
    offer = await tg.ask(village.chat, anna, "/export")
    assert offer["text"].startswith("🔒 To sūtu tikai privātā sarunā")
    link = buttons(offer)[0]["url"]
    assert link.endswith("?start=export_1")
    await tg.settle()
    assert _documents(tg, village.chat.id, cursor) == []
    # The link's /start brings both files.
    cursor = tg.mark()
    await tg.private(anna, "/start " + link.split("start=")[1])
    workbook, archive = await _documents_in(tg, anna.id, cursor, 2)
    assert workbook["file_name"].startswith("lejasciems-")
    assert workbook["file_name"].endswith(".xlsx")
    assert archive["file_name"].endswith("-csv.zip")
    book = openpyxl.load_workbook(io.BytesIO(tg.files[workbook["file_id"]].content))
    ideas = [tuple(row) for row in book["Idejas"].iter_rows(values_only=True)]
    assert ideas[1][:5] == (1, "Jauns rotaļu laukums pie skolas", None, "Pieņemta", "Jānis")
    # Now that the private chat is open, /export in the group sends the files there at once.
    cursor = tg.mark()
    note = await tg.ask(village.chat, anna, "/export")
    assert note["text"] == "📬 Nosūtīju to jums mūsu privātajā sarunā."
    assert len(await _documents_in(tg, anna.id, cursor, 2)) == 2
    assert _documents(tg, village.chat.id, cursor) == []
    refused = await tg.ask(village.chat, village.resident, "/export")
    assert refused["text"].startswith("Atvainojiet, to var darīt tikai darba grupa")


async def test_a_residents_export_link_sends_nothing(tg: BotApiEmulator, village: Village) -> None:
    await tg.ask(village.chat, village.resident, ANNA_IDEA)
    janis = village.resident
    cursor = tg.mark()
    refused = await tg.ask(janis, janis, "/start export_1")
    assert refused["text"].startswith("Atvainojiet, to var darīt tikai darba grupa")
    stranger = await tg.ask(janis, janis, "/start export_99")
    assert stranger["text"] == "Jūs neesat šīs ciema grupas dalībnieks."
    await tg.settle()
    assert _documents(tg, janis.id, cursor) == []


async def test_the_plan_in_private_chat(tg: BotApiEmulator, village: Village) -> None:
    await _some_activity(tg, village)
    anna = village.admin
    await tg.ask(anna, anna, "/start")
    await tg.ask(anna, anna, "/vision Dzīvs ciems, kur ģimenes paliek")
    cursor = tg.mark()
    await tg.private(anna, "/plan")
    (document,) = await _documents_in(tg, anna.id, cursor, 1)
    assert document["file_name"].endswith(".docx")
    call = next(c for c in tg.calls[cursor:] if c.method == "sendDocument")
    assert call.result["caption"].startswith("📄 Attīstības plāns: Lejasciems. Melnraksts")
    plan = docx.Document(io.BytesIO(tg.files[document["file_id"]].content))
    headings = [p.text for p in plan.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "1. Pašreizējās situācijas analīze"
    assert len(headings) == 8
    assert "Dzīvs ciems, kur ģimenes paliek" in [p.text for p in plan.paragraphs]


async def test_vision_and_goals(tg: BotApiEmulator, village: Village) -> None:
    anna, janis = village.admin, village.resident
    empty = await tg.ask(village.chat, janis, "/vision")
    assert empty["text"].splitlines() == [
        "🌅 Vīzija: Lejasciems",
        "Vīzijas vēl nav: līderis to uzraksta ar /vision un tekstu.",
        "",
        "🎯 Mērķi",
        "Mērķu vēl nav: līderis katru pievieno ar /goal un tekstu.",
    ]
    refused = await tg.ask(village.chat, janis, "/vision Mana vīzija ciemam")
    assert refused["text"].startswith("Atvainojiet")
    saved = await tg.ask(village.chat, anna, "/vision Dzīvs ciems, kur <ģimenes> paliek")
    assert saved["text"].startswith("✅ Vīzija saglabāta.")
    assert "Dzīvs ciems, kur <ģimenes> paliek" in saved["text"].splitlines()
    added = await tg.ask(village.chat, anna, "/goal Apgaismots ceļš līdz stacijai")
    assert added["text"].startswith("✅ 1. mērķis pievienots.")
    await tg.ask(village.chat, anna, "/goal Rotaļu laukums pie skolas")
    removed = await tg.ask(village.chat, anna, "/goal -1")
    assert removed["text"].startswith("🗑 1. mērķis dzēsts: „Apgaismots ceļš līdz stacijai”")
    shown = await tg.ask(village.chat, janis, "/vision")
    assert "1. Rotaļu laukums pie skolas" in shown["text"].splitlines()
    assert "/goal -2" not in shown["text"]  # the how-to is for leaders
    missing = await tg.ask(village.chat, anna, "/goal -5")
    assert missing["text"] == "5. mērķa nav. Mērķus var redzēt ar /vision."
    usage = await tg.ask(village.chat, anna, "/goal")
    assert usage["text"].startswith("Uzrakstiet mērķi aiz komandas")
    short = await tg.ask(village.chat, anna, "/goal Nē")
    assert short["text"].startswith("Lūdzu, uzrakstiet mazliet vairāk")


async def test_the_log_shows_who_did_what(tg: BotApiEmulator, village: Village) -> None:
    await _some_activity(tg, village)
    await tg.ask(village.chat, village.admin, "/goal Apgaismots ceļš līdz stacijai")
    log = await tg.ask(village.chat, village.admin, "/log")
    lines = log["text"].splitlines()
    assert lines[:2] == ["📋 Darba grupas žurnāls: Lejasciems", "1. lapa no 1, jaunākie vispirms."]
    assert lines[3].endswith(" · Anna Ozola — pievienoja 1. mērķi")
    assert lines[4].endswith(" · Anna Ozola — paziņoja par mazo uzvaru")
    assert lines[5].endswith(" · Anna Ozola — idejai #1 iestatīja statusu „Pieņemta”")
    assert (await tg.ask(village.chat, village.admin, "/log 2"))["text"] == (
        "Žurnāla pēdējā lapa: /log 1"
    )
    assert (await tg.ask(village.chat, village.admin, "/log x"))["text"].startswith(
        "Uzrakstiet lapas numuru"
    )
    refused = await tg.ask(village.chat, village.resident, "/log")
    assert refused["text"].startswith("Atvainojiet")


async def test_a_leader_who_blocked_the_bot_gets_the_button_again(
    tg: BotApiEmulator, village: Village
) -> None:
    anna = village.admin
    await tg.ask(anna, anna, "/start")
    anna.blocked = True  # Telegram refuses private messages now; the bot does not know yet
    cursor = tg.mark()
    offer = await tg.ask(village.chat, anna, "/export")
    assert offer["text"].startswith("🔒 To sūtu tikai privātā sarunā")
    assert buttons(offer)[0]["url"].endswith("?start=export_1")
    assert _documents(tg, village.chat.id, cursor) == []
    again = await tg.ask(village.chat, anna, "/plan")  # now it knows: no attempt at all
    assert buttons(again)[0]["url"].endswith("?start=plan_1")
