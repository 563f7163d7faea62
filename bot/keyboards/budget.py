"""A member's budget ballot in private chat: one toggle button per idea, and the group's link
to it."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence

from telegram import InlineKeyboardMarkup

from bot.i18n import N_, Translator
from bot.keyboards.codec import button, callback, keyboard, url_button
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


def vote_keyboard(t: Translator, url: str) -> InlineKeyboardMarkup:
    """Under the group's announcement: the private chat where each member votes."""
    return keyboard([[url_button(t.plain(N_("🗳 Vote")), url)]])
