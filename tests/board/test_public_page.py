"""The public village page: off until a leader publishes it, read-only for anyone, with the
vision, goals, victories, ideas being carried out and upcoming meetings, and nobody's name."""

from __future__ import annotations

import aiohttp
from sqlalchemy import select

from bot.db import Database
from bot.models import Community
from bot.testing import BotApiEmulator
from bot.testing.board import Answer, BoardClient
from tests.board.conftest import WEB_URL, village_id
from tests.conftest import Village
from tests.handlers.meeting_steps import local_day, schedule


async def _public(board: BoardClient, vid: int | str) -> Answer:
    """The page as a stranger's browser asks for it: no init data."""
    async with aiohttp.ClientSession() as http, http.get(f"{board.base_url}/v/{vid}") as response:
        if response.status == 200:
            assert response.headers["Cache-Control"] == "public, max-age=60"
        return Answer(response.status, await response.text())


async def test_the_page_is_off_until_a_leader_publishes_it(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    vid = await village_id(database, village.chat)
    hidden = await _public(board, vid)
    assert hidden.status == 404
    assert '<html lang="lv">' in hidden.text
    assert "Šim ciemam nav publiskas lapas." in hidden.text
    assert (await _public(board, 99999)).status == 404
    assert (await _public(board, 10**20)).status == 404

    refused = await tg.ask(village.chat, village.resident, "/settings public on")
    assert refused["text"].startswith("Atvainojiet, to var darīt tikai darba grupa")
    assert (await _public(board, vid)).status == 404

    saved = await tg.ask(village.chat, village.admin, "/settings public ieslēgt")
    assert saved["text"] == (f"Saglabāts. Ciema publiskā lapa: publicēta\nLapa: {WEB_URL}/v/{vid}")
    assert (await _public(board, vid)).status == 200

    await tg.ask(village.chat, village.admin, "/settings public off")
    assert (await _public(board, vid)).status == 404
    async with database.transaction() as session:
        assert await session.scalar(select(Community.public_page)) is False


async def test_the_page_shows_the_villages_work_without_names(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    chat, anna, janis = village.chat, village.admin, village.resident
    await tg.ask(chat, janis, "/idea Jauns rotaļu laukums pie skolas")
    await tg.ask(chat, janis, "/idea Soliņi gar upi pastaigām")
    await tg.ask(chat, janis, "/idea Slepena ideja, ko neviens neatbalsta")
    await tg.ask(chat, anna, "/status 1 done")
    await tg.ask(chat, anna, "/status 2 accepted")
    await tg.ask(chat, anna, "/ideaset 2 progress 40")
    await tg.ask(chat, anna, "/vision Dzīvs ciems, kur ģimenes paliek")
    await tg.ask(chat, anna, "/goal Apgaismots ceļš līdz stacijai")
    await tg.ask(chat, anna, "/victory Pieturā ir jauns soliņš!")
    await schedule(tg, chat, anna, f"{local_day(3)} 18:00", title="Ciema sapulce @ Tautas nams")
    await tg.ask(chat, anna, "/settings public on")
    vid = await village_id(database, chat)

    page = await _public(board, vid)
    assert page.status == 200
    text = page.text
    assert '<html lang="lv">' in text
    assert "<title>Lejasciems: ciema lapa</title>" in text
    assert '<meta name="viewport"' in text
    assert 'href="/lejas/board/static/board.css"' in text
    assert '<meta property="og:title" content="Lejasciems: ciema lapa">' in text
    assert '<meta property="og:description" content="Dzīvs ciems, kur ģimenes paliek">' in text
    assert '<meta property="og:type" content="website">' in text
    assert f'<meta property="og:url" content="{WEB_URL}/v/{vid}">' in text
    for shown in (
        "Dzīvs ciems, kur ģimenes paliek",
        "Apgaismots ceļš līdz stacijai",
        "Jauns rotaļu laukums pie skolas",
        "Soliņi gar upi pastaigām",
        "Izpilde: 40",
        "Pieturā ir jauns soliņš!",
        "Ciema sapulce",
        "Tautas nams",
        "ierosināja iedzīvotājs",
    ):
        assert shown in text, shown
    assert "Slepena ideja" not in text  # new ideas are not on the page
    for name in ("Jānis", "Anna", "Ozola"):
        assert name not in text, name


async def test_a_leader_who_agreed_is_named_as_responsible(
    tg: BotApiEmulator, village: Village, board: BoardClient, database: Database
) -> None:
    """Anna (the group's admin) is responsible for #1 and Jānis (a resident) for #2: once
    both agreed with /publicname, the page names Anna only."""
    chat, anna, janis = village.chat, village.admin, village.resident
    await tg.ask(chat, janis, "/idea Jauns rotaļu laukums pie skolas")
    await tg.ask(chat, janis, "/idea Soliņi gar upi pastaigām")
    for number in (1, 2):
        await tg.ask(chat, anna, f"/status {number} accepted")
    said = await tg.send(chat, janis, "Es to izdarīšu")
    await tg.ask(chat, anna, "/ideaset 2 owner", reply_to=said)
    await tg.ask(chat, anna, "/ideaset 1 owner", reply_to=await tg.send(chat, anna, "Es"))
    await tg.ask(chat, anna, "/settings public on")
    vid = await village_id(database, chat)
    assert "atbildīgais:" not in (await _public(board, vid)).text
    for person in (anna, janis):
        await tg.ask(person, person, "/start")
        await tg.ask(person, person, "/publicname on")
    text = (await _public(board, vid)).text
    assert "atbildīgais: Anna Ozola" in text
    assert "Jānis" not in text
