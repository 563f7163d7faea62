"""The ways into the board: /board, the group's welcome, idea cards and the private chat's menu
button. A group gets URL buttons to the bot's direct Mini App link (Telegram refuses `web_app`
buttons there); a private chat gets `web_app` buttons. With the board off, nothing of it shows."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo
from telegram.error import BadRequest
from telegram.request import HTTPXRequest

from bot import menus
from bot.commands import available
from bot.db import Database
from bot.runtime import BotApplication, runtime_of
from bot.testing import BotApiEmulator, buttons
from tests.board.conftest import WEB_URL, village_id
from tests.conftest import Village, new_village

DIRECT = "https://t.me/villagebot_test?startapp="
BOARD_OFF: Any = pytest.mark.parametrize("bot_env", [{}], ids=["board off"])


def _links(message: dict[str, Any]) -> list[str]:
    return [b["url"] for b in buttons(message) if "url" in b]


def _commands(text: str) -> set[str]:
    return {line.split(" ", 1)[0] for line in text.splitlines() if line.startswith("/")}


async def test_board_in_the_group_is_a_link_to_the_bots_mini_app(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    vid = await village_id(database, village.chat)
    reply = await tg.ask(village.chat, village.resident, "/board")
    assert "Lejasciems" in reply["text"]
    assert "tāfele" in reply["text"]
    (button,) = buttons(reply)
    assert button == {"text": "📋 Atvērt ciema tāfeli", "url": f"{DIRECT}v{vid}"}


async def test_board_in_private_chat_is_a_web_app_button_for_the_chosen_village(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    vid = await village_id(database, village.chat)
    await tg.ask(village.chat, village.resident, "/help")  # the bot meets him in the group
    reply = await tg.ask(village.resident, village.resident, "/board")
    (button,) = buttons(reply)
    assert button["web_app"] == {"url": f"{WEB_URL}/board?start=v{vid}"}
    assert "Lejasciems" in reply["text"]


async def test_board_in_private_chat_asks_which_village_first(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    other = await new_village(tg, admin_last_name="Bērziņa")
    await tg.join(other.chat, village.resident)
    for chat in (village.chat, other.chat):
        await tg.ask(chat, village.resident, "/help")
    reply = await tg.ask(village.resident, village.resident, "/board")
    assert [b.get("callback_data", "").startswith("village") for b in buttons(reply)] == [
        True,
        True,
    ]
    await tg.press(reply, "Lejasciems", by=village.resident)
    await tg.settle(quiet=0.3)
    vid = await village_id(database, village.chat)
    again = await tg.ask(village.resident, village.resident, "/board")
    assert buttons(again)[0]["web_app"]["url"] == f"{WEB_URL}/board?start=v{vid}"


async def test_help_and_menus_list_board_while_it_is_on(
    tg: BotApiEmulator, village: Village
) -> None:
    shown = _commands((await tg.ask(village.chat, village.resident, "/help"))["text"])
    assert "/board" in shown
    assert shown == {f"/{c.name}" for c in available(in_private=False, leader=False, board=True)}
    for scope in ("default", "all_group_chats", "all_chat_administrators"):
        menu = {c["command"]: c["description"] for c in tg.commands[(scope, "lv")]}
        assert menu["board"] == "Ciema tāfele: viss vienuviet"


async def test_the_welcome_has_a_board_button(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    vid = await village_id(database, village.chat)
    (greeting, *_rest) = tg.bot_messages(village.chat)
    assert greeting["text"].startswith("Sveiki, Lejasciems!")
    links = _links(greeting)
    assert links[0].endswith(f"start=join_{vid}")  # the private chat's button stays first
    assert links[1] == f"{DIRECT}v{vid}"


async def test_an_idea_card_opens_the_idea_on_the_board(
    tg: BotApiEmulator, village: Village, database: Database
) -> None:
    vid = await village_id(database, village.chat)
    card = await tg.ask(village.chat, village.resident, "/idea Jauns soliņš pie veikala")
    board_button = {"text": "📋 Atvērt tāfelē", "url": f"{DIRECT}v{vid}-i1"}
    assert buttons(card)[-1] == board_button
    assert len(card["reply_markup"]["inline_keyboard"][-1]) == 1
    # Supported, then the leader's ⚙ opened and closed: the card keeps its board button,
    # and its callback buttons still work (their data is checked against the card's buttons).
    await tg.press(card, "👍", by=village.resident)

    def supported() -> dict[str, Any] | None:
        shown = tg.message(village.chat.id, card["message_id"])
        return shown if buttons(shown)[0]["text"] == "👍 Atbalstīt (1)" else None

    # The card is redrawn once its pacing allows (VILLAGEBOT_CARD_EDIT_SECONDS).
    current = await tg.wait_until(supported, timeout=10)
    assert current is not None
    assert buttons(current)[-1] == board_button
    await tg.press(current, "⚙", by=village.admin)
    await tg.settle(quiet=0.4)
    managing = tg.message(village.chat.id, card["message_id"])
    assert board_button not in buttons(managing)
    await tg.press(managing, "↩", by=village.admin)
    await tg.settle(quiet=0.4)
    assert buttons(tg.message(village.chat.id, card["message_id"]))[-1] == board_button
    # The /idea 1 view, in the group and in private chat, opens it too.
    assert buttons(await tg.ask(village.chat, village.admin, "/idea 1"))[-1] == board_button
    shown = await tg.ask(village.resident, village.resident, "/idea 1")
    assert [b["text"] for b in buttons(shown)][-2:] == ["📋 Atvērt tāfelē", "↩ Atsaukt manu ideju"]


async def test_the_private_chats_menu_button_opens_the_board(
    tg: BotApiEmulator, village: Village
) -> None:
    assert tg.menu_buttons == {
        0: {"type": "web_app", "text": "Ciema tāfele", "web_app": {"url": f"{WEB_URL}/board"}}
    }


@BOARD_OFF
async def test_with_the_board_off_board_says_so_and_nothing_else_shows_it(
    tg: BotApiEmulator, village: Village
) -> None:
    reply = await tg.ask(village.chat, village.resident, "/board")
    assert reply["text"] == "Šim botam ciema tāfele nav iestatīta."
    assert "reply_markup" not in reply
    private = await tg.ask(village.resident, village.resident, "/board")
    assert private["text"].startswith("Šim botam ciema tāfele nav iestatīta.")
    help_text = (await tg.ask(village.chat, village.resident, "/help"))["text"]
    assert "/board" not in help_text
    assert all("board" not in [c["command"] for c in menu] for menu in tg.commands.values())
    assert tg.menu_buttons == {}
    (greeting, *_rest) = tg.bot_messages(village.chat)
    assert len(buttons(greeting)) == 1
    card = await tg.ask(village.chat, village.resident, "/idea Jauns soliņš pie veikala")
    assert not [b for b in buttons(card) if "url" in b]


@BOARD_OFF
async def test_a_board_menu_button_left_from_before_is_taken_back(
    tg: BotApiEmulator, bot: BotApplication
) -> None:
    """The board was on at an earlier start and is off now: the menu button would open nothing."""
    tg.menu_buttons[0] = {"type": "web_app", "text": "Ciema tāfele", "web_app": {"url": WEB_URL}}
    await menus.register_menu_button(bot, runtime_of(bot))
    assert tg.menu_buttons == {0: {"type": "default"}}
    await menus.register_menu_button(bot, runtime_of(bot))  # and is left alone from then on
    assert [c.method for c in tg.calls if c.method == "setChatMenuButton"] == ["setChatMenuButton"]


async def test_telegram_refuses_web_app_buttons_in_groups(tg: BotApiEmulator, api_url: str) -> None:
    """As Telegram does: so a test that passes proves the group got URL buttons."""
    anna = tg.user("Anna")
    village = tg.group("Lejasciems", admins=[anna])
    village.members[tg.bot.id] = "member"
    await tg.private(anna, "/start")
    app = InlineKeyboardMarkup(
        [[InlineKeyboardButton("Tāfele", web_app=WebAppInfo(url=f"{WEB_URL}/board"))]]
    )
    async with Bot(tg.token, base_url=f"{api_url}/bot", request=HTTPXRequest()) as ptb:
        with pytest.raises(BadRequest, match="Button_type_invalid"):
            await ptb.send_message(village.id, "hi", reply_markup=app)
        sent = await ptb.send_message(anna.id, "hi", reply_markup=app)
        assert sent.reply_markup is not None
        plain = InlineKeyboardMarkup(
            [[InlineKeyboardButton("x", web_app=WebAppInfo(url="http://board.example.org"))]]
        )
        with pytest.raises(BadRequest, match=r"(?i)button_url_invalid"):
            await ptb.send_message(anna.id, "hi", reply_markup=plain)
