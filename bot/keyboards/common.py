"""The foundation's buttons: language choice, village-group choice, and the shapes several
features share: a page row, a leader's yes/no question, and hiding with its undo."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Protocol

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import LANGUAGE_NAMES, LANGUAGES, N_, Translator
from bot.keyboards.codec import app_button, button, callback, keyboard, url_button

# The answers to a hide question, and the undo button under its result.
HIDE, KEEP, UNHIDE = "yes", "no", "undo"
OPEN_BOARD = N_("📋 Open the village board")


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


def board_button(
    t: Translator, url: str, *, app: bool = False, label: str = OPEN_BOARD
) -> InlineKeyboardButton:
    """Opens the village board: a URL button to the bot's direct Mini App link (all a group
    allows), or with `app` a `web_app` button to the board's page (private chats)."""
    text = t.plain(label)
    return app_button(text, url) if app else url_button(text, url)


def pager(page: int, pages: int, at: Callable[[int], object]) -> list[InlineKeyboardButton]:
    """◀ 2/5 ▶ for page `page` (from 0) of a paged list; `at(n)` is the data showing page n."""
    return [
        button("◀", at(max(page - 1, 0))),
        button(f"{page + 1}/{pages}", at(page)),
        button("▶", at(min(page + 1, pages - 1))),
    ]


def confirm_keyboard(
    t: Translator, yes: str, yes_data: object, no_data: object
) -> InlineKeyboardMarkup:
    """A leader's question before a change that is not easily undone: `yes` or Cancel."""
    return keyboard([[button(yes, yes_data), button(t.plain(N_("Cancel")), no_data)]])


class HideQuestion(Protocol):
    """The data of a hide question's buttons; each hideable thing registers its own kind with
    the thing's id, `user_id` (the leader who asked: only they answer the question, while any
    leader may undo) and `action` (HIDE, KEEP or UNHIDE)."""

    @property
    def user_id(self) -> int: ...

    @property
    def action(self) -> str: ...


def hide_keyboard(t: Translator, ask: Callable[[str], HideQuestion]) -> InlineKeyboardMarkup:
    return confirm_keyboard(t, t.plain(N_("🙈 Hide")), ask(HIDE), ask(KEEP))


def unhide_keyboard(t: Translator, ask: Callable[[str], HideQuestion]) -> InlineKeyboardMarkup:
    return keyboard([[button(t.plain(N_("↩ Show again")), ask(UNHIDE))]])
