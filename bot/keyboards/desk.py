"""Buttons of the working group's desk and of a resident's own data."""

from __future__ import annotations

import dataclasses

from telegram import InlineKeyboardMarkup

from bot.i18n import N_, Translator
from bot.keyboards.codec import button, callback, keyboard, url_button


@callback("forget")
@dataclasses.dataclass(frozen=True)
class ForgetPress:
    user_id: int  # whose question it was: only they can answer it
    erase: int  # 1 erase, 0 keep


def forget_keyboard(t: Translator, user_id: int) -> InlineKeyboardMarkup:
    return keyboard(
        [
            [button(t.plain(N_("🗑 Yes, forget me")), ForgetPress(user_id, 1))],
            [button(t.plain(N_("Cancel")), ForgetPress(user_id, 0))],
        ]
    )


def private_chat_keyboard(t: Translator, url: str) -> InlineKeyboardMarkup:
    return keyboard([[url_button(t.plain(N_("Open a private chat")), url)]])
