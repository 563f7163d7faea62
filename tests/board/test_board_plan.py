"""The plan and figures on the board: the eight parts of /plan's draft, the .docx sent to a
leader's private chat from it, and the /stats figures with the weekly chart in the page."""

from __future__ import annotations

import base64
import re

from sqlalchemy import func, select

from bot.db import Database
from bot.i18n import Catalogs
from bot.models import AuditEntry, BudgetRound
from bot.render import budget as budget_render
from bot.resources import locales_dir
from bot.services import budget_results
from bot.testing import BotApiEmulator
from bot.testing.board import BoardClient
from tests.board.conftest import village_id
from tests.conftest import Village, new_village
from tests.handlers.test_desk import _documents, _documents_in


async def _some_work(tg: BotApiEmulator, village: Village) -> None:
    chat, anna, janis = village.chat, village.admin, village.resident
    await tg.ask(chat, janis, "/idea Jauns rotaļu laukums pie skolas")
    await tg.ask(chat, anna, "/status 1 accepted")
    await tg.ask(chat, anna, "/ideaset 1 cost 1200")
    await tg.ask(chat, anna, "/ideaset 1 funding LEADER")
    await tg.ask(chat, anna, "/ideaset 1 progress 30")
    await tg.ask(chat, janis, "/strength Draudzīgi kaimiņi palīdz")
    await tg.ask(chat, anna, "/vision Dzīvs ciems, kur ģimenes paliek")
    await tg.ask(chat, anna, "/goal Apgaismots ceļš līdz stacijai")
    await tg.ask(chat, anna, "/victory Pieturā ir jauns soliņš!")


async def test_the_plan_view_shows_the_eight_parts(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    await _some_work(tg, village)
    vid = await village_id(database, village.chat)
    leader = await board.get(village.admin, f"/board/api/v/{vid}/plan")
    assert leader.status == 200
    parts = re.findall(r'<h3 id="part-\d">([^<]*)</h3>', leader.text)
    assert len(parts) == 8
    assert parts[0] == "1. Pašreizējās situācijas analīze"
    for shown in (
        "Draudzīgi kaimiņi palīdz",  # part 1: the SWOT
        "Dzīvs ciems, kur ģimenes paliek",  # part 2: the vision
        "Apgaismots ceļš līdz stacijai",  # and a goal
        "Jauns rotaļu laukums pie skolas",  # part 3: the action plan
        "Pieturā ir jauns soliņš!",  # part 4: a victory
        "LEADER",  # part 5: the budget per funding source
        "1\xa0200",  # euros as Latvian writes them
    ):
        assert shown in leader.text, shown
    # Progress per area: the one idea, accepted, in an area not chosen yet.
    assert "Pieņemta 1" in leader.text
    assert 'data-action="plan/send"' in leader.text
    resident = await board.get(village.resident, f"/board/api/v/{vid}/plan")
    assert resident.status == 200
    assert "Dzīvs ciems, kur ģimenes paliek" in resident.text
    assert 'data-action="plan/send"' not in resident.text


async def test_sending_the_plan_to_the_private_chat(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    await _some_work(tg, village)
    anna = village.admin
    vid = await village_id(database, village.chat)
    path = f"/board/api/v/{vid}/plan/send"
    # Anna never started the bot: the answer says so, with the link that brings the plan.
    cursor = tg.mark()
    offer = await board.post(anna, path)
    assert offer.status == 200
    assert "Jums vēl nav privātās sarunas ar mani" in offer.text
    assert "?start=plan_" in offer.text
    await tg.settle(quiet=0.4)
    assert _documents(tg, anna.id, cursor) == []
    # With the private chat open, the .docx comes there, through the outbox.
    await tg.ask(anna, anna, "/start")
    cursor = tg.mark()
    sent = await board.post(anna, path)
    assert sent.status == 200
    assert "Nosūtīju to jums mūsu privātajā sarunā" in sent.text
    (document,) = await _documents_in(tg, anna.id, cursor, 1)
    assert document["file_name"].endswith(".docx")
    assert _documents(tg, village.chat.id, cursor) == []
    async with database.transaction() as session:
        logged = await session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "plan")
        )
    assert logged == 1


async def test_a_resident_cannot_send_the_plan(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    janis = village.resident
    await tg.ask(janis, janis, "/start")
    vid = await village_id(database, village.chat)
    cursor = tg.mark()
    refused = await board.post(janis, f"/board/api/v/{vid}/plan/send")
    assert refused.status == 403
    assert "Atvainojiet, to var darīt tikai darba grupa" in refused.text
    await tg.settle(quiet=0.4)
    assert _documents(tg, janis.id, cursor) == []
    other = await new_village(tg)
    assert (await board.get(other.resident, f"/board/api/v/{vid}/plan")).status == 403
    assert (await board.post(other.admin, f"/board/api/v/{vid}/plan/send")).status == 403


async def test_the_figures_view_has_the_chart_in_the_page(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    await _some_work(tg, village)
    vid = await village_id(database, village.chat)
    answer = await board.get(village.resident, f"/board/api/v/{vid}/figures")
    assert answer.status == 200
    found = re.search(
        r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"[^>]*alt="([^"]+)"', answer.text
    )
    assert found is not None
    assert base64.b64decode(found.group(1)).startswith(b"\x89PNG")
    alt = found.group(2)
    assert "pēdējos sešos mēnešos" in alt
    assert re.search(r"\d+ darbīb", alt)
    assert "Zināmie dalībnieki" in answer.text
    assert "Pieņemta" in answer.text
    leader = await board.get(village.admin, f"/board/api/v/{vid}/figures")
    assert leader.status == 200


async def test_the_plan_view_shows_each_budget_round(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    """Part 5 on the board: the round while it is voted on, then counted (as the .docx
    writes it: the same service and the same texts)."""
    await _some_work(tg, village)
    chat, anna = village.chat, village.admin
    vid = await village_id(database, village.chat)
    page = await board.get(anna, f"/board/api/v/{vid}/plan")
    assert "Līdzdalības budžeta vēl nav: līderi to atver ar /budget." in page.text
    await tg.ask(chat, anna, "/budget 5000 14d Ciema budžets")
    prepared = await board.get(anna, f"/board/api/v/{vid}/plan")
    assert "„Ciema budžets”" not in prepared.text  # not news while it is being prepared
    await tg.ask(chat, anna, "/budget start")
    await tg.ask(chat, anna, "/budget paper 1")
    voting = await board.get(village.resident, f"/board/api/v/{vid}/plan")
    assert "Līdzdalības budžets „Ciema budžets”" in voting.text
    assert "Balsošana līdz " in voting.text
    assert "Balsošanas sarakstā ir 1 ideja." in voting.text
    assert "Papīra biļeteni: 1." in voting.text
    async with database.transaction() as session:
        round_ = await session.scalar(select(BudgetRound).where(BudgetRound.community_id == vid))
        assert round_ is not None
        labels = budget_render.Labels(Catalogs.load(locales_dir()).translator("lv"))
        await budget_results.count(session, round_, labels)
    counted = await board.get(village.resident, f"/board/api/v/{vid}/plan")
    assert "Balsošana līdz " not in counted.text
    assert "Saskaitīts " in counted.text
    part = counted.text.split("<h5>Līdzdalības budžets „Ciema budžets”</h5>")[1]
    cells = re.findall(r"<td>([^<]*)</td>", part)
    assert cells[:4] == ["#1", "Jauns rotaļu laukums pie skolas", "1\xa0200", "1"]
    assert "Finansēts: 1\xa0200\xa0€ no 5\xa0000\xa0€; atlikums 3\xa0800\xa0€." in counted.text
