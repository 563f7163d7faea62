"""Private messages reach only people who started the bot; blocking is remembered (by the
outbox, when Telegram refuses the message)."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import runtime_of
from bot.models import User
from bot.runtime import BotApplication
from bot.testing import BotApiEmulator
from handlers.notify import privately
from tests.conftest import Village


async def _tell(tg: BotApiEmulator, bot: BotApplication, telegram_id: int) -> tuple[bool, bool]:
    database = runtime_of(bot).db
    async with database.transaction() as session:
        user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
    assert user is not None
    sent_before = len(tg.bot_messages(tg.users[telegram_id]))
    await runtime_of(bot).outbox.put(*privately(user, "Sveiki!"))
    await runtime_of(bot).outbox.drain()
    sent = len(tg.bot_messages(tg.users[telegram_id])) > sent_before
    async with database.transaction() as session:
        stored = await session.scalar(select(User).where(User.telegram_id == telegram_id))
    assert stored is not None
    return sent, stored.started_bot


async def test_private_messages(tg: BotApiEmulator, village: Village, bot: BotApplication) -> None:
    person = village.resident
    await tg.ask(village.chat, person, "/help")
    assert await _tell(tg, bot, person.id) == (False, False)
    await tg.ask(person, person, "/start")
    assert await _tell(tg, bot, person.id) == (True, True)
    assert tg.bot_messages(person)[-1]["text"] == "Sveiki!"
    person.blocked = True  # blocked without the bot noticing yet
    assert await _tell(tg, bot, person.id) == (False, False)
