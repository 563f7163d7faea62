"""Inline keyboards: the callback-data codec (`codec.py`) and one module per feature.

Each feature keeps its callback kinds and keyboards in `bot/keyboards/<feature>.py`.
"""

from bot.keyboards.codec import (
    CALLBACK_DATA_LIMIT,
    app_button,
    button,
    callback,
    decode,
    encode,
    in_rows,
    keyboard,
    kind_of,
    pattern,
    url_button,
)
from bot.keyboards.common import (
    CommunityPick,
    LanguagePick,
    board_button,
    community_keyboard,
    language_keyboard,
)

__all__ = [
    "CALLBACK_DATA_LIMIT",
    "CommunityPick",
    "LanguagePick",
    "app_button",
    "board_button",
    "button",
    "callback",
    "community_keyboard",
    "decode",
    "encode",
    "in_rows",
    "keyboard",
    "kind_of",
    "language_keyboard",
    "pattern",
    "url_button",
]
