"""/start, /help, /language and choosing a village group, through the emulator."""

from __future__ import annotations

from sqlalchemy import select

from bot.commands import available
from bot.db import Database
from bot.models import Community, User
from bot.testing import BotApiEmulator, buttons
from tests.conftest import Village


def _commands(text: str) -> set[str]:
    return {line.split(" ", 1)[0] for line in text.splitlines() if line.startswith("/")}


async def test_help_shows_residents_their_commands_in_the_group_language(
    tg: BotApiEmulator, village: Village
) -> None:
    reply = await tg.ask(village.chat, village.resident, "/help")
    assert "Komandas" in reply["text"]
    assert "Lejasciems" in reply["text"]
    residents = {f"/{c.name}" for c in available(in_private=False, leader=False)}
    assert _commands(reply["text"]) == residents
    assert {"/help", "/language"} <= residents
    assert "/promote" not in residents
    assert "Darba grupai" not in reply["text"]


async def test_help_shows_leaders_their_commands_too(tg: BotApiEmulator, village: Village) -> None:
    reply = await tg.ask(village.chat, village.admin, "/help")
    assert "Darba grupai" in reply["text"]
    assert {"/promote", "/demote"} <= _commands(reply["text"])


async def test_private_help_follows_the_telegram_language(
    tg: BotApiEmulator, village: Village
) -> None:
    olga = tg.user("Olga", language_code="ru")
    await tg.join(village.chat, olga)
    reply = await tg.ask(olga, olga, "/start")
    assert "Команды" in reply["text"]
    assert "Lejasciems" in reply["text"]  # her only village group is chosen by itself
    assert "/village" in reply["text"]


async def test_private_chat_speaks_the_village_language_unless_telegram_says_lv_or_ru(
    tg: BotApiEmulator, village: Village
) -> None:
    """Telegram has no Latvian interface: a Latvian villager's app mostly says English."""
    edgars = tg.user("Edgars", language_code="en")
    olga = tg.user("Olga", language_code="ru")
    for person in (edgars, olga):
        await tg.join(village.chat, person)
    first = await tg.ask(edgars, edgars, "/help")
    assert "Komandas" in first["text"]
    assert first["text"].endswith("🌐 Valoda: Latviešu. Mainīt: /language")
    again = await tg.ask(edgars, edgars, "/help")
    assert "Komandas" in again["text"]
    assert "🌐" not in again["text"]  # said once
    russian = await tg.ask(olga, olga, "/help")
    assert "Команды" in russian["text"]
    assert russian["text"].endswith("🌐 Язык: Русский. Сменить: /language")
    # /language always wins.
    menu = await tg.ask(edgars, edgars, "/language")
    assert "🌐" not in menu["text"]
    cursor = tg.mark()
    await tg.press(menu, "English", by=edgars)
    await tg.wait_for(lambda c: c.method == "editMessageText", after=cursor)
    english = await tg.ask(edgars, edgars, "/help")
    assert "Commands" in english["text"]
    assert "🌐" not in english["text"]


async def test_private_chat_with_no_village_speaks_english_for_a_language_it_lacks(
    tg: BotApiEmulator, bot: object
) -> None:
    hans = tg.user("Hans", language_code="de")
    reply = await tg.ask(hans, hans, "/start")
    assert "Add me to your village's Telegram group" in reply["text"]
    assert reply["text"].endswith("🌐 Language: English. To change it: /language")


async def test_start_with_no_village_explains_what_to_do(tg: BotApiEmulator, bot: object) -> None:
    stranger = tg.user("Eve", language_code="en")
    reply = await tg.ask(stranger, stranger, "/start")
    assert "Add me to your village's Telegram group" in reply["text"]


async def test_language_in_private_is_personal(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    person = village.resident
    menu = await tg.ask(person, person, "/language")
    assert [b["text"] for b in buttons(menu)] == ["Latviešu", "English", "Русский"]
    cursor = tg.mark()
    await tg.press(menu, "English", by=person)
    await tg.wait_for(lambda c: c.method == "editMessageText", after=cursor)
    assert tg.bot_messages(person)[-1]["text"] == "I will write to you in English."
    assert "Commands" in (await tg.ask(person, person, "/help"))["text"]
    # The group keeps its own language.
    assert "Komandas" in (await tg.ask(village.chat, person, "/help"))["text"]
    async with database.transaction() as session:
        user = await session.scalar(select(User).where(User.telegram_id == person.id))
        assert user is not None
        assert user.language == "en"


async def test_group_language_is_for_leaders(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    refused = await tg.ask(village.chat, village.resident, "/language")
    assert "tikai darba grupa" in refused["text"]
    menu = await tg.ask(village.chat, village.admin, "/language")
    # A resident pressing the leader's buttons is refused, and nothing changes.
    query = await tg.press(menu, "Русский", by=village.resident)
    answer = await tg.answer_of(query)
    assert answer["show_alert"]
    assert "darba grupa" in answer["text"]
    async with database.transaction() as session:
        assert await session.scalar(select(Community.language)) == "lv"
    cursor = tg.mark()
    await tg.press(menu, "Русский", by=village.admin)
    await tg.wait_for(lambda c: c.method == "editMessageText", after=cursor)
    assert tg.bot_messages(village.chat)[-1]["text"] == "Язык группы теперь: Русский."
    assert "Команды" in (await tg.ask(village.chat, village.resident, "/help"))["text"]


async def test_a_member_of_two_villages_picks_one_and_it_is_remembered(
    tg: BotApiEmulator, village: Village
) -> None:
    other = tg.group("Augšciems", admins=[village.admin], members=[village.resident])
    await tg.add_bot(other, by=village.admin)
    person = village.resident
    await tg.ask(village.chat, person, "/help")
    await tg.ask(other, person, "/help")
    undecided = await tg.ask(person, person, "/help")
    assert "/village" in undecided["text"]
    assert "Lejasciems" not in undecided["text"]
    picker = await tg.ask(person, person, "/village")
    assert sorted(b["text"] for b in buttons(picker)) == ["Augšciems", "Lejasciems"]
    cursor = tg.mark()
    await tg.press(picker, "Augšciems", by=person)
    await tg.wait_for(lambda c: c.method == "editMessageText", after=cursor)
    assert "Augšciems" in tg.bot_messages(person)[-1]["text"]
    assert "Augšciems" in (await tg.ask(person, person, "/help"))["text"]


async def test_join_deep_link_checks_membership_with_telegram(
    tg: BotApiEmulator, village: Village
) -> None:
    greeting = tg.bot_messages(village.chat)[0]
    link = buttons(greeting)[0]["url"]
    payload = link.split("start=")[1]
    newcomer = tg.user("Pēteris")
    await tg.join(village.chat, newcomer)
    reply = await tg.ask(newcomer, newcomer, f"/start {payload}")
    assert "Lejasciems" in reply["text"]
    outsider = tg.user("Svešais")
    refused = await tg.ask(outsider, outsider, f"/start {payload}")
    assert "neesat šīs ciema grupas dalībnieks" in refused["text"]
