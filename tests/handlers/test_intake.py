"""Noise cannot crowd out work: one resident writing to the bot as fast as they can gets at most
the limit of answers and one request to slow down, while what they contribute is still applied
and everyone else is answered as usual."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.app import runtime_of
from bot.db import Database
from bot.models import Idea, IdeaSupport, SwotItem
from bot.runtime import BotApplication
from bot.services.intake import Intake
from bot.testing import BotApiEmulator, FakeChat, FakeUser, buttons
from handlers.intake import INTAKE_KEY
from tests.conftest import Village

SLOW_DOWN = "Lūdzu, ne tik ātri: drīz atkal atbildēšu."
WRITE_A_COMMAND = "Uzrakstiet komandu, piemēram, /help."
# The first private answer a person gets ends with how to change the language.
LANGUAGE_HINT = "\n\n🌐 Valoda: Latviešu. Mainīt: /language"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _texts(tg: BotApiEmulator, where: FakeUser | FakeChat) -> list[str]:
    return [m.get("text", "").removesuffix(LANGUAGE_HINT) for m in tg.bot_messages(where)]


async def _flood(
    tg: BotApiEmulator, where: FakeUser | FakeChat, person: FakeUser, text: str, count: int
) -> None:
    for n in range(count):
        await tg.send(where, person, text.format(n=n))
    await tg.settle()


async def _count(database: Database, model: type[object]) -> int:
    async with database.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_plain_messages_past_the_limit_get_one_slow_down(
    tg: BotApiEmulator, village: Village, bot: BotApplication
) -> None:
    limit = runtime_of(bot).settings.noise_limit
    person = village.resident
    await _flood(tg, person, person, "Sveiki {n}", 40)
    texts = _texts(tg, person)
    # At most the limit's answers (fewer when the chat's queue of answers to noise is full:
    # bot.services.outbox), then the one notice.
    assert texts[-1] == SLOW_DOWN
    assert set(texts[:-1]) == {WRITE_A_COMMAND}
    assert len(texts) - 1 <= limit
    notice = tg.bot_messages(person)[-1]
    assert notice["reply_to_message"]["text"] == f"Sveiki {limit}"  # the first one left over
    # The same limit holds in the group: their /help goes unanswered there too.
    cursor = tg.mark()
    await tg.send(village.chat, person, "/help")
    await tg.settle()
    assert not [c for c in tg.calls[cursor:] if c.method == "sendMessage"]
    # Everyone else is answered as before, in the group and in private.
    assert "Komandas" in (await tg.ask(village.chat, village.admin, "/help"))["text"]
    olga = tg.user("Olga", language_code="ru")
    await tg.join(village.chat, olga)
    assert "Команды" in (await tg.ask(olga, olga, "/start"))["text"]


async def test_contributions_past_the_limit_are_applied(
    tg: BotApiEmulator, village: Village, bot: BotApplication, database: Database
) -> None:
    limit = runtime_of(bot).settings.noise_limit
    person = village.resident
    admins_card = await tg.ask(village.chat, village.admin, "/idea Soliņi pie autobusa pieturas")
    await _flood(tg, person, person, "Sveiki {n}", limit + 5)
    assert _texts(tg, person)[-1] == SLOW_DOWN
    # An idea, a support press, and a guided SWOT flow's answers in private chat all count.
    card = await tg.ask(village.chat, person, "/idea Bērnu rotaļu laukums pie skolas")
    assert card["text"].startswith("💡 Ideja #2")
    answer = await tg.answer_of(await tg.press(admins_card, "👍", person))
    assert answer["text"] == "👍 Jūs atbalstāt ideju #1."
    prompt = await tg.ask(person, person, "/weakness")
    assert prompt["text"].startswith("🔧 Vājās puses — Lejasciems")
    assert "W1" in (await tg.ask(person, person, "Nav veikala tuvumā"))["text"]
    assert "W2" in (await tg.ask(person, person, "Autobuss kursē reti"))["text"]
    assert await _count(database, Idea) == 2
    assert await _count(database, IdeaSupport) == 1
    assert await _count(database, SwotItem) == 2
    # Read-only commands are still limited, and the slow-down was said only once.
    cursor = tg.mark()
    await tg.send(person, person, "/ideas")
    await tg.settle()
    assert not [c for c in tg.calls[cursor:] if c.method == "sendMessage"]
    assert _texts(tg, person).count(SLOW_DOWN) == 1


async def test_a_member_spamming_help_in_the_group_is_asked_once_to_slow_down(
    tg: BotApiEmulator, village: Village, bot: BotApplication
) -> None:
    runtime_of(bot).extras[INTAKE_KEY] = Intake(limit=3, period=60, clock=Clock())
    before = len(tg.bot_messages(village.chat))
    await _flood(tg, village.chat, village.resident, "/help", 10)
    texts = _texts(tg, village.chat)[before:]
    assert len(texts) == 4
    assert all("Komandas" in text for text in texts[:3])
    assert texts[3] == SLOW_DOWN
    assert "Komandas" in (await tg.ask(village.chat, village.admin, "/help"))["text"]


async def test_answers_resume_after_the_period_and_the_notice_comes_once_per_period(
    tg: BotApiEmulator, village: Village, bot: BotApplication
) -> None:
    clock = Clock()
    runtime_of(bot).extras[INTAKE_KEY] = Intake(limit=2, period=60, clock=clock)
    person = village.resident
    await _flood(tg, person, person, "Sveiki {n}", 5)
    assert _texts(tg, person) == [WRITE_A_COMMAND] * 2 + [SLOW_DOWN]
    clock.now += 30
    await _flood(tg, person, person, "Vēl {n}", 3)
    assert len(_texts(tg, person)) == 3  # still within the period: nothing, not even a notice
    clock.now += 30
    await _flood(tg, person, person, "Atkal {n}", 4)
    assert _texts(tg, person)[3:] == [WRITE_A_COMMAND] * 2 + [SLOW_DOWN]


async def test_page_turns_past_the_limit_go_unanswered(
    tg: BotApiEmulator, village: Village, bot: BotApplication
) -> None:
    runtime_of(bot).extras[INTAKE_KEY] = Intake(limit=2, period=60, clock=Clock())
    await tg.ask(village.chat, village.admin, "/idea Soliņi pie autobusa pieturas")
    listing = await tg.ask(village.chat, village.resident, "/ideas")  # the first noise
    label = buttons(listing)[0]["text"]  # an area filter: it only turns the list
    pressed = [await tg.press(listing, label, village.resident) for _ in range(3)]
    await tg.settle()
    answered = {
        str(c.params.get("callback_query_id"))
        for c in tg.calls
        if c.method == "answerCallbackQuery"
    }
    assert pressed[0] in answered  # the second noise update of the window
    assert (await tg.answer_of(pressed[1]))["text"] == SLOW_DOWN
    assert pressed[2] not in answered


async def test_group_chatter_and_other_bots_commands_do_not_count(
    tg: BotApiEmulator, village: Village, bot: BotApplication
) -> None:
    """With privacy mode off the bot sees every message of the group: talking there, or using
    another bot, is nobody's noise."""
    tg.privacy_mode = False
    runtime_of(bot).extras[INTAKE_KEY] = Intake(limit=2, period=60, clock=Clock())
    person = village.resident
    await _flood(tg, village.chat, person, "Labrīt, kaimiņi! {n}", 10)
    await _flood(tg, village.chat, person, "/weather@otherbot", 5)
    await _flood(tg, village.chat, person, "/hello", 5)  # no bot named: not answered here
    reply = await tg.ask(village.chat, person, "/help")
    assert "Komandas" in reply["text"]
    assert SLOW_DOWN not in _texts(tg, village.chat)
