"""The foundation's buttons: language choice and village-group choice."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from telegram import InlineKeyboardMarkup

from bot.i18n import LANGUAGE_NAMES, LANGUAGES
from bot.keyboards.codec import button, callback, keyboard


@callback("lang")
@dataclasses.dataclass(frozen=True)
class LanguagePick:
    scope: str  # "p": the user's own language; "g": the group's
    language: str


@callback("village")
@dataclasses.dataclass(frozen=True)
class CommunityPick:
    community_id: int


def language_keyboard(scope: str) -> InlineKeyboardMarkup:
    return keyboard(
        [[button(LANGUAGE_NAMES[code], LanguagePick(scope, code)) for code in LANGUAGES]]
    )


def community_keyboard(choices: Iterable[tuple[int, str]]) -> InlineKeyboardMarkup:
    return keyboard(
        [[button(title, CommunityPick(community_id))] for community_id, title in choices]
    )
