"""A Bot API emulator shipped with the bot (as Starlette ships its TestClient).

Tests, benchmarks and the offline console run the real python-telegram-bot stack, HTTP
included, against it:

    tg = BotApiEmulator()
    async with serve(tg) as url, running_bot(settings_for(tg, url, db_url)):
        alice = tg.user("Alice")
        ...
"""

from bot.testing.emulator import ApiCall, BotApiCore
from bot.testing.flood import FloodLimits
from bot.testing.harness import running_bot, settings_for
from bot.testing.params import ApiError, Params
from bot.testing.server import serve
from bot.testing.telegram import BotApiEmulator, buttons
from bot.testing.world import FakeChat, FakeUser

__all__ = [
    "ApiCall",
    "ApiError",
    "BotApiCore",
    "BotApiEmulator",
    "FakeChat",
    "FakeUser",
    "FloodLimits",
    "Params",
    "buttons",
    "running_bot",
    "serve",
    "settings_for",
]
