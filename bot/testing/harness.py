"""Run the real bot in this event loop against an emulator: what tests and the console use."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from bot.app import build_application
from bot.config import Settings
from bot.runtime import BotApplication
from bot.testing.telegram import BotApiEmulator
from bot.wire.polling import polling

# No flood limits in tests unless a test asks for them: the emulator counts, it does not wait.
UNLIMITED = {
    "VILLAGEBOT_MESSAGES_PER_SECOND": "100000",
    "VILLAGEBOT_GROUP_MESSAGES_PER_MINUTE": "100000",
    "VILLAGEBOT_CHAT_MESSAGES_PER_SECOND": "100000",
    "VILLAGEBOT_CARD_EDIT_SECONDS": "0.2",
}


def settings_for(
    emulator: BotApiEmulator, url: str, database_url: str, extra: Mapping[str, str] | None = None
) -> Settings:
    return Settings.from_mapping(
        {
            "TELEGRAM_BOT_TOKEN": emulator.token,
            "TELEGRAM_API_URL": url,
            "DATABASE_URL": database_url,
            **UNLIMITED,
            **(extra or {}),
        }
    )


@asynccontextmanager
async def running_bot(
    settings: Settings, *, serve_board: bool = False
) -> AsyncIterator[BotApplication]:
    """The bot polling the emulator inside the caller's loop, with the same polling loop and
    start and stop sequence as `villagebot run`. Its board (with VILLAGEBOT_WEB_URL) gets no
    server of its own unless asked: tests serve it on a free port (bot.testing.board)."""
    app = build_application(settings, serve_board=serve_board)
    async with polling(app):
        yield app
