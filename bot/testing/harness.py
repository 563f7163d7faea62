"""Run the real bot in this event loop against an emulator: what tests and the console use."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from telegram import Update

from bot.app import build_application
from bot.config import Settings
from bot.runtime import BotApplication
from bot.testing.telegram import BotApiEmulator

# No flood limits in tests unless a test asks for them: the emulator counts, it does not wait.
UNLIMITED = {
    "VILLAGEBOT_MESSAGES_PER_SECOND": "100000",
    "VILLAGEBOT_GROUP_MESSAGES_PER_MINUTE": "100000",
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
async def running_bot(settings: Settings) -> AsyncIterator[BotApplication]:
    """The same start and stop sequence as `run_polling`, inside the caller's loop."""
    app = build_application(settings)
    await app.initialize()
    try:
        if app.post_init is not None:
            await app.post_init(app)
        assert app.updater is not None
        await app.updater.start_polling(
            poll_interval=0, timeout=10, allowed_updates=Update.ALL_TYPES
        )
        await app.start()
        try:
            yield app
        finally:
            if app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
                if app.post_stop is not None:
                    await app.post_stop(app)
    finally:
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
