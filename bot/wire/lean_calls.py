"""The parameters of sends and edits made by name (the outbox's calls), and the button answer.

python-telegram-bot turns the answer to every send and edit into a `Message` (with its chat,
sender, entities and keyboard): a twentieth of the bot's CPU at saturation (bench/), for answers
the bot throws away. The outbox's calls go through the same `Bot` (flood control, retries, errors as
`TelegramError`) with `do_api_request`, PTB's documented way to make a call by name, and give
back Telegram's answer as it came. PTB's defaults do not reach such calls, so the bot's own
(HTML, no link previews; see bot.app) are given here. PTB warns that these methods have typed
versions; that is the point here, so that warning is silenced (bot.wire).
"""

from __future__ import annotations

from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode

DEFAULTS: dict[str, Any] = {
    "parse_mode": ParseMode.HTML,
    "link_preview_options": {"is_disabled": True},
}


def message_params(
    text: str, keyboard: InlineKeyboardMarkup | None = None, *, reply_to: int | None = None
) -> dict[str, Any]:
    """sendMessage's parameters but the chat: quoting `reply_to` while that message exists."""
    call: dict[str, Any] = {"text": text, **DEFAULTS}
    if keyboard is not None:
        call["reply_markup"] = plain_markup(keyboard)
    if reply_to is not None:
        call["reply_parameters"] = {"message_id": reply_to, "allow_sending_without_reply": True}
    return call


def edit_params(
    message_id: int, text: str, keyboard: InlineKeyboardMarkup | None = None
) -> dict[str, Any]:
    """editMessageText's parameters but the chat."""
    call: dict[str, Any] = {"message_id": message_id, "text": text, **DEFAULTS}
    if keyboard is not None:
        call["reply_markup"] = plain_markup(keyboard)
    return call


async def answer_query(bot: Bot, query_id: str, text: str | None, *, alert: bool = False) -> None:
    """answerCallbackQuery: stops the button's spinner, with a short note or an alert."""
    call: dict[str, Any] = {"callback_query_id": query_id}
    if text is not None:
        call["text"] = text
    if alert:
        call["show_alert"] = True
    await bot.do_api_request("answerCallbackQuery", call)


# Button fields other than text, callback_data and url: a button with any of them set is
# converted by PTB's own to_dict.
_OTHER_BUTTON_FIELDS = tuple(
    name for name in InlineKeyboardButton.__slots__ if name not in ("text", "callback_data", "url")
)


def plain_markup(keyboard: InlineKeyboardMarkup) -> dict[str, Any]:
    """The keyboard as the Bot API takes it. PTB's generic `to_dict` walks every field of
    every button; the bot's buttons carry a callback or a link only, and a card's ten buttons
    took 4 % of the CPU of an idea this way (bench/)."""
    return {
        "inline_keyboard": [[_plain_button(b) for b in row] for row in keyboard.inline_keyboard]
    }


def _plain_button(button: InlineKeyboardButton) -> dict[str, Any]:
    callback, url = button.callback_data, button.url
    if button.api_kwargs or any(getattr(button, name) is not None for name in _OTHER_BUTTON_FIELDS):
        return button.to_dict()
    if isinstance(callback, str) and url is None:
        return {"text": button.text, "callback_data": callback}
    if url is not None and callback is None:
        return {"text": button.text, "url": url}
    return button.to_dict()
