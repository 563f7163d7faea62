"""What Telegram shows of the bot before and beside a chat: the command menus (per language and
per scope, from bot/commands.py), the bot's description and short description, and, while the
board is on, the private chat's menu button opening the board."""

from __future__ import annotations

import logging

from telegram import (
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeDefault,
    MenuButtonDefault,
    MenuButtonWebApp,
    WebAppInfo,
)
from telegram.error import TelegramError

from bot.commands import COMMANDS, Command
from bot.i18n import LANGUAGES, N_, Translator
from bot.runtime import BotApplication, Runtime

log = logging.getLogger(__name__)

# Shown in the empty chat before /start (at most 512 characters).
DESCRIPTION = N_(
    "I help a village plan its future together, right in its Telegram group: residents' "
    "ideas and their support, a SWOT analysis, polls, progress meetings with reminders, "
    "small victories and the development plan.\n\n"
    "Add me to your village's group, or press Start to see what I can do."
)
# Shown in the bot's profile and in shared links (at most 120 characters).
SHORT_DESCRIPTION = N_("Ideas, SWOT, polls, meetings and small victories for your village's group.")
# The private chat's menu button (a few words: it replaces the "Menu" label).
BOARD_MENU_BUTTON = N_("Village board")
# Users of a language the bot lacks get English; Latvian and Russian have their own.
DESCRIPTION_LANGUAGES: tuple[tuple[str | None, str], ...] = (
    (None, "en"),
    *((language, language) for language in LANGUAGES if language != "en"),
)


def menu_scopes(*, board: bool = False) -> list[tuple[BotCommandScope, list[Command]]]:
    """Private chats: what works there for everyone; groups: residents' commands; admins: all.
    /board only while the board is on."""
    shown = [c for c in COMMANDS if board or not c.needs_board]
    return [
        (
            BotCommandScopeDefault(),
            [c for c in shown if c.in_private and not c.leaders_only],
        ),
        (
            BotCommandScopeAllGroupChats(),
            [c for c in shown if c.in_group and not c.leaders_only],
        ),
        (BotCommandScopeAllChatAdministrators(), [c for c in shown if c.in_group]),
    ]


def bot_commands(commands: list[Command], t: Translator) -> list[BotCommand]:
    return [BotCommand(c.name, t.plain(c.description)) for c in commands]


async def register_menus(app: BotApplication, runtime: Runtime) -> None:
    """One setMyCommands per scope and language, plus a language-less menu in the default one."""
    for scope, commands in menu_scopes(board=runtime.settings.web_url is not None):
        for language in (None, *LANGUAGES):
            t = runtime.translator(language)
            try:
                await app.bot.set_my_commands(
                    bot_commands(commands, t), scope=scope, language_code=language
                )
            except TelegramError:
                log.exception("could not set the %s menu for %s", language or "default", scope.type)


async def register_descriptions(app: BotApplication, runtime: Runtime) -> None:
    """The description and short description, in English for everyone and in each other
    language of the bot for its users."""
    for language_code, language in DESCRIPTION_LANGUAGES:
        t = runtime.translator(language)
        try:
            await app.bot.set_my_description(t.plain(DESCRIPTION), language_code=language_code)
            await app.bot.set_my_short_description(
                t.plain(SHORT_DESCRIPTION), language_code=language_code
            )
        except TelegramError:
            log.exception("could not set the %s description", language_code or "default")


async def register_menu_button(app: BotApplication, runtime: Runtime) -> None:
    """While the board is on, the private chat's menu button opens it (on the village the person
    was last active in); while it is off, Telegram's own menu button (a board button left from
    a time it was on is taken back)."""
    url = runtime.board_app_url()
    try:
        if url is not None:
            t = runtime.translator(None)
            text = t.plain(BOARD_MENU_BUTTON)
            await app.bot.set_chat_menu_button(
                menu_button=MenuButtonWebApp(text=text, web_app=WebAppInfo(url=url))
            )
        elif isinstance(await app.bot.get_chat_menu_button(), MenuButtonWebApp):
            await app.bot.set_chat_menu_button(menu_button=MenuButtonDefault())
    except TelegramError:
        log.exception("could not set the menu button")
