"""Messages to one person in private chat, where Telegram allows it."""

from __future__ import annotations

import logging

from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, Forbidden

from bot.db import Database
from bot.i18n import Translator
from bot.models import Community, User
from bot.runtime import Runtime
from bot.services import members, outbox
from bot.wire import messages

log = logging.getLogger(__name__)


def translator_for(runtime: Runtime, user: User, community: Community | None) -> Translator:
    """The language that person reads in private chat."""
    return runtime.translator(
        members.private_language(user, community, runtime.settings.default_language)
    )


def privately(
    user: User, text: str, keyboard: InlineKeyboardMarkup | None = None
) -> list[outbox.Message]:
    """A message to the person in private chat, when they have started the bot (none
    otherwise). One who blocked the bot since is remembered as such when it is sent."""
    if not user.started_bot or user.telegram_id is None:
        return []
    return [messages.post(user.telegram_id, text, keyboard)]


async def tell_privately(
    bot: Bot,
    db: Database,
    user: User,
    text: str,
    keyboard: InlineKeyboardMarkup | None = None,
) -> Message | None:
    """Send if the person has started the bot; a person who blocked it is remembered as such.

    Returns the message, or None when Telegram does not let the bot write to them. Call it after
    the update's commit (`turn.after_commit`) or from a job: it writes in its own transaction.
    """
    if not user.started_bot or user.telegram_id is None:
        return None
    try:
        return await bot.send_message(user.telegram_id, text, reply_markup=keyboard)
    except Forbidden:
        async with db.transaction() as session:
            await members.mark_not_started(session, user.id)
        user.started_bot = False
        return None
    except BadRequest as exc:
        log.warning("could not write to user %s: %s", user.id, exc)
        return None
