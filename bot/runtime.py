"""What every handler and job reaches through its context: settings, database, catalogs, admins."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from aiohttp import web
from telegram.ext import Application, CallbackContext, ExtBot

from bot.board import links
from bot.config import Settings
from bot.db import Database
from bot.i18n import Catalogs, Translator
from bot.services.communities import CommunityDefaults
from bot.services.leaders import AdminDirectory
from bot.services.presence import PresenceDirectory
from bot.wire.outbox import Sender

RUNTIME_KEY = "runtime"
JOB_SLOTS = 4


@dataclass
class Runtime:
    settings: Settings
    db: Database
    catalogs: Catalogs
    admins: AdminDirectory
    presence: PresenceDirectory
    outbox: Sender
    bot_username: str = ""
    extras: dict[str, Any] = field(default_factory=dict)
    # Adds the board's routes to a web application (the board's own server, or the webhook's
    # one); None while the board is off (no VILLAGEBOT_WEB_URL).
    board: Callable[[web.Application], None] | None = None
    # Scheduled jobs running at once (see handlers.jobs.community_job).
    job_slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(JOB_SLOTS))

    @property
    def community_defaults(self) -> CommunityDefaults:
        return CommunityDefaults(self.settings.default_language, self.settings.default_timezone)

    def translator(self, language: str | None) -> Translator:
        return self.catalogs.translator(language or self.settings.default_language)

    def deep_link(self, payload: str) -> str:
        return f"https://t.me/{self.bot_username}?start={payload}"

    def board_link(self, param: str) -> str | None:
        """The board opened on `param` from a group's URL button (the bot's direct Mini App
        link); None while the board is off."""
        if self.settings.web_url is None:
            return None
        return links.direct_link(self.bot_username, param)

    def board_app_url(self, param: str | None = None) -> str | None:
        """The board's page for `web_app` buttons and the menu button in private chat; None
        while the board is off."""
        if self.settings.web_url is None:
            return None
        return links.app_url(self.settings.web_url, param)


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """PTB's context with typed access to the runtime."""

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.application.bot_data[RUNTIME_KEY]
        return runtime

    @property
    def app(self) -> BotApplication:
        """The application, typed with this context (for scheduling from handlers and jobs)."""
        return cast("BotApplication", self.application)


BotApplication = Application[
    ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any
]


def runtime_of(app: BotApplication) -> Runtime:
    """The runtime of an application, reached from outside an update (jobs, the board)."""
    runtime: Runtime = app.bot_data[RUNTIME_KEY]
    return runtime
