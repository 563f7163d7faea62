"""Small victories through the emulator: leaders announce, residents propose and the first
leader decides in private, applause on the card, /victories, and celebrating a done idea."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.db import Database
from bot.models import Victory, VictoryStatus
from bot.testing import BotApiEmulator, FakeUser, buttons
from tests.conftest import Village


def labels(message: dict[str, Any]) -> list[str]:
    return [b["text"] for b in buttons(message)]


async def _second_leader(tg: BotApiEmulator, village: Village) -> FakeUser:
    ilze = tg.user("Ilze", language_code="en")
    await tg.join(village.chat, ilze)
    said = await tg.send(village.chat, ilze, "Es palīdzēšu")
    await tg.ask(village.chat, village.admin, "/promote", reply_to=said)
    return ilze


async def test_a_leaders_victory_is_celebrated_and_applauded(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    card = await tg.ask(village.chat, village.admin, "/victory Pieturā ir jauns soliņš!")
    assert card["text"] == "🏆 Mazā uzvara!\nPieturā ir jauns soliņš!\n👏 Paldies — Anna Ozola!"
    assert labels(card) == ["👏 0"]
    assert (await tg.answer_of(await tg.press(card, "👏", village.resident)))["text"] == "👏"
    await tg.press(card, "👏", village.admin)
    back = await tg.answer_of(await tg.press(card, "👏", village.resident))
    assert back["text"] == "Aplausi atsaukti."
    await tg.settle(quiet=0.4)
    assert labels(tg.message(village.chat.id, card["message_id"])) == ["👏 1"]
    async with database.transaction() as session:
        victory = await session.scalar(select(Victory))
    assert victory is not None
    assert (victory.applause_count, victory.card_message_id) == (1, card["message_id"])


async def test_applause_before_the_cards_place_is_recorded_redraws_it(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    """The first press can come before the card's place is recorded (see card_place)."""
    card = await tg.ask(village.chat, village.admin, "/victory Pieturā ir jauns soliņš!")
    await tg.settle(quiet=0.2)
    async with database.transaction() as session:  # as if the record had not happened yet
        victory = await session.scalar(select(Victory))
        assert victory is not None
        assert victory.card_message_id == card["message_id"]
        victory.card_chat_id = victory.card_message_id = None
    await tg.press(card, "👏", village.resident)
    await tg.settle(quiet=0.4)
    assert labels(tg.message(village.chat.id, card["message_id"])) == ["👏 1"]


async def test_a_residents_victory_waits_for_the_first_leader(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    ilze = await _second_leader(tg, village)
    for person in (village.admin, ilze, village.resident):
        await tg.ask(person, person, "/start")
    # Ilze reads the bot in English (her own choice): each leader is asked in their language.
    menu = await tg.ask(ilze, ilze, "/language")
    cursor = tg.mark()
    await tg.press(menu, "English", by=ilze)
    await tg.wait_for(lambda c: c.method == "editMessageText", after=cursor)
    cursor = tg.mark()
    thanks = await tg.ask(village.chat, village.resident, "/victory Sakopām parku kopā!")
    assert thanks["text"] == "🏆 Paldies! Darba grupa to apskatīs un paziņos."
    to_anna = await tg.next_message(village.admin, after=cursor)
    to_ilze = await tg.next_message(ilze, after=cursor)
    assert to_anna["text"].startswith("🏆 Jānis ierosina mazo uzvaru grupai Lejasciems:")
    assert to_ilze["text"].startswith("🏆 Jānis proposes a small victory for Lejasciems:")
    assert labels(to_ilze) == ["✅ Approve", "✖ Reject"]
    cursor = tg.mark()
    # Both leaders press before either press is handled: the first one wins.
    ilze_press = await tg.press(to_ilze, "✅", ilze)
    anna_press = await tg.press(to_anna, "✖", village.admin)
    assert (await tg.answer_of(ilze_press))["text"] == "Announced in Lejasciems."
    late = await tg.answer_of(anna_press)
    assert late == {"text": "To jau izlēma Ilze.", "show_alert": True}
    card = await tg.next_message(village.chat, after=cursor)
    assert card["text"] == "🏆 Mazā uzvara!\nSakopām parku kopā!\n👏 Paldies — Jānis!"
    notice = await tg.next_message(village.resident, after=cursor)
    assert notice["text"] == "🎉 Jūsu mazā uzvara ir paziņota grupā Lejasciems. Paldies!"
    await tg.settle()
    assert tg.message(village.admin.id, to_anna["message_id"])["text"].endswith(
        "✅ Paziņots — apstiprināja Ilze."
    )
    assert tg.message(ilze.id, to_ilze["message_id"])["text"].endswith(
        "✅ Announced — Ilze approved it."
    )
    async with database.transaction() as session:
        victory = await session.scalar(select(Victory))
    assert victory is not None
    assert victory.status == VictoryStatus.APPROVED


async def test_a_rejected_victory_is_not_announced(tg: BotApiEmulator, village: Village) -> None:
    for person in (village.admin, village.resident):
        await tg.ask(person, person, "/start")
    cursor = tg.mark()
    await tg.ask(village.chat, village.resident, "/victory Mans kaķis noķēra peli")
    review = await tg.next_message(village.admin, after=cursor)
    cursor = tg.mark()
    await tg.answer_of(await tg.press(review, "✖", village.admin))
    notice = await tg.next_message(village.resident, after=cursor)
    assert notice["text"].startswith("Grupas Lejasciems darba grupa nolēma šoreiz")
    await tg.settle()
    assert not [
        c
        for c in tg.calls[cursor:]
        if c.method == "sendMessage" and c.params["chat_id"] == str(village.chat.id)
    ]


async def test_victories_lists_this_year_and_what_waits(
    tg: BotApiEmulator, village: Village
) -> None:
    await tg.ask(village.chat, village.admin, "/victory Pieturā ir jauns soliņš!")
    await tg.ask(village.chat, village.resident, "/victory Sakopām parku kopā!")
    listing = await tg.ask(village.chat, village.resident, "/victories")
    assert "Pieturā ir jauns soliņš! (👏 0)" in listing["text"]
    assert "Sakopām parku" not in listing["text"]
    # In the group a leader's list is everyone's: nothing that waits for approval.
    cursor = tg.mark()
    in_group = await tg.ask(village.chat, village.admin, "/victories")
    assert in_group["text"] == listing["text"]
    await tg.settle()
    assert not [c for c in tg.calls[cursor:] if "Gaida" in str(c.params.get("text", ""))]
    await tg.ask(village.admin, village.admin, "/start")
    cursor = tg.mark()
    await tg.send(village.admin, village.admin, "/victories")
    call = await tg.wait_for(
        lambda c: c.ok and str(c.params.get("text", "")).startswith("<b>Gaida"), after=cursor
    )
    waiting = call.result
    assert waiting["text"].startswith("Gaida apstiprinājumu\n1. Jānis: „Sakopām parku kopā!”")
    cursor = tg.mark()
    await tg.answer_of(await tg.press(waiting, "✅ Apstiprināt 1", village.admin))
    card = await tg.next_message(village.chat, after=cursor)
    assert card["text"].startswith("🏆 Mazā uzvara!\nSakopām parku kopā!")


async def test_a_done_idea_can_be_celebrated(tg: BotApiEmulator, village: Village) -> None:
    await tg.ask(village.chat, village.resident, "/idea Jauns rotaļu laukums pie skolas")
    await tg.ask(village.chat, village.admin, "/status 1 accepted")
    done = await tg.ask(village.chat, village.admin, "/status 1 done")
    assert done["text"].startswith("🎉 Ideja #1 ir īstenota")
    assert labels(done) == ["🏆 Svinēt kā mazo uzvaru"]
    refused = await tg.answer_of(await tg.press(done, "🏆", village.resident))
    assert refused["text"].startswith("Atvainojiet")
    await tg.answer_of(await tg.press(done, "🏆", village.admin))
    await tg.settle()
    card = tg.message(village.chat.id, done["message_id"])
    assert card["text"] == (
        "🏆 Mazā uzvara!\nIdeja #1 ir īstenota: „Jauns rotaļu laukums pie skolas”\nPaldies, Jānis!"
    )
    assert labels(card) == ["👏 0"]
    # The card carries no celebrate button any more; on a message too old to be seen the
    # idea itself says it was celebrated.
    gone = await tg.answer_of(await tg.press_data(card, "celebrate1:1", village.admin))
    assert gone["text"] == "Šī poga vairs nedarbojas."
    old = await tg.press_data(card, "celebrate1:1", village.admin, inaccessible=True)
    assert (await tg.answer_of(old))["text"] == "Šī ideja jau ir nosvinēta."


async def test_a_forged_page_press_never_turns_a_victory_card_into_a_list(
    tg: BotApiEmulator, village: Village
) -> None:
    card = await tg.ask(village.chat, village.admin, "/victory Pieturā ir jauns soliņš!")
    await tg.settle()
    cursor = tg.mark()
    # The /ideas list's page data is not among the card's buttons; on a message too old to be
    # seen nothing is drawn over it either.
    for inaccessible in (False, True):
        query = await tg.press_data(
            card, "ideas1:0:all", village.resident, inaccessible=inaccessible
        )
        assert (await tg.answer_of(query))["text"] == "Šī poga vairs nedarbojas."
    await tg.settle()
    assert not [c for c in tg.calls[cursor:] if c.method.startswith("edit")]
    assert tg.message(village.chat.id, card["message_id"])["text"] == card["text"]
    # The card's own button still works on an old card: it names the victory, which is checked.
    applause = buttons(card)[0]["callback_data"]
    query = await tg.press_data(card, applause, village.resident, inaccessible=True)
    assert (await tg.answer_of(query))["text"] == "👏"
    await tg.settle(quiet=0.4)
    assert labels(tg.message(village.chat.id, card["message_id"])) == ["👏 1"]


async def test_the_author_is_not_counted_among_the_supporters(
    tg: BotApiEmulator, village: Village
) -> None:
    """Jānis supports his own idea, Anna supports it too: one other resident supported it."""
    card = await tg.ask(village.chat, village.resident, "/idea Jauns rotaļu laukums pie skolas")
    await tg.answer_of(await tg.press(card, "👍", village.resident))
    await tg.answer_of(await tg.press(card, "👍", village.admin))
    await tg.ask(village.chat, village.admin, "/status 1 accepted")
    done = await tg.ask(village.chat, village.admin, "/status 1 done")
    assert done["text"].endswith("Paldies, Jānis, un 1 iedzīvotājam, kas to atbalstīja!")
    await tg.answer_of(await tg.press(done, "🏆", village.admin))
    await tg.settle()
    card = tg.message(village.chat.id, done["message_id"])
    assert card["text"].endswith("Paldies, Jānis, un 1 iedzīvotājam, kas to atbalstīja!")


async def test_an_author_who_alone_supported_is_thanked_alone(
    tg: BotApiEmulator, village: Village
) -> None:
    card = await tg.ask(village.chat, village.resident, "/idea Jauns rotaļu laukums pie skolas")
    await tg.answer_of(await tg.press(card, "👍", village.resident))
    await tg.ask(village.chat, village.admin, "/status 1 accepted")
    done = await tg.ask(village.chat, village.admin, "/status 1 done")
    assert done["text"].endswith("„Jauns rotaļu laukums pie skolas”. Paldies, Jānis!")
    await tg.answer_of(await tg.press(done, "🏆", village.admin))
    await tg.settle()
    card = tg.message(village.chat.id, done["message_id"])
    assert card["text"].endswith("Paldies, Jānis!")
