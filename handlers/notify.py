"""Messages to one person in private chat, where Telegram allows it."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.i18n import Translator
from bot.models import Community, User
from bot.runtime import Runtime
from bot.services import members, outbox
from bot.wire import messages


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
