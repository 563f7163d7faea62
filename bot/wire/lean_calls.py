"""Calls made by name with plain JSON parameters (the outbox's calls, the button answer), and
the parameters of sends and edits.

python-telegram-bot turns the answer to every send and edit into a `Message` (with its chat,
sender, entities and keyboard), and converts every parameter of a call into its own objects
before the transport encodes them: work the bot throws away on calls whose parameters are JSON
already. `call` gives them to the bot's transport as they are, through the bot's flood limits
(bot.wire.ratelimit) and PTB's reading of the answer (errors as `TelegramError`), and gives back
Telegram's answer as it came. A call with a file goes through `Bot.do_api_request`, PTB's
documented way to make a call by name. PTB's defaults do not reach such calls, so the bot's own
(HTML, no link previews; see bot.app) are given here.
"""

from __future__ import annotations

import json
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.request import RequestData

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
    await call_json(bot, "answerCallbackQuery", call)


async def call_json(bot: Bot, method: str, params: dict[str, Any]) -> Any:
    """Make `method` with `params`, JSON values only (no files)."""
    request, url, data = bot.request, f"{bot.base_url}/{method}", _Json(params)

    async def post() -> Any:
        return await request.post(url, data)

    limiter = getattr(bot, "rate_limiter", None)
    if limiter is None:
        return await post()
    return await limiter.process_request(
        callback=post, args=(), kwargs={}, endpoint=method, data=params, rate_limit_args=None
    )


class _Json(RequestData):  # type: ignore[misc]  # final in PTB's typing: read the same way
    """A call's parameters as the transport takes them, without PTB's conversion of each."""

    def __init__(self, params: dict[str, Any]) -> None:
        super().__init__()
        self._plain = params

    @property
    def parameters(self) -> dict[str, Any]:
        return self._plain

    @property
    def json_parameters(self) -> dict[str, str]:
        """Form fields, for a transport that posts forms (PTB's own)."""
        return {
            name: value if isinstance(value, str) else json.dumps(value)
            for name, value in self._plain.items()
        }


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
