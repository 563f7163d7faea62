"""A member's budget ballot in private chat: one toggle button per idea, and the group's link
to it."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence

from telegram import InlineKeyboardMarkup

from bot.i18n import N_, Translator
from bot.keyboards.codec import button, callback, keyboard, url_button
from bot.keyboards.common import board_button
from bot.services.budget import ItemView
from bot.services.text import shorten

IDEA_ON_BUTTON = 28


@callback("bvote")
@dataclasses.dataclass(frozen=True)
class BallotToggle:
    """Choose or leave out idea `number` on one's ballot in round `round_id`."""

    round_id: int
    number: int


def ballot_keyboard(
    t: Translator, round_id: int, items: Sequence[ItemView], chosen: Collection[int]
) -> InlineKeyboardMarkup:
    return keyboard(
        [
            button(
                # No words to translate; the idea's text is cut to keep the label short.
                f"{'✅' if item.number in chosen else '▫️'} #{item.number} "
                f"{shorten(item.text, IDEA_ON_BUTTON)} — {t.money(item.cost_cents)}",
                BallotToggle(round_id, item.number),
            )
        ]
        for item in items
    )


VOTE_ON_THE_BOARD = N_("📋 Vote on the board")


def vote_keyboard(
    t: Translator, url: str, board_url: str | None = None, *, app: bool = False
) -> InlineKeyboardMarkup:
    """Under the group's announcement and in reminders: the private chat where each member
    votes and, while the board is on, the board's ballot (`app`: a `web_app` button, for
    private chats; see board_button)."""
    rows = [[url_button(t.plain(N_("🗳 Vote")), url)]]
    if board_url is not None:
        rows.append([board_button(t, board_url, app=app, label=VOTE_ON_THE_BOARD)])
    return keyboard(rows)
