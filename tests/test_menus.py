"""Command menus are registered per scope and per language at start-up."""

from __future__ import annotations

from bot.runtime import BotApplication
from bot.testing import BotApiEmulator


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
