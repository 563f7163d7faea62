"""Builds the python-telegram-bot Application; nothing runs at import time."""

from __future__ import annotations

import functools
import logging
import os
from typing import cast
from zoneinfo import ZoneInfo

from aiohttp import web
from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

from bot import logs, menus, migrate, scheduler
from bot.board import site
from bot.config import Settings
from bot.db import Database
from bot.i18n import Catalogs
from bot.resources import locales_dir
from bot.runtime import RUNTIME_KEY, BotApplication, BotContext, Runtime, runtime_of
from bot.services.leaders import AdminDirectory
from bot.services.presence import PresenceDirectory
from bot.wire.outbox import Sender
from bot.wire.ratelimit import FloodLimiter
from bot.wire.request import RetryingRequest
from bot.wire.transport import AiohttpRequest

log = logging.getLogger(__name__)

RATE_LIMIT_RETRIES = 5
BOARD_SERVER = "board_server"


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    batched_commits: bool = True,
    serve_board: bool = True,
) -> BotApplication:
    """The bot, wired to its settings; `request` lets tests and tools replace the HTTP layer.
    `serve_board`: the board (when VILLAGEBOT_WEB_URL is set) gets a server of its own; off
    when the webhook's server serves it."""
    import handlers
    from handlers.groups import is_present

    # Opt in to python-telegram-bot's coming timedelta durations (silences its deprecation
    # warning on every flood-control answer); nothing here reads those durations as ints.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    logs.hide_secrets(settings.token, settings.webhook_secret)

    builder = (
        ApplicationBuilder()
        .token(settings.require_token())
        .base_url(f"{settings.api_url}/bot")
        .base_file_url(f"{settings.api_url}/file/bot")
        .context_types(ContextTypes(context=BotContext))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                tzinfo=ZoneInfo(settings.default_timezone),
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(
            FloodLimiter(
                per_second=settings.messages_per_second,
                group_per_minute=settings.group_messages_per_minute,
                chat_per_second=settings.chat_messages_per_second,
                max_retries=RATE_LIMIT_RETRIES,
            )
        )
        .request(request or RetryingRequest(connection_pool_size=16))
        .get_updates_request(get_updates_request or AiohttpRequest(connection_pool_size=2))
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
    )
    app = cast(BotApplication, builder.build())

    async def fetch_admins(chat_id: int) -> set[int]:
        return {member.user.id for member in await app.bot.get_chat_administrators(chat_id)}

    async def fetch_presence(chat_id: int, user_id: int) -> bool:
        try:
            member = await app.bot.get_chat_member(chat_id, user_id)
        except BadRequest:  # "user not found", "PARTICIPANT_ID_INVALID": never in the chat
            return False
        return is_present(member)

    db = Database(settings.database_url, batched_commits=batched_commits)
    app.bot_data[RUNTIME_KEY] = Runtime(
        settings=settings,
        db=db,
        catalogs=Catalogs.load(locales_dir()),
        admins=AdminDirectory(fetch_admins, ttl=settings.admin_cache_seconds),
        presence=PresenceDirectory(fetch_presence, ttl=settings.admin_cache_seconds),
        outbox=Sender(app.bot, db, card_edit_seconds=settings.card_edit_seconds),
    )
    if settings.web_url is not None:
        import handlers.board  # its templates (Jinja2) are loaded only for a board that is on

        runtime = runtime_of(app)
        runtime.board = functools.partial(
            site.install,
            bot_app=app,
            routes=handlers.board.ROUTES,
            prefix=site.prefix_of(settings.web_url),
        )
        if serve_board:
            served = web.Application()
            runtime.board(served)
            runtime.extras[BOARD_SERVER] = site.BoardServer(
                served, settings.web_listen, settings.web_port
            )
    scheduler.add_source(app, scheduler.housekeeping_source)
    handlers.register(app)
    return app


async def post_init(app: BotApplication) -> None:
    """Before the first update: database at head, menus and descriptions registered, jobs
    rebuilt."""
    runtime = runtime_of(app)
    runtime.bot_username = app.bot.username
    await migrate.upgrade(runtime.settings.database_url)
    log.info("database is at the latest migration")
    await menus.register_menus(app, runtime)
    await menus.register_descriptions(app, runtime)
    await menus.register_menu_button(app, runtime)
    await scheduler.rebuild(app)
    await runtime.outbox.start()
    board: site.BoardServer | None = runtime.extras.get(BOARD_SERVER)
    if board is not None:
        await board.start()
    log.info("villagebot @%s is ready", runtime.bot_username)


async def post_stop(app: BotApplication) -> None:
    """The calls in flight go out before the bot's connection closes; the rest of the outbox
    waits in the database for the next start. The board stops taking requests first."""
    runtime = runtime_of(app)
    board: site.BoardServer | None = runtime.extras.get(BOARD_SERVER)
    if board is not None:
        await board.stop()
    await runtime.outbox.stop()


async def post_shutdown(app: BotApplication) -> None:
    await runtime_of(app).db.dispose()
