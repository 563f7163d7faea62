"""The last line of defence: errors outside the decorated handlers (polling, PTB internals)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Conflict, NetworkError, TelegramError

from bot import logs
from bot.runtime import BotContext
from handlers.context import FAILURE

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    error = context.error
    if isinstance(error, Conflict):
        log.error("another instance of the bot is polling with the same token: %s", error)
        return
    if isinstance(error, NetworkError) and update is None:
        log.warning("network trouble talking to the Bot API: %s", error)
        return
    log.error("unhandled error on update %s", logs.describe(update), exc_info=error)
    if isinstance(update, Update) and update.effective_chat is not None:
        t = context.runtime.translator(None)
        try:
            await context.bot.send_message(update.effective_chat.id, t._(FAILURE))
        except TelegramError:
            log.warning("could not report the failure to chat %s", update.effective_chat.id)
