"""Ideas through the emulator: the card and its buttons, similar ideas, private submissions,
comments by reply, the paged list, and what only leaders may do."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func, select

from bot.db import Database
from bot.keyboards import encode
from bot.keyboards.ideas import AreaPick, SupportPress
from bot.models import (
    Community,
    Idea,
    IdeaArea,
    IdeaComment,
    IdeaStatus,
    ProcessedUpdate,
    User,
)
from bot.services import ideas, members
from bot.testing import BotApiEmulator, FakeUser, buttons
from tests.conftest import Village

PLAYGROUND = "Jauns rotaļu laukums pie skolas"


def labels(message: dict[str, Any]) -> list[str]:
    return [b["text"] for b in buttons(message)]


async def _settled_card(tg: BotApiEmulator, card: dict[str, Any]) -> dict[str, Any]:
    """The card after pending (coalesced) edits went out."""
    await tg.settle(quiet=0.4)
    return tg.message(card["chat"]["id"], card["message_id"])


async def _idea(database: Database, number: int = 1) -> Idea:
    """The stored idea (the card's place is stored just after the card is posted)."""
    await asyncio.sleep(0.2)
    async with database.transaction() as session:
        idea = await session.scalar(select(Idea).where(Idea.number == number))
    assert idea is not None
    return idea


async def test_an_idea_becomes_a_card(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    card = await tg.ask(village.chat, village.resident, f"/idea   {PLAYGROUND}  ")
    assert card["text"].splitlines() == [
        "💡 Ideja #1",
        PLAYGROUND,
        "",
        "👤 Jānis · 🏷 vēl nav izvēlēta",
        "Statuss: Jauna",
        "👍 0 atbalstu",
        "💬 Atbildiet uz šo karti, lai komentētu.",
    ]
    assert labels(card)[:2] == ["👍 Atbalstīt (0)", "⚙"]
    assert "🏷 Ekonomika" in labels(card)
    idea = await _idea(database)
    assert (idea.card_chat_id, idea.card_message_id) == (village.chat.id, card["message_id"])
    assert (idea.text, idea.status, idea.area) == (PLAYGROUND, IdeaStatus.NEW, None)


async def test_usage_and_limits_are_explained(tg: BotApiEmulator, village: Village) -> None:
    usage = await tg.ask(village.chat, village.resident, "/idea")
    assert usage["text"].startswith("Uzrakstiet savu ideju pēc komandas")
    short = await tg.ask(village.chat, village.resident, "/idea Soliņš")
    assert short["text"] == "Lūdzu, uzrakstiet mazliet vairāk: vismaz 10 rakstzīmes."
    long = await tg.ask(village.chat, village.resident, "/idea " + "ā" * 1200)
    assert long["text"] == "Tas ir par garu: ne vairāk kā 1000 rakstzīmes, bet šeit ir 1200."
    missing = await tg.ask(village.chat, village.resident, "/idea 42")
    assert missing["text"] == "Šajā ciema grupā nav idejas #42."


FLOOD = [
    "Jauns rotaļu laukums pie skolas",
    "Soliņi gar upes krastu",
    "Vakara autobuss uz pilsētu",
    "Bibliotēkā datorkursi senioriem",
    "Ielu apgaismojums Meža ielā",
    "Talka pie ezera pavasarī",
]
RESIDENT_IDEAS = [
    "Suņu pastaigu laukums",
    "Kopīgs sakņu dārzs",
    "Velosipēdu novietne stacijā",
    "Vasaras koncerts parkā",
    "Zemnieku tirgus sestdienās",
]


async def test_only_residents_have_a_flood_limit(tg: BotApiEmulator, village: Village) -> None:
    for number, text in enumerate(FLOOD, start=1):
        card = await tg.ask(village.chat, village.admin, f"/idea {text}")
        assert card["text"].startswith(f"💡 Ideja #{number}")
    for text in RESIDENT_IDEAS:
        card = await tg.ask(village.chat, village.resident, f"/idea {text}")
        assert card["text"].startswith("💡 Ideja #")
    refused = await tg.ask(village.chat, village.resident, "/idea Vēl viena ideja no Jāņa")
    assert refused["text"].startswith("Paldies par tik daudzām idejām uzreiz!")


async def test_html_is_shown_literally(tg: BotApiEmulator, village: Village) -> None:
    card = await tg.ask(village.chat, village.resident, "/idea <b>Tilts</b> & <i>ceļš</i> uz mežu")
    assert card["text"].splitlines()[1] == "<b>Tilts</b> & <i>ceļš</i> uz mežu"


async def test_only_the_author_or_a_leader_picks_the_area(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    card = await tg.ask(village.chat, village.resident, f"/idea {PLAYGROUND}")
    await tg.settle(quiet=0.2)  # where the card went is recorded just after
    neighbour = tg.user("Kaimiņš")
    village.chat.members[neighbour.id] = "member"
    refused = await tg.answer_of(await tg.press(card, "🏷 Ekonomika", neighbour))
    assert refused == {
        "text": "Idejas jomu var izvēlēties tikai tās autors vai līderis.",
        "show_alert": True,
    }
    by_leader = await tg.answer_of(await tg.press(card, "🏷 Ekonomika", village.admin))
    assert by_leader["text"] == "🏷 Joma: Ekonomika"
    idea = await _idea(database)
    assert idea.area == IdeaArea.ECONOMY
    # The author may change it too (from the buttons of their private confirmation, here an
    # old one whose keyboard Telegram no longer sends).
    area = encode(AreaPick(idea.id, "infrastructure"))
    picked = await tg.answer_of(
        await tg.press_data(card, area, village.resident, inaccessible=True)
    )
    assert picked["text"] == "🏷 Joma: Infrastruktūra un pakalpojumi"
    card = await _settled_card(tg, card)
    assert "👤 Jānis · 🏷 Infrastruktūra un pakalpojumi" in card["text"]
    assert labels(card) == ["👍 Atbalstīt (0)", "⚙"]


async def test_supports_toggle_and_the_card_ends_true(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    card = await tg.ask(village.chat, village.resident, f"/idea {PLAYGROUND}")
    await tg.settle(quiet=0.2)  # where the card went is recorded just after
    others = [tg.user(f"Kaimiņš {n}") for n in range(5)]
    for person in others:
        await tg.join(village.chat, person)
    answers = []
    for person in [*others, village.admin, others[0]]:
        answers.append(await tg.press(card, "👍", person))
    assert (await tg.answer_of(answers[0]))["text"] == "👍 Jūs atbalstāt ideju #1."
    assert (await tg.answer_of(answers[-1]))["text"] == "Jūs vairs neatbalstāt ideju #1."
    card = await _settled_card(tg, card)
    assert "👍 5 atbalsti" in card["text"]
    assert labels(card)[0] == "👍 Atbalstīt (5)"
    assert (await _idea(database)).support_count == 5
    edits = [c for c in tg.calls if c.method == "editMessageText"]
    assert len(edits) < 7  # seven presses, fewer edits


async def test_a_press_on_a_card_whose_place_is_not_yet_recorded_redraws_it(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    """Telegram's answer to the card's send and the first press can cross: the press comes
    while the card's place is still being recorded. The pressed card is redrawn all the same."""
    card = await tg.ask(village.chat, village.resident, f"/idea {PLAYGROUND}")
    await tg.settle(quiet=0.2)
    async with database.transaction() as session:  # as if the record had not happened yet
        idea = await session.scalar(select(Idea).where(Idea.number == 1))
        assert idea is not None
        assert idea.card_message_id == card["message_id"]
        idea.card_chat_id = idea.card_message_id = None
    await tg.press(card, "👍", village.resident)
    card = await _settled_card(tg, card)
    assert labels(card)[0] == "👍 Atbalstīt (1)"
    assert "👍 1 atbalsts" in card["text"]


async def test_a_similar_idea_offers_support_instead(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    await tg.ask(village.chat, village.resident, f"/idea {PLAYGROUND}")
    prompt = await tg.ask(village.chat, village.admin, "/idea jauns rotalu laukums pie skolas")
    assert "#1 „Jauns rotaļu laukums pie skolas” — 👍 0" in prompt["text"]
    assert labels(prompt) == ["👍 Atbalstīt #1", "➕ Tomēr iesniegt"]
    refused = await tg.answer_of(await tg.press(prompt, "👍 Atbalstīt #1", village.resident))
    assert refused["text"] == "Izvēlēties var tikai šīs idejas autors."
    cursor = tg.mark()
    await tg.press(prompt, "👍 Atbalstīt #1", village.admin)
    await tg.wait_for(lambda c: c.method == "editMessageText", after=cursor)
    assert tg.message(village.chat.id, prompt["message_id"])["text"] == (
        "👍 Paldies! Tagad jūs atbalstāt ideju #1."
    )
    async with database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Idea)) == 1
    assert (await _idea(database)).support_count == 1
    again = await tg.ask(village.chat, village.admin, "/idea Jauns rotaļu laukums pie skolas!")
    cursor = tg.mark()
    await tg.press(again, "➕", village.admin)
    card = await tg.next_message(village.chat, after=cursor)
    assert card["text"].startswith("💡 Ideja #2")


async def test_a_private_idea_can_stay_anonymous(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    person = village.resident
    join_link = buttons(tg.bot_messages(village.chat)[0])[0]["url"]
    await tg.ask(person, person, "/start " + join_link.split("start=")[1])
    prompt = await tg.ask(person, person, f"/idea {PLAYGROUND}")
    assert prompt["text"].startswith("Jūsu ideja grupai Lejasciems:")
    assert labels(prompt) == ["✍ Ar manu vārdu", "🙈 Kā „iedzīvotājs”"]
    cursor = tg.mark()
    await tg.press(prompt, "🙈", person)
    card = await tg.next_message(village.chat, after=cursor)
    assert "👤 iedzīvotājs · 🏷 vēl nav izvēlēta" in card["text"]
    await tg.settle()
    confirmation = tg.message(person.id, prompt["message_id"])
    assert confirmation["text"] == (
        "Paldies! Ideja #1 ir publicēta grupā Lejasciems.\nKurai jomai tā atbilst?"
    )
    await tg.press(confirmation, "🏷 Vide", person)
    card = await _settled_card(tg, card)
    assert "👤 iedzīvotājs · 🏷 Vide un enerģija" in card["text"]
    assert tg.message(person.id, prompt["message_id"])["text"].endswith("🏷 Joma: Vide un enerģija")
    idea = await _idea(database)
    assert (idea.anonymous, idea.area) == (True, IdeaArea.ENVIRONMENT)


async def test_replies_to_a_card_are_comments(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    card = await tg.ask(village.chat, village.resident, f"/idea {PLAYGROUND}")
    await tg.settle(quiet=0.2)  # where the card went is recorded just after it is sent
    comment = await tg.send(
        village.chat, village.admin, "Labs! Var pieteikt LEADER.", reply_to=card
    )
    card = await _settled_card(tg, card)
    assert tg.reactions[(village.chat.id, comment["message_id"])] == ["✍"]
    assert "💬 1 komentārs" in card["text"]
    detail = await tg.ask(village.chat, village.resident, "/idea #1")
    assert "Jaunākie komentāri" in detail["text"]
    assert "• Anna Ozola (" in detail["text"]
    assert "Labs! Var pieteikt LEADER." in detail["text"]
    # A reply to the /idea view is a comment too, in the group and in private chat.
    on_view = await tg.send(village.chat, village.resident, "Es palīdzēšu!", reply_to=detail)
    await tg.settle()
    assert tg.reactions[(village.chat.id, on_view["message_id"])] == ["✍"]
    private = await tg.ask(village.admin, village.admin, "/idea 1")
    assert "💬 2 komentāri" in private["text"]
    await tg.send(village.admin, village.admin, "Runāšu ar pašvaldību.", reply_to=private)
    await tg.settle()
    async with database.transaction() as session:
        texts = list(await session.scalars(select(IdeaComment.text).order_by(IdeaComment.id)))
    assert texts == ["Labs! Var pieteikt LEADER.", "Es palīdzēšu!", "Runāšu ar pašvaldību."]
    assert "💬 3 komentāri" in (await _settled_card(tg, card))["text"]
    # A reply to any other message of the bot is not a comment; in private it is plain text.
    listing = await tg.ask(village.chat, village.resident, "/ideas")
    await tg.send(village.chat, village.admin, "Sveiki", reply_to=listing)
    other = await tg.ask(village.admin, village.admin, "/ideas")
    cursor = tg.mark()
    await tg.send(village.admin, village.admin, "Sveiki", reply_to=other)
    assert (await tg.next_message(village.admin, after=cursor))["text"].startswith("Uzrakstiet")
    await tg.settle()
    async with database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(IdeaComment)) == 3


async def test_edited_messages_change_nothing(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    card = await tg.ask(village.chat, village.resident, f"/idea {PLAYGROUND}")
    await tg.settle(quiet=0.2)  # where the card went is recorded just after
    comment = await tg.send(village.chat, village.admin, "Labs!", reply_to=card)
    command = await tg.send(village.chat, village.resident, "/idea Soliņi parkā")
    await tg.settle()
    cursor = tg.mark()
    for n in range(5):
        await tg.edit(comment, f"Labs! (labots {n + 1})")
    await tg.edit(command, "/idea Soliņi un galdi parkā")
    await tg.settle()
    assert [c.method for c in tg.calls[cursor:] if c.method != "getUpdates"] == []
    edits = [u["update_id"] for u in tg.history if "edited_message" in u]
    assert len(edits) == 6
    async with database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(IdeaComment)) == 1
        assert await session.scalar(select(func.count()).select_from(Idea)) == 2
        recorded = await session.scalars(
            select(ProcessedUpdate.update_id).where(ProcessedUpdate.update_id.in_(edits))
        )
        assert sorted(recorded) == edits


async def _many_ideas(database: Database, village: Village, count: int) -> None:
    async with database.transaction() as session:
        community = await session.scalar(select(Community))
        assert community is not None
        authors = [
            await members.ensure_user(session, members.Profile(900_000 + n, f"Autors {n}"))
            for n in range(count)
        ]
        for n, author in enumerate(authors):
            idea = await ideas.submit(session, community, author, f"Ideja {n:02d}: " + "ā" * 900)
            if n % 3 == 0:
                ideas.choose_area(idea, author, IdeaArea.ECONOMY)
            for supporter in authors[: n % 7]:
                await ideas.toggle_support(session, idea, supporter)


async def test_sixty_ideas_page_by_page(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    await _many_ideas(database, village, 60)
    listing = await tg.ask(village.chat, village.resident, "/ideas")
    assert "60 aktuālas idejas · lapa 1 no 12" in listing["text"]
    assert labels(listing)[:3] == ["◀", "1/12", "▶"]
    seen: list[str] = []
    supports: list[int] = []
    for _page in range(12):
        text = listing["text"]
        assert len(text) <= 4096
        seen += [line.split()[0] for line in text.splitlines() if line.startswith("#")]
        supports += [
            int(line.split()[1]) for line in text.splitlines() if line.startswith("    👍")
        ]
        cursor = tg.mark()
        await tg.press(listing, "▶", village.resident)
        await tg.wait_for(lambda c: c.method == "answerCallbackQuery", after=cursor)
        await tg.settle(quiet=0.1)
        listing = tg.message(village.chat.id, listing["message_id"])
    assert sorted(seen, key=lambda n: int(n[1:])) == [f"#{n}" for n in range(1, 61)]
    assert supports == sorted(supports, reverse=True)
    cursor = tg.mark()
    await tg.press(listing, "Ekonomika", village.resident)
    await tg.wait_for(lambda c: c.method == "editMessageText", after=cursor)
    economy = tg.message(village.chat.id, listing["message_id"])
    assert "20 aktuālas idejas · lapa 1 no 4" in economy["text"]
    assert "• Ekonomika" in labels(economy)


async def test_residents_cannot_triage(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    card = await tg.ask(village.chat, village.resident, f"/idea {PLAYGROUND}")
    await tg.settle(quiet=0.2)  # where the card went is recorded just after
    for command in ("/status 1 accepted", "/ideaset 1 cost 100"):
        refused = await tg.ask(village.chat, village.resident, command)
        assert refused["text"].startswith("Atvainojiet, to var darīt tikai darba grupa")
    answer = await tg.answer_of(await tg.press(card, "⚙", village.resident))
    assert answer["show_alert"]
    assert answer["text"].startswith("Atvainojiet")
    idea = await _idea(database)
    assert (idea.status, idea.cost_cents) == (IdeaStatus.NEW, None)


async def test_status_changes_are_told_and_announced(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    author = village.resident
    await tg.ask(author, author, "/start")
    card = await tg.ask(village.chat, author, f"/idea {PLAYGROUND}")
    cursor = tg.mark()
    announcement = await tg.ask(village.chat, village.admin, "/status 1 pieņemta")
    assert announcement["text"] == (
        "✅ Darba grupa pieņēma ideju #1: „Jauns rotaļu laukums pie skolas”. Paldies, Jānis!"
    )
    notice = await tg.next_message(author, after=cursor)
    assert notice["text"] == (
        "Jūsu ideja #1 grupā Lejasciems („Jauns rotaļu laukums pie skolas”) tagad: Pieņemta."
    )
    progress = await tg.ask(village.chat, village.admin, "/status 1 in progress")
    assert progress["text"] == "Ideja #1 tagad: Tiek īstenota."
    same = await tg.ask(village.chat, village.admin, "/status 1 progress")
    assert same["text"] == "Idejai #1 jau ir šis statuss."
    bad = await tg.ask(village.chat, village.admin, "/status 1 maybe")
    assert bad["text"] == (
        "„maybe” nav statuss. Izmantojiet vienu no: jauna, apspriešanā, pieņemta, tiek īstenota,"
        " īstenota, noraidīta."
    )
    no_reason = await tg.ask(village.chat, village.admin, "/status 1 rejected")
    assert no_reason["text"].startswith("Lūdzu, norādiet noraidīšanas iemeslu")
    cursor = tg.mark()
    await tg.ask(village.chat, village.admin, "/status 1 rejected Zeme pieder dzelzceļam")
    rejected = await tg.next_message(author, after=cursor)
    assert rejected["text"].endswith("tagad: Noraidīta.\nIemesls: Zeme pieder dzelzceļam")
    card = await _settled_card(tg, card)
    assert "Statuss: Noraidīta" in card["text"]
    assert labels(card) == ["⚙"]
    detail = await tg.ask(village.chat, author, "/idea 1")
    assert "Noraidīta — Zeme pieder dzelzceļam" in detail["text"]


async def test_leaders_manage_from_the_card(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    card = await tg.ask(village.chat, village.resident, f"/idea {PLAYGROUND}")
    await tg.settle(quiet=0.2)  # where the card went is recorded just after
    cursor = tg.mark()
    await tg.press(card, "⚙", village.admin)
    await tg.wait_for(lambda c: c.method == "editMessageText", after=cursor)
    managing = tg.message(village.chat.id, card["message_id"])
    assert labels(managing) == [
        "Apspriešanā",
        "Pieņemta",
        "Tiek īstenota",
        "Īstenota",
        "Noraidīta",
        "🏷 Ekonomika",
        "🏷 Infrastruktūra un pakalpojumi",
        "🏷 Pārvaldība",
        "🏷 Kopiena un kultūra",
        "🏷 Vide un enerģija",
        "🏷 Cits",
        "🙈 Paslēpt",
        "↩ Atpakaļ",
    ]
    # A leader sets the area of a resident's idea from the ⚙ menu.
    area = await tg.answer_of(await tg.press(managing, "🏷 Vide un enerģija", village.admin))
    assert area["text"] == "🏷 Joma: Vide un enerģija"
    assert (await _idea(database)).area == IdeaArea.ENVIRONMENT
    await tg.press(card, "⚙", village.admin)
    await tg.settle()
    managing = tg.message(village.chat.id, card["message_id"])
    assert "🏷 Vide un enerģija" not in labels(managing)
    assert "🏷 Ekonomika" in labels(managing)
    how = await tg.answer_of(await tg.press(managing, "Noraidīta", village.admin))
    assert how["text"].startswith("Lūdzu, norādiet noraidīšanas iemeslu, piemēram: /status 1")
    await tg.answer_of(await tg.press(managing, "Apspriešanā", village.admin))
    card = await _settled_card(tg, card)
    assert "Statuss: Apspriešanā" in card["text"]
    assert labels(card)[:2] == ["👍 Atbalstīt (0)", "⚙"]
    await tg.press(card, "⚙", village.admin)
    await tg.settle()
    # Hiding asks first, with the idea's text; the card closes its management buttons.
    cursor = tg.mark()
    await tg.press(tg.message(village.chat.id, card["message_id"]), "🙈", village.admin)
    question = await tg.next_message(village.chat, after=cursor)
    assert question["text"] == (
        f"🙈 Paslēpt šo? Ideja #1: „{PLAYGROUND}”\n"
        "Iedzīvotāji to vairs neredzēs. To var atkal parādīt: /ideaunhide 1"
    )
    assert labels(question) == ["🙈 Paslēpt", "Atcelt"]
    card = await _settled_card(tg, card)
    assert labels(card)[:2] == ["👍 Atbalstīt (0)", "⚙"]
    assert not (await _idea(database)).hidden
    refused = await tg.answer_of(await tg.press(question, "🙈", village.resident))
    assert refused["text"].startswith("Atvainojiet, to var darīt tikai darba grupa")
    cursor = tg.mark()
    await tg.answer_of(await tg.press(question, "🙈", village.admin))
    await tg.wait_for(
        lambda c: (
            c.method == "editMessageText"
            and c.params.get("message_id") == str(question["message_id"])
        ),
        after=cursor,
    )
    answer = tg.message(village.chat.id, question["message_id"])
    assert answer["text"] == (
        "🙈 Ideja #1: iedzīvotāji to vairs neredz. Lai parādītu atkal: /ideaunhide 1"
    )
    card = await _settled_card(tg, card)
    assert card["text"] == "💡 Ideju #1 darba grupa paslēpa."
    assert "reply_markup" not in card or not labels(card)
    gone = await tg.ask(village.chat, village.resident, "/idea 1")
    assert gone["text"] == "Šajā ciema grupā nav idejas #1."
    assert (await _idea(database)).hidden
    # The undo: the answer's button, or /ideaunhide.
    cursor = tg.mark()
    await tg.answer_of(await tg.press(answer, "↩", village.admin))
    await tg.wait_for(
        lambda c: (
            c.method == "editMessageText"
            and c.params.get("message_id") == str(question["message_id"])
        ),
        after=cursor,
    )
    shown = tg.message(village.chat.id, question["message_id"])
    assert shown["text"] == "↩ Ideja #1: iedzīvotāji to atkal redz."
    card = await _settled_card(tg, card)
    assert labels(card)[:2] == ["👍 Atbalstīt (0)", "⚙"]
    assert not (await _idea(database)).hidden


async def test_a_hidden_idea_is_shown_again_by_command(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    chat, anna, janis = village.chat, village.admin, village.resident
    card = await tg.ask(chat, janis, f"/idea {PLAYGROUND}")
    await tg.press(card, "⚙", anna)
    await tg.settle()
    cursor = tg.mark()
    await tg.press(tg.message(chat.id, card["message_id"]), "🙈", anna)
    question = await tg.next_message(chat, after=cursor)
    said = await tg.send(chat, janis, "Es palīdzēšu darba grupai")
    await tg.ask(chat, anna, "/promote", reply_to=said)
    other = await tg.answer_of(await tg.press(question, "🙈", janis))
    assert other["text"] == "Uz šo jautājumu var atbildēt tikai līderis, kurš to uzdeva."
    assert not (await _idea(database)).hidden
    await tg.answer_of(await tg.press(question, "🙈", anna))
    card = await _settled_card(tg, card)
    assert card["text"] == "💡 Ideju #1 darba grupa paslēpa."
    usage = await tg.ask(chat, anna, "/ideaunhide")
    assert usage["text"] == "Norādiet paslēptās idejas numuru: /ideaunhide 5"
    back = await tg.ask(chat, anna, "/ideaunhide 1")
    assert back["text"] == "↩ Ideja #1: iedzīvotāji to atkal redz."
    card = await _settled_card(tg, card)
    assert labels(card)[:2] == ["👍 Atbalstīt (0)", "⚙"]
    assert (await tg.ask(chat, anna, "/ideaunhide 1"))["text"] == "Ideja #1 nav paslēpta."
    log = (await tg.ask(chat, anna, "/log"))["text"]
    assert "paslēpa ideju #1" in log
    assert "atkal parādīja ideju #1" in log


async def test_the_author_withdraws_a_new_idea(tg: BotApiEmulator, village: Village) -> None:
    await tg.ask(village.chat, village.resident, f"/idea {PLAYGROUND}")
    detail = await tg.ask(village.chat, village.resident, "/idea 1")
    assert "↩ Atsaukt manu ideju" in labels(detail)
    other_view = await tg.ask(village.chat, village.admin, "/idea 1")
    assert "↩ Atsaukt manu ideju" not in labels(other_view)
    refused = await tg.answer_of(await tg.press_data(detail, "withdraw1:1", village.admin))
    assert refused["text"] == "Ideju var atsaukt tikai tās autors."
    done = await tg.answer_of(await tg.press(detail, "↩", village.resident))
    assert done["text"] == "Ideja #1 ir atsaukta."
    await tg.settle()
    card = tg.bot_messages(village.chat)[1]
    assert card["text"] == "💡 Ideju #1 autors atsauca."


async def test_leaders_track_owner_cost_funding_progress(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    await tg.ask(village.chat, village.resident, f"/idea {PLAYGROUND}")
    said = await tg.send(village.chat, village.resident, "Es varu to vadīt")
    # The field words are the Latvian ones the help text shows; English and Russian work too.
    owner = await tg.ask(village.chat, village.admin, "/ideaset 1 atbildīgais", reply_to=said)
    assert owner["text"] == "Saglabāts idejai #1.\nAtbildīgais: Jānis"
    cost = await tg.ask(village.chat, village.admin, "/ideaset 1 izmaksas 12 500,50")
    # Babel's no-break spaces keep the amount on one line of a phone's screen.
    assert cost["text"].endswith("Izmaksu tāme: 12\u00a0500,50\u00a0€")
    cost = await tg.ask(village.chat, village.admin, "/ideaset 1 стоимость 12500,25")
    assert cost["text"].endswith("Izmaksu tāme: 12\u00a0500,25\u00a0€")
    funding = await tg.ask(village.chat, village.admin, "/ideaset 1 Finansējums LEADER programma")
    assert "Finansējums: LEADER programma" in funding["text"]
    bad = await tg.ask(village.chat, village.admin, "/ideaset 1 izpilde 140")
    assert bad["text"] == "Izpildi norāda procentos no 0 līdz 100, piemēram, 40."
    unknown = await tg.ask(village.chat, village.admin, "/ideaset 1 owner @nobody")
    assert unknown["text"] == "Šajā ciema grupā nezinu dalībnieku @nobody."
    usage = await tg.ask(village.chat, village.admin, "/ideaset 1 colour red")
    assert usage["text"].startswith("Uzrakstiet idejas numuru, ko iestatīt, un vērtību")
    assert usage["text"].endswith("/ideaset 5 joma infrastruktūra")
    # Leaders set the area with the area's word, or its name in any language.
    area = await tg.ask(village.chat, village.admin, "/ideaset 1 area infrastruktūra")
    assert area["text"].splitlines()[:2] == [
        "Saglabāts idejai #1.",
        "🏷 Joma: Infrastruktūra un pakalpojumi",
    ]
    assert (await _idea(database)).area == IdeaArea.INFRASTRUCTURE
    for words, area_set in (
        ("governance", IdeaArea.GOVERNANCE),
        ("Vide un enerģija", IdeaArea.ENVIRONMENT),
        ("культура", None),
        ("сообщество и культура", IdeaArea.COMMUNITY),
    ):
        answer = await tg.ask(village.chat, village.admin, f"/ideaset 1 area {words}")
        if area_set is None:
            assert answer["text"].startswith("Norādiet jomu: economy, infrastructure, ")
        else:
            assert (await _idea(database)).area == area_set, answer["text"]
    idea = await _idea(database)
    assert (idea.cost_cents, idea.funding_source) == (1_250_025, "LEADER programma")


async def test_flooding_is_limited(tg: BotApiEmulator, village: Village) -> None:
    distinct = [
        "Jauns rotaļu laukums pie skolas",
        "Ielu apgaismojums Dārza ielā",
        "Soliņi pie autobusa pieturas",
        "Koncerts kultūras namā vasarā",
        "Velosipēdu novietne pie veikala",
    ]
    for text in distinct:
        card = await tg.ask(village.chat, village.resident, f"/idea {text}")
        assert card["text"].startswith("💡 Ideja #")
    refused = await tg.ask(village.chat, village.resident, "/idea Vēl viena ideja par ceļiem")
    assert refused["text"] == (
        "Paldies par tik daudzām idejām uzreiz! Lūdzu, pagaidiet 10 minūtes pirms nākamās."
    )
    # A leader typing in what a meeting collected is not limited.
    collected = [
        "Bibliotēkas darba laiks sestdienās",
        "Talka upes krastā pavasarī",
        "Suņu pastaigu laukums",
        "Zivju dīķa tīrīšana",
        "Vēstures stends pie muižas",
        "Datorkursi senioriem",
    ]
    for text in collected:
        card = await tg.ask(village.chat, village.admin, f"/idea {text}")
        assert card["text"].startswith("💡 Ideja #"), card["text"]


async def test_ideas_of_another_village_are_out_of_reach(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    other = tg.group("Augšciems", admins=[village.admin])
    stranger: FakeUser = tg.user("Svešinieks")
    other.members[stranger.id] = "member"
    cursor = tg.mark()
    await tg.add_bot(other, by=village.admin)
    await tg.next_message(other, after=cursor)
    card = await tg.ask(other, stranger, "/idea Augšciema ideja par jaunu tiltu")
    idea = await _idea(database)
    # A forged press in Lejasciems for Augšciems' idea, and a private look by a non-member.
    here = await tg.ask(village.chat, village.resident, "/help")
    answer = await tg.answer_of(
        await tg.press_data(here, encode(SupportPress(idea.id)), village.resident)
    )
    assert answer["text"] == "Šī poga vairs nedarbojas."
    start = await tg.ask(village.resident, village.resident, "/start")
    private = await tg.answer_of(
        await tg.press_data(start, encode(SupportPress(idea.id)), village.resident)
    )
    assert private["text"] == "Šī poga vairs nedarbojas."
    assert card["text"].startswith("💡 Ideja #1")
    assert (await tg.ask(village.chat, village.resident, "/idea 1"))["text"] == (
        "Šajā ciema grupā nav idejas #1."
    )
    assert (await _idea(database)).support_count == 0
    await asyncio.sleep(0)
    async with database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(User)) >= 3
