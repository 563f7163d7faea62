from __future__ import annotations

from bot.runtime import BotApplication
from bot.testing import BotApiEmulator


async def test_greeting_and_help(tg: BotApiEmulator, bot: BotApplication) -> None:
    alice = tg.user("Alice", language_code="en")
    village = tg.group("Lejasciems", admins=[alice])
    cursor = tg.mark()
    await tg.add_bot(village, by=alice)
    greeting = await tg.next_message(village, after=cursor)
    print(greeting)
    reply = await tg.ask(village, alice, "/help")
    print(reply["text"])
