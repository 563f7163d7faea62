"""The messages an update or a job writes to the outbox (bot.services.outbox), one builder per
kind of Bot API call; `bot.wire.outbox` sends them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from telegram import InlineKeyboardMarkup

from bot.services import outbox
from bot.wire import lean_calls

# What a live card shows now; None when it is gone (its item deleted): nothing is sent.
CardContent = tuple[str, InlineKeyboardMarkup | None] | None


@dataclass(frozen=True)
class Drawn:
    """A whole call drawn by its view when it is sent (see `draw`): what it says can depend on
    what was sent just before in its lane (the message it quotes), or take long to build (a
    file, built then rather than in an update's transaction); and a row written by a record
    (bot.services.placed, where these builders are out of reach) is drawn whole this way."""

    params: dict[str, Any]
    file: outbox.Attachment | None = None

    @classmethod
    def text(
        cls, text: str, keyboard: InlineKeyboardMarkup | None = None, *, reply_to: int | None = None
    ) -> Drawn:
        return cls(lean_calls.message_params(text, keyboard, reply_to=reply_to))

    @classmethod
    def upload(
        cls,
        kind: Literal["document", "photo"],
        name: str,
        content: bytes,
        *,
        caption: str | None = None,
        reply_to: int | None = None,
    ) -> Drawn:
        params = _upload_params(caption, reply_to)
        return cls(params, outbox.Attachment(kind, name, content))


# Draws a row from its view's argument (`kind:argument`): a card (`show`, `refresh`) or a
# whole call (`draw`); None when there is nothing to send any more.
View = Callable[[str], Awaitable[CardContent | Drawn]]


def post(
    chat_id: int,
    text: str,
    keyboard: InlineKeyboardMarkup | None = None,
    *,
    reply_to: int | None = None,
    noise: bool = False,
    after_send: str | None = None,
) -> outbox.Message:
    """A text message; `after_send` records where it went (bot.services.placed)."""
    params = lean_calls.message_params(text, keyboard, reply_to=reply_to)
    return outbox.Message(chat_id, "sendMessage", params, noise=noise, after_send=after_send)


def edit(
    chat_id: int, message_id: int, text: str, keyboard: InlineKeyboardMarkup | None = None
) -> outbox.Message:
    """A message's new text; a newer edit of the same message replaces an unsent one."""
    params = lean_calls.edit_params(message_id, text, keyboard)
    return outbox.Message(
        chat_id, "editMessageText", params, coalesce_key=outbox.edit_key(message_id)
    )


def show(
    chat_id: int, view: str, *, reply_to: int | None = None, after_send: str | None = None
) -> outbox.Message:
    """A live card, drawn by its `view` when it is sent."""
    params = lean_calls.message_params("", reply_to=reply_to)
    return outbox.Message(chat_id, "sendMessage", params, after_send=after_send, view=view)


def refresh(chat_id: int, message_id: int, view: str) -> outbox.Message:
    """A live card redrawn by its `view` when the edit is sent: however many changes come
    meanwhile, one edit shows the latest state."""
    params = lean_calls.edit_params(message_id, "")
    return outbox.Message(
        chat_id, "editMessageText", params, coalesce_key=outbox.edit_key(message_id), view=view
    )


def draw(
    chat_id: int,
    view: str,
    method: str = "sendMessage",
    *,
    after_send: str | None = None,
    on_refused: str | None = None,
) -> outbox.Message:
    """A call drawn whole by its `view` when it is sent (`Drawn`)."""
    return outbox.Message(
        chat_id, method, {}, after_send=after_send, on_refused=on_refused, view=view
    )


def upload(
    chat_id: int,
    kind: Literal["document", "photo"],
    name: str,
    content: bytes,
    *,
    caption: str | None = None,
) -> outbox.Message:
    """A file, with an optional caption."""
    params = _upload_params(caption, None)
    return outbox.Message(
        chat_id, _upload_method(kind), params, file=outbox.Attachment(kind, name, content)
    )


def _upload_method(kind: Literal["document", "photo"]) -> str:
    return "sendDocument" if kind == "document" else "sendPhoto"


def _upload_params(caption: str | None, reply_to: int | None) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if caption is not None:
        params = {"caption": caption, "parse_mode": lean_calls.DEFAULTS["parse_mode"]}
    if reply_to is not None:
        params["reply_parameters"] = {"message_id": reply_to, "allow_sending_without_reply": True}
    return params


def send_poll(
    chat_id: int,
    question: str,
    options: Sequence[str],
    *,
    anonymous: bool,
    multiple: bool,
    reply_to: int | None = None,
    after_send: str | None = None,
    on_refused: str | None = None,
) -> outbox.Message:
    """A native poll (plain text: no parse mode for its question and options)."""
    params: dict[str, Any] = {
        "question": question,
        "options": [{"text": option} for option in options],
        "is_anonymous": anonymous,
        "allows_multiple_answers": multiple,
    }
    if reply_to is not None:
        params["reply_parameters"] = {"message_id": reply_to, "allow_sending_without_reply": True}
    return outbox.Message(chat_id, "sendPoll", params, after_send=after_send, on_refused=on_refused)


def stop_poll(chat_id: int, message_id: int, *, after_send: str | None = None) -> outbox.Message:
    """Close a native poll; Telegram answers with its final counts."""
    params = {"message_id": message_id}
    return outbox.Message(chat_id, "stopPoll", params, after_send=after_send)


def react(chat_id: int, message_id: int, emoji: str) -> outbox.Message:
    """The bot's reaction on a message (✍ on a comment it took)."""
    params = {"message_id": message_id, "reaction": [{"type": "emoji", "emoji": emoji}]}
    return outbox.Message(chat_id, "setMessageReaction", params)


def drop_buttons(chat_id: int, message_id: int) -> outbox.Message:
    """The message keeps its text and loses its buttons (a question answered)."""
    params = {"message_id": message_id}
    return outbox.Message(
        chat_id, "editMessageReplyMarkup", params, coalesce_key=f"buttons:{message_id}"
    )
