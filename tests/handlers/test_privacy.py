"""A resident's own data through the emulator: /mydata sends a JSON file, /forgetme asks first,
then erases them; afterwards the whole database holds nothing that identifies them, and the idea
card they supported counts one support less."""

from __future__ import annotations

import json
from typing import Any

from bot.app import runtime_of
from bot.db import Database
from bot.runtime import BotApplication
from bot.testing import BotApiEmulator, FakeUser, buttons
from tests.conftest import Village
from tests.services.test_privacy import traces

WORDS = ["Zelma", "Priedīte", "zelma_p"]


async def _zelma_takes_part(
    tg: BotApiEmulator, village: Village
) -> tuple[FakeUser, dict[str, Any]]:
    zelma = tg.user("Zelma", last_name="Priedīte", username="zelma_p", language_code="lv")
    village.chat.members[zelma.id] = "member"
    card = await tg.ask(village.chat, village.resident, "/idea Jauns rotaļu laukums pie skolas")
    await tg.answer_of(await tg.press(card, "👍", zelma))
    await tg.ask(village.chat, zelma, "/weakness Nav vakara autobusa uz pilsētu")
    await tg.ask(zelma, zelma, "/start")
    return zelma, card


async def test_my_data_as_a_file(tg: BotApiEmulator, village: Village) -> None:
    zelma, _card = await _zelma_takes_part(tg, village)
    cursor = tg.mark()
    summary = await tg.ask(zelma, zelma, "/mydata")
    lines = summary["text"].splitlines()
    assert lines[0] == "🗂 Viss, ko glabāju par jums, ir failā zemāk (JSON)."
    assert lines[1] == "Vārds: Zelma Priedīte · lietotājvārds: @zelma_p"
    assert "1 ciema grupa · 0 ideju · 1 idejas atbalsts" in lines[3]
    assert "1 SVID ieraksts" in lines[3]
    document = await tg.wait_for(lambda c: c.method == "sendDocument" and c.ok, after=cursor)
    assert document.result["document"]["file_name"] == "villagebot-my-data.json"
    data = json.loads(tg.files[document.result["document"]["file_id"]].content)
    assert data["profile"]["telegram_id"] == zelma.id
    assert [s["idea"] for s in data["supports"]] == [1]
    in_group = await tg.ask(village.chat, zelma, "/mydata")
    assert in_group["text"] == "Tas darbojas privātā sarunā ar mani."


async def test_forget_me_after_confirming(
    tg: BotApiEmulator, village: Village, database: Database, bot: BotApplication
) -> None:
    zelma, card = await _zelma_takes_part(tg, village)
    question = await tg.ask(zelma, zelma, "/forgetme")
    assert question["text"].startswith("⚠️ Aizmirst jūs?")
    # Someone else's button (forged data) does nothing.
    other = await tg.answer_of(
        await tg.press_data(question, buttons(question)[0]["callback_data"], village.resident)
    )
    assert other["text"] == "Šī poga vairs nedarbojas."
    cursor = tg.mark()
    await tg.answer_of(await tg.press(question, "Atcelt", zelma))
    await tg.wait_for(lambda c: c.method == "editMessageText", after=cursor)
    assert tg.message(zelma.id, question["message_id"])["text"] == "Nekas netika dzēsts."
    async with database.transaction() as session:
        assert await traces(session, zelma.id, WORDS)

    question = await tg.ask(zelma, zelma, "/forgetme")
    cursor = tg.mark()
    await tg.answer_of(await tg.press(question, "🗑", zelma))
    await tg.wait_for(lambda c: c.method == "editMessageText", after=cursor)
    done = tg.message(zelma.id, question["message_id"])
    assert done["text"].startswith("✅ Gatavs: es jūs aizmirsu.")
    await runtime_of(bot).outbox.drain()  # the answer's row is deleted once it is sent
    async with database.transaction() as session:
        assert await traces(session, zelma.id, WORDS) == []

    # The idea card counts the remaining supports.
    def refreshed() -> bool | None:
        return "👍 0 atbalstu" in tg.message(village.chat.id, card["message_id"])["text"] or None

    assert await tg.wait_until(refreshed, timeout=10)


async def test_after_forget_me_cards_and_lists_say_a_former_resident(
    tg: BotApiEmulator, village: Village
) -> None:
    """Not "a resident", which is how an idea posted without a name is shown."""
    zelma = tg.user("Zelma", last_name="Priedīte", username="zelma_p", language_code="lv")
    village.chat.members[zelma.id] = "member"
    card = await tg.ask(village.chat, zelma, "/idea Soliņi gar upes krastu")
    await tg.ask(village.chat, zelma, "/victory Sakopām parku kopā!")
    await tg.ask(zelma, zelma, "/start")
    question = await tg.ask(zelma, zelma, "/forgetme")
    cursor = tg.mark()
    await tg.answer_of(await tg.press(question, "🗑", zelma))
    await tg.wait_for(lambda c: c.method == "editMessageText", after=cursor)

    def redrawn() -> bool | None:
        text = tg.message(village.chat.id, card["message_id"])["text"]
        return "👤 bijušais iedzīvotājs · " in text or None

    assert await tg.wait_until(redrawn, timeout=10)
    await tg.ask(village.admin, village.admin, "/start")
    cursor = tg.mark()
    await tg.send(village.admin, village.admin, "/victories")
    call = await tg.wait_for(
        lambda c: c.ok and str(c.params.get("text", "")).startswith("<b>Gaida"), after=cursor
    )
    waiting = call.result
    assert "1. bijušais iedzīvotājs: „Sakopām parku kopā!”" in waiting["text"]
    cursor = tg.mark()
    await tg.answer_of(await tg.press(waiting, "✅ Apstiprināt 1", village.admin))
    announced = await tg.next_message(village.chat, after=cursor)
    assert announced["text"].endswith("👏 Paldies — bijušais iedzīvotājs!")


async def test_a_leader_agrees_to_be_named_on_public_pages_and_takes_it_back(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    anna = village.admin
    await tg.ask(anna, anna, "/start")
    state = await tg.ask(anna, anna, "/publicname")
    assert state["text"].startswith("Jūsu vārds ciemu publiskajās lapās netiek rādīts.")
    agreed = await tg.ask(anna, anna, "/publicname ieslēgt")
    assert agreed["text"].startswith("✅ Kā darba grupas dalībnieku jūs var nosaukt")
    assert (await tg.ask(anna, anna, "/publicname"))["text"] == agreed["text"]
    cursor = tg.mark()
    await tg.send(anna, anna, "/mydata")
    document = await tg.wait_for(lambda c: c.method == "sendDocument" and c.ok, after=cursor)
    data = json.loads(tg.files[document.result["document"]["file_id"]].content)
    assert data["profile"]["named_on_public_pages"] is True
    wrong = await tg.ask(anna, anna, "/publicname varbūt")
    assert wrong["text"] == "Rakstiet „ieslēgt” vai „izslēgt”, piemēram: /publicname ieslēgt"
    back = await tg.ask(anna, anna, "/publicname off")
    assert back["text"] == state["text"]
    in_group = await tg.ask(village.chat, anna, "/publicname on")
    assert in_group["text"] == "Tas darbojas privātā sarunā ar mani."
    assert (await tg.ask(anna, anna, "/publicname"))["text"] == state["text"]
