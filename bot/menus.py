"""The command menus Telegram shows: per language and per scope, from bot/commands.py."""

from __future__ import annotations

import logging

from telegram import (
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeDefault,
)
from telegram.error import TelegramError

from bot.commands import COMMANDS, Command
from bot.i18n import LANGUAGES, Translator
from bot.runtime import BotApplication, Runtime

log = logging.getLogger(__name__)


def menu_scopes() -> list[tuple[BotCommandScope, list[Command]]]:
    """Private chats: what works there for everyone; groups: residents' commands; admins: all."""
    return [
        (
            BotCommandScopeDefault(),
            [c for c in COMMANDS if c.in_private and not c.leaders_only],
        ),
        (
            BotCommandScopeAllGroupChats(),
            [c for c in COMMANDS if c.in_group and not c.leaders_only],
        ),
        (BotCommandScopeAllChatAdministrators(), [c for c in COMMANDS if c.in_group]),
    ]


def bot_commands(commands: list[Command], t: Translator) -> list[BotCommand]:
    return [BotCommand(c.name, t.plain(c.description)) for c in commands]


async def register_menus(app: BotApplication, runtime: Runtime) -> None:
    """One setMyCommands per scope and language, plus a language-less menu in the default one."""
    for scope, commands in menu_scopes():
        for language in (None, *LANGUAGES):
            t = runtime.translator(language)
            try:
                await app.bot.set_my_commands(
                    bot_commands(commands, t), scope=scope, language_code=language
                )
            except TelegramError:
                log.exception("could not set the %s menu for %s", language or "default", scope.type)
