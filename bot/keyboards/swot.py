"""The SWOT analysis' buttons: rating, picking a part, the guided flow, and a new round."""

from __future__ import annotations

import dataclasses

from telegram import InlineKeyboardMarkup

from bot.i18n import N_, Translator
from bot.keyboards.codec import button, callback, in_rows, keyboard, url_button
from bot.models import Quadrant
from bot.render.swot import quadrant_label
from bot.services.swot import QUADRANTS


@callback("swv")
@dataclasses.dataclass(frozen=True)
class SwotRate:
    item_id: int
    choice: str  # "a" agree, "d" disagree, "p" pass


@callback("swq")
@dataclasses.dataclass(frozen=True)
class SwotPart:
    community_id: int
    quadrant: str  # S, W, O or T


@callback("swf")
@dataclasses.dataclass(frozen=True)
class SwotFlow:
    community_id: int
    action: str  # "done", or "part": pick another part


@callback("swr")
@dataclasses.dataclass(frozen=True)
class SwotRoundStart:
    community_id: int
    number: int  # the round to archive: a stale or repeated press changes nothing
    action: str  # "go" or "no"


def board_keyboard(t: Translator, add_link: str, rate_link: str) -> InlineKeyboardMarkup:
    return keyboard(
        [
            [
                url_button(t.plain(N_("➕ Add inputs")), add_link),
                url_button(t.plain(N_("🗳 Rate inputs")), rate_link),
            ]
        ]
    )


def add_keyboard(t: Translator, add_link: str) -> InlineKeyboardMarkup:
    return keyboard([[url_button(t.plain(N_("➕ Add inputs")), add_link)]])


def rate_link_keyboard(t: Translator, rate_link: str) -> InlineKeyboardMarkup:
    return keyboard([[url_button(t.plain(N_("🗳 Rate inputs")), rate_link)]])


def rate_keyboard(t: Translator, item_id: int) -> InlineKeyboardMarkup:
    return keyboard(
        [
            [
                button(t.plain(N_("👍 Agree")), SwotRate(item_id, "a")),
                button(t.plain(N_("👎 Disagree")), SwotRate(item_id, "d")),
            ],
            [button(t.plain(N_("Pass ➡️")), SwotRate(item_id, "p"))],
        ]
    )


def parts_keyboard(t: Translator, community_id: int) -> InlineKeyboardMarkup:
    parts = [button(quadrant_label(t, q), SwotPart(community_id, q.value)) for q in QUADRANTS]
    return keyboard(in_rows(parts, 2))


def flow_keyboard(t: Translator, community_id: int) -> InlineKeyboardMarkup:
    return keyboard(
        [
            [
                button(t.plain(N_("✅ Done")), SwotFlow(community_id, "done")),
                button(t.plain(N_("Another part")), SwotFlow(community_id, "part")),
            ]
        ]
    )


def round_keyboard(t: Translator, community_id: int, number: int) -> InlineKeyboardMarkup:
    return keyboard(
        [
            [
                button(
                    t.plain(N_("Yes, start round {number}"), number=number + 1),
                    SwotRoundStart(community_id, number, "go"),
                ),
                button(t.plain(N_("Cancel")), SwotRoundStart(community_id, number, "no")),
            ]
        ]
    )


def quadrant_of(code: str) -> Quadrant | None:
    """The quadrant a button names; None for forged data."""
    return Quadrant(code) if code in Quadrant.__members__ else None
