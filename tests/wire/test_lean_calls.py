"""Sends and edits whose answers are not read: the same HTML, previews, quoting and keyboard as
the typed calls, and Telegram's refusals as PTB's errors."""

from __future__ import annotations

import pytest
from telegram import Bot, CopyTextButton, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest
from telegram.request import HTTPXRequest

from bot.testing import BotApiEmulator, Params
from bot.wire import lean_calls
from bot.wire.transport import AiohttpRequest

KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("👍 1", callback_data="sup:1")]])


async def test_send_and_edit_as_the_typed_calls_would(tg: BotApiEmulator, api_url: str) -> None:
    anna = tg.user("Anna")
    chat = tg.group("Lejasciems", admins=[anna])
    chat.members[tg.bot.id] = "member"
    asked = await tg.send(chat, anna, "/idea Soliņi parkā")
    async with Bot(tg.token, base_url=f"{api_url}/bot", request=AiohttpRequest()) as bot:
        text = "💡 <b>Soliņi</b> https://example.org"
        reply_to = asked["message_id"]
        call = lean_calls.message_params(text, KEYBOARD, reply_to=reply_to)
        sent = await lean_calls.call_json(bot, "sendMessage", {"chat_id": chat.id, **call})
        edit = {
            "chat_id": chat.id,
            **lean_calls.edit_params(sent["message_id"], "💡 <i>Soliņi</i>"),
        }
        await lean_calls.call_json(bot, "editMessageText", edit)
        with pytest.raises(BadRequest, match="not modified"):
            await lean_calls.call_json(bot, "editMessageText", edit)
    send = next(c for c in tg.calls if c.method == "sendMessage")
    params = Params(send.params)
    assert params.json("link_preview_options") == {"is_disabled": True}
    assert params.json("reply_parameters")["message_id"] == asked["message_id"]
    assert sent["text"] == "💡 Soliņi https://example.org"
    assert sent["reply_markup"] == KEYBOARD.to_dict()
    shown = tg.message(chat.id, sent["message_id"])
    assert shown["text"] == "💡 Soliņi"
    assert "reply_markup" not in shown  # an edit without a keyboard removes it, as Telegram does


async def test_a_call_by_name_goes_through_a_transport_that_posts_forms(
    tg: BotApiEmulator, api_url: str
) -> None:
    """PTB's own transport posts form fields: JSON values go as JSON text, as PTB sends them."""
    anna = tg.user("Anna")
    anna.started = True
    async with Bot(tg.token, base_url=f"{api_url}/bot", request=HTTPXRequest()) as bot:
        call = lean_calls.message_params("<b>Sveiki</b>", KEYBOARD)
        sent = await lean_calls.call_json(bot, "sendMessage", {"chat_id": anna.id, **call})
    assert sent["text"] == "Sveiki"
    assert sent["reply_markup"] == KEYBOARD.to_dict()


async def test_answer_query_as_the_typed_call_would(tg: BotApiEmulator, api_url: str) -> None:
    anna = tg.user("Anna")
    chat = tg.group("Lejasciems", admins=[anna])
    card = {
        "message_id": 7,
        "chat": {"id": chat.id, "type": "supergroup"},
        "date": 0,
        "text": "💡 #1",
        "reply_markup": KEYBOARD.to_dict(),
    }
    note, alert, silent = [await tg.press(card, "👍", anna) for _ in range(3)]
    async with Bot(tg.token, base_url=f"{api_url}/bot", request=AiohttpRequest()) as bot:
        await lean_calls.answer_query(bot, note, "👍 Jūs atbalstāt ideju #1.")
        await lean_calls.answer_query(bot, alert, "Tikai darba grupa.", alert=True)
        await lean_calls.answer_query(bot, silent, None)
        with pytest.raises(BadRequest, match=r"(?i)query is too old"):
            await lean_calls.answer_query(bot, note, None)
    assert tg.callback_answers[note] == {"text": "👍 Jūs atbalstāt ideju #1.", "show_alert": False}
    assert tg.callback_answers[alert] == {"text": "Tikai darba grupa.", "show_alert": True}
    assert tg.callback_answers[silent] == {"text": "", "show_alert": False}


def test_plain_markup_is_what_ptb_would_send() -> None:
    shapes = [
        InlineKeyboardMarkup([[InlineKeyboardButton("👍 Atbalstīt (3)", callback_data="sup:1:7")]]),
        InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton("Jā", callback_data="y"),
                    InlineKeyboardButton("Nē", callback_data="n"),
                ],
                [InlineKeyboardButton("Privāti", url="https://t.me/ciems_bot?start=x")],
            ]
        ),
        InlineKeyboardMarkup(
            [[InlineKeyboardButton("Meklēt", switch_inline_query_current_chat="")]]
        ),
        InlineKeyboardMarkup([[InlineKeyboardButton("Kopēt", copy_text=CopyTextButton("S4"))]]),
    ]
    for markup in shapes:
        assert lean_calls.plain_markup(markup) == markup.to_dict()
