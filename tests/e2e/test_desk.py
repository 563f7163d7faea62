"""The real `villagebot run` process: a village with data from every feature (an idea with
supports and a comment, SWOT inputs, a public poll with votes, a meeting with RSVPs and minutes,
a small victory, a decision, the vision and goals); the leader asks for /export and /plan in the
private chat and the files that arrive are opened and checked."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from sqlalchemy import select

from bot.db import Database
from bot.models import MeetingOccurrence
from bot.testing import BotApiEmulator
from tests.e2e.process import villagebot
from tests.handlers.meeting_steps import schedule

pytestmark = pytest.mark.e2e

FAST = {"VILLAGEBOT_CARD_EDIT_SECONDS": "0.3"}


async def _documents(
    tg: BotApiEmulator, chat_id: int, after: int, count: int
) -> list[dict[str, Any]]:
    def arrived() -> list[dict[str, Any]] | None:
        found = [
            c.result["document"]
            for c in tg.calls[after:]
            if c.ok and c.method == "sendDocument" and str(c.params.get("chat_id")) == str(chat_id)
        ]
        return found if len(found) >= count else None

    found = await tg.wait_until(arrived, timeout=30)
    assert found is not None, [c.method for c in tg.calls[after:]]
    return found


async def _meeting_took_place(database_url: str) -> None:
    """Three days pass: the meeting's date lies in the past (as in the meeting tests)."""
    database = Database(database_url)
    try:
        async with database.transaction() as session:
            for occurrence in await session.scalars(select(MeetingOccurrence)):
                occurrence.starts_at -= timedelta(days=4)
    finally:
        await database.dispose()


async def test_export_and_plan_of_a_village_with_everything(
    tg: BotApiEmulator, api_url: str, tmp_path: Path, database_url: str
) -> None:
    anna = tg.user("Anna", last_name="Ozola", language_code="lv")
    janis = tg.user("Jānis", language_code="lv")
    ilze = tg.user("Ilze", language_code="lv")
    village = tg.group("Lejasciems", admins=[anna], members=[janis, ilze])

    async with villagebot(tg, api_url, tmp_path, database_url, extra=FAST) as bot:
        await tg.wait_for(lambda c: c.method == "deleteWebhook", timeout=60)
        cursor = tg.mark()
        await tg.add_bot(village, by=anna)
        await tg.next_message(village, after=cursor)
        await tg.ask(anna, anna, "/start")

        card = await tg.ask(village, janis, "/idea Jauns rotaļu laukums pie skolas")
        for person in (ilze, anna):
            await tg.answer_of(await tg.press(card, "👍", person))
        cursor = tg.mark()
        await tg.send(village, ilze, "Labi, es palīdzēšu krāsot", reply_to=card)
        await tg.wait_for(lambda c: c.method == "setMessageReaction", after=cursor)
        await tg.ask(village, anna, "/status 1 accepted")
        await tg.ask(village, anna, "/ideaset 1 cost 1200")
        await tg.ask(village, anna, "/ideaset 1 funding LEADER programma")
        # Inputs within ten minutes are confirmed by one message that grows.
        await tg.ask(village, janis, "/strength Draudzīgi kaimiņi palīdz")
        cursor = tg.mark()
        await tg.send(village, ilze, "/weakness Nav vakara autobusa uz pilsētu")
        await tg.wait_for(lambda c: c.method == "editMessageText", after=cursor)

        cursor = tg.mark()
        await tg.send(village, anna, "/poll public Kur likt soliņu? | Pie veikala | Pie baznīcas")
        poll = (await tg.wait_for(lambda c: c.method == "sendPoll" and c.ok, after=cursor)).result
        await tg.settle(quiet=0.5)  # the outbox records the poll's ids once Telegram answered
        await tg.vote(poll, janis, [0])
        await tg.vote(poll, ilze, [1])

        meeting = await schedule(tg, village, anna)
        await tg.answer_of(await tg.press(meeting, "✅", janis))
        await tg.answer_of(await tg.press(meeting, "❌", ilze))
        await tg.settle(quiet=0.5)
        await _meeting_took_place(database_url)
        minutes = await tg.ask(village, anna, "/minutes Remontēsim ceļu maijā")
        assert minutes["text"].startswith("📝 Ierakstīts")

        await tg.ask(village, anna, "/victory Pieturā ir jauns soliņš!")
        await tg.ask(village, anna, "/decision 01.06.2027 Soliņu liekam pie veikala")
        await tg.ask(village, anna, "/vision Dzīvs ciems, kur ģimenes paliek")
        await tg.ask(village, anna, "/goal Apgaismots ceļš līdz stacijai")

        cursor = tg.mark()
        await tg.private(anna, "/export")
        workbook, archive = await _documents(tg, anna.id, cursor, 2)
        cursor = tg.mark()
        await tg.private(anna, "/plan")
        (plan,) = await _documents(tg, anna.id, cursor, 1)
        assert await bot.stop() == 0, bot.output()
        assert "Traceback" not in bot.output()

    book = openpyxl.load_workbook(io.BytesIO(tg.files[workbook["file_id"]].content))
    rows = {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    idea = rows["Idejas"][1]
    assert idea[:8] == (
        1,
        "Jauns rotaļu laukums pie skolas",
        None,
        "Pieņemta",
        "Jānis",
        2,
        1,
        None,
    )
    assert idea[8:10] == (1200, "LEADER programma")
    assert [r[1] for r in rows["Atbalsti"][1:]] == ["Ilze", "Anna Ozola"]
    assert rows["Komentāri"][1][1:3] == ("Ilze", "Labi, es palīdzēšu krāsot")
    assert [r[1] for r in rows["SVID ieraksti"][1:]] == ["S1", "W1"]
    assert [(r[2], r[3]) for r in rows["Aptauju atbilžu varianti"][1:]] == [
        ("Pie veikala", 1),
        ("Pie baznīcas", 1),
    ]
    assert sorted((r[2], r[3]) for r in rows["Balsis aptaujās"][1:]) == [
        ("Ilze", "Pie baznīcas"),
        ("Jānis", "Pie veikala"),
    ]
    assert rows["Sanāksmes"][1][5:9] == (1, 0, 1, 1)  # going, maybe, can't, minutes
    assert sorted(r[3] for r in rows["Atbildes uz ielūgumiem"][1:]) == ["Nevarēšu", "Piedalīšos"]
    assert rows["Protokols"][1][2] == "Remontēsim ceļu maijā"
    assert rows["Uzvaras"][1][:3] == ("Pieturā ir jauns soliņš!", "Anna Ozola", "Paziņota")
    assert rows["Lēmumi"][1][:2] == ("Soliņu liekam pie veikala", "Darba grupa")

    with zipfile.ZipFile(io.BytesIO(tg.files[archive["file_id"]].content)) as files:
        assert len(files.namelist()) == len(book.sheetnames)
        raw = files.read("01 Idejas.csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert lines[1][:2] == ["1", "Jauns rotaļu laukums pie skolas"]

    document = docx.Document(io.BytesIO(tg.files[plan["file_id"]].content))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "1. Pašreizējās situācijas analīze",
        "2. Vīzija un mērķi",
        "3. Stratēģija un rīcības plāns",
        "4. Izmērīšana un novērtēšana",
        "5. Budžets un finansēšanas avoti",
        "6. Sabiedriskā saziņa un komunikācija",
        "7. Laika grafiks un izpildes uzraudzība",
        "8. Pārskatīšana un pielāgošana",
    ]
    texts = [p.text for p in document.paragraphs]
    assert "Dzīvs ciems, kur ģimenes paliek" in texts
    assert "1. Apgaismots ceļš līdz stacijai" in texts
    cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert ["S1", "Draudzīgi kaimiņi palīdz", "1", "0", "1"] in cells
    assert ["LEADER programma", "1", "1\u00a0200"] in cells
    assert any(row[1:] == ["Soliņu liekam pie veikala", "01.06.2027"] for row in cells)
    assert any("Remontēsim ceļu maijā" in row for row in cells)
