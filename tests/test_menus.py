"""Command menus are registered per scope and per language at start-up."""

from __future__ import annotations

from bot.runtime import BotApplication
from bot.testing import BotApiEmulator
from bot.testing.emulator import DESCRIPTION_LIMIT, SHORT_DESCRIPTION_LIMIT


def _menu(tg: BotApiEmulator, scope: str, language: str) -> dict[str, str]:
    return {c["command"]: c["description"] for c in tg.commands[(scope, language)]}


async def test_menus_per_scope_and_language(tg: BotApiEmulator, bot: BotApplication) -> None:
    scopes = {"default", "all_group_chats", "all_chat_administrators"}
    assert set(tg.commands) == {(s, lang) for s in scopes for lang in ("", "lv", "en", "ru")}
    private = _menu(tg, "default", "ru")
    assert private["help"] == "Что я умею"
    assert {"start", "village", "language"} <= set(private)
    assert "promote" not in private
    group = _menu(tg, "all_group_chats", "lv")
    assert group["help"] == "Ko es protu"
    assert "start" not in group
    assert "promote" not in group
    admins = _menu(tg, "all_chat_administrators", "en")
    assert admins["promote"].startswith("Add a member to the working group")
    # Users whose Telegram speaks another language get the default language's menu.
    assert _menu(tg, "default", "") == _menu(tg, "default", "lv")


async def test_descriptions_in_every_language(tg: BotApiEmulator, bot: BotApplication) -> None:
    """What Telegram shows before /start and in the profile: English for users of a language
    the bot lacks, Latvian and Russian for theirs; within the Bot API's limits."""
    assert set(tg.descriptions) == set(tg.short_descriptions) == {"", "lv", "ru"}
    assert tg.descriptions[""].startswith("I help a village")
    assert tg.descriptions["lv"].startswith("Es palīdzu ciemam")
    assert tg.descriptions["ru"].startswith("Я помогаю деревне")
    assert "SVID" in tg.short_descriptions["lv"]
    assert "деревни" in tg.short_descriptions["ru"]
    assert all(len(text) <= DESCRIPTION_LIMIT for text in tg.descriptions.values())
    assert all(len(text) <= SHORT_DESCRIPTION_LIMIT for text in tg.short_descriptions.values())
