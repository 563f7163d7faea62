"""/poll alone in private chat: question, options one per message, buttons, then posted."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.app import runtime_of
from bot.db import Database
from bot.models import Poll, PrivateFlow, utcnow
from bot.runtime import BotApplication
from bot.testing import BotApiEmulator, FakeUser, buttons
from tests.conftest import Village


async def _press(tg: BotApiEmulator, message: dict[str, Any], label: str, by: FakeUser) -> str:
    cursor = tg.mark()
    query = await tg.press(message, label, by=by)
    await tg.wait_for(
        lambda c: (
            c.method == "answerCallbackQuery" and str(c.params.get("callback_query_id")) == query
        ),
        after=cursor,
    )
    await tg.settle(quiet=0.1)
    return query


async def _card(tg: BotApiEmulator, person: FakeUser) -> dict[str, Any]:
    return tg.bot_messages(person)[-1]


async def _draft(tg: BotApiEmulator, person: FakeUser) -> dict[str, Any]:
    """A draft with a question and two options, at the settings card."""
    await tg.ask(person, person, "/start")
    start = await tg.ask(person, person, "/poll")
    assert (
        start["text"] == "Sagatavosim aptauju: Lejasciems. Atsūtiet jautājumu. (/cancel pārtrauc.)"
    )
    prompt = await tg.ask(person, person, "Kad rīkot talku?")
    assert prompt["text"].startswith("Tagad atsūtiet atbilžu variantus")
    first = await tg.ask(person, person, "Sestdien")
    assert first["text"] == "1. variants pievienots. Atsūtiet nākamo."
    assert buttons(first) == []
    second = await tg.ask(person, person, "Svētdien")
    assert second["text"] == "2. variants pievienots. Atsūtiet vēl vienu vai spiediet „Gatavs”."
    await _press(tg, second, "Gatavs", person)
    return await _card(tg, person)


async def test_the_builder_makes_a_public_poll_with_a_deadline(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    admin = village.admin
    card = await _draft(tg, admin)
    assert card["text"].splitlines()[:4] == [
        "Jauna aptauja: Lejasciems",
        "",
        "Kad rīkot talku?",
        "1. Sestdien",
    ]
    assert "Balsis: anonīmas" in card["text"]
    assert [b["text"] for b in buttons(card)][:2] == ["✅ Anonīmi", "Publiski"]
    await _press(tg, card, "Publiski", admin)
    await _press(tg, await _card(tg, admin), "Vairākas atbildes", admin)
    await _press(tg, await _card(tg, admin), "3 dienas", admin)
    card = await _card(tg, admin)
    assert "Balsis: publiskas" in card["text"]
    assert "Izvēle: vairākas atbildes" in card["text"]
    assert "Balsošana ilgst: 3 dienas" in card["text"]
    assert "✅ 3 dienas" in [b["text"] for b in buttons(card)]
    cursor = tg.mark()
    await _press(tg, card, "Publicēt aptauju", admin)
    posted = await tg.wait_for(lambda c: c.method == "sendPoll" and c.ok, after=cursor)
    assert posted.result["chat"]["id"] == village.chat.id
    assert posted.result["poll"]["question"] == "Kad rīkot talku?"
    assert not posted.result["poll"]["is_anonymous"]
    assert posted.result["poll"]["allows_multiple_answers"]
    told = await tg.next_message(admin, after=cursor)
    assert told["text"] == "Aptauja publicēta: Lejasciems."
    async with database.transaction() as session:
        poll = await session.scalar(select(Poll))
        assert poll is not None
        assert poll.closes_at is not None
        assert round((poll.closes_at - poll.created_at).total_seconds()) == 3 * 24 * 3600
        assert await session.scalar(select(PrivateFlow)) is None


async def test_a_typed_deadline_and_its_mistakes(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    admin = village.admin
    card = await _draft(tg, admin)
    await _press(tg, card, "Datums", admin)
    assert (await _card(tg, admin))["text"].startswith("Atsūtiet termiņu: datumu")
    wrong = await tg.ask(admin, admin, "rīt")
    assert wrong["text"] == "„rīt” nav datums. Rakstiet, piemēram, 03.12.2026 vai 2026-12-03."
    past = await tg.ask(admin, admin, "01.01.2020")
    assert past["text"] == "Termiņam jābūt vismaz minūti vēlāk nekā tagad."
    far = await tg.ask(admin, admin, "01.01.2099 18:00")
    assert far["text"] == "Termiņš var būt ne vēlāk kā pēc 30 dienām."
    day = (utcnow().astimezone(ZoneInfo("Europe/Riga")) + timedelta(days=2)).date()
    card = await tg.ask(admin, admin, day.strftime("%d.%m.%Y") + " 18:30")
    assert "Termiņš: " + day.strftime("%d.%m.%Y") + " 18:30" in card["text"]
    cursor = tg.mark()
    await _press(tg, card, "Publicēt aptauju", admin)
    await tg.wait_for(lambda c: c.method == "sendPoll" and c.ok, after=cursor)
    await tg.settle(quiet=0.1)  # the posted poll's ids are recorded just after
    async with database.transaction() as session:
        poll = await session.scalar(select(Poll))
        assert poll is not None
        assert poll.closes_at is not None
        local = poll.closes_at.astimezone(ZoneInfo("Europe/Riga"))
        assert (local.date(), local.hour, local.minute) == (day, 18, 30)


async def test_options_are_checked_as_they_come(tg: BotApiEmulator, village: Village) -> None:
    admin = village.admin
    await tg.ask(admin, admin, "/start")
    await tg.ask(admin, admin, "/poll")
    too_long = await tg.ask(admin, admin, "ā" * 301)
    assert (
        too_long["text"] == "Jautājums ir par garu: ne vairāk kā 300 rakstzīmes, bet tajā ir 301."
    )
    await tg.ask(admin, admin, "Kas?")
    await tg.ask(admin, admin, "Jā")
    same = await tg.ask(admin, admin, "JĀ")
    assert same["text"] == "2. variants ir tāds pats kā 1. variants."
    for number in range(2, 12):
        await tg.ask(admin, admin, f"Variants {number}")
    card = await tg.ask(admin, admin, "Variants 12")  # the twelfth: straight to the card
    assert "12. Variants 12" in card["text"]
    stray = await tg.ask(admin, admin, "Vēl viens")
    assert stray["text"] == "Izvēlieties ar pogām augstāk vai pārtrauciet ar /cancel."


async def test_residents_cannot_build_and_old_buttons_do_nothing(
    tg: BotApiEmulator, village: Village, database: Database, bot: BotApplication
) -> None:
    person = village.resident
    await tg.ask(village.chat, person, "/help")
    await tg.ask(person, person, "/start")
    refused = await tg.ask(person, person, "/poll")
    assert refused["text"].startswith("Atvainojiet, to var darīt tikai darba grupa")
    admin = village.admin
    card = await _draft(tg, admin)
    post = next(b["callback_data"] for b in buttons(card) if b["text"] == "Publicēt aptauju")
    # The admin stops leading before posting: the post is refused and nothing is posted.
    tg.set_admin(village.chat, admin, admin=False)
    runtime_of(bot).admins.forget(village.chat.id)
    query = await _press(tg, card, "Publicēt aptauju", admin)
    answer = await tg.answer_of(query)
    assert answer["show_alert"]
    assert answer["text"].startswith("Atvainojiet, to var darīt tikai darba grupa")
    tg.set_admin(village.chat, admin)
    await _press(tg, await _card(tg, admin), "Atcelt", admin)
    assert (await _card(tg, admin))["text"] == "Pārtraukts. Nekas vairāk nav jādara."
    stale = await tg.press_data(card, post, admin)
    assert (await tg.answer_of(stale))["text"] == "Šī poga vairs nedarbojas."
    forged = await tg.press_data(card, "pollb1:deadline:99y", admin)
    assert (await tg.answer_of(forged))["show_alert"]
    assert not [c for c in tg.calls if c.method == "sendPoll"]
    async with database.transaction() as session:
        assert await session.scalar(select(Poll)) is None
