"""The SWOT analysis' buttons: rating, picking a part, the guided flow, the pages of every
input, and the leaders' questions (merge, hide, a new round)."""

from __future__ import annotations

import dataclasses

from telegram import InlineKeyboardMarkup

from bot.i18n import N_, Translator
from bot.keyboards.codec import button, callback, in_rows, keyboard, url_button
from bot.keyboards.common import confirm_keyboard, pager
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


@callback("swm")
@dataclasses.dataclass(frozen=True)
class SwotMerge:
    """A leader's "merge these?" question: the data names both inputs, so it still works after
    a restart, and is checked again when pressed."""

    source_id: int
    target_id: int
    user_id: int  # the leader who asked: only they answer
    go: int  # 1 merge, 0 cancel


@callback("swh")
@dataclasses.dataclass(frozen=True)
class SwotHide:
    """A leader's "hide this input?" question, and the undo under its answer (a HideQuestion)."""

    item_id: int
    user_id: int
    action: str


@callback("swp")
@dataclasses.dataclass(frozen=True)
class SwotPage:
    """A page of every input of round `number`; `fresh`: 1 posts it (from the board's button),
    0 turns the pressed page."""

    number: int
    page: int
    fresh: int


def board_keyboard(
    t: Translator, links: tuple[str, str] | None, more: SwotPage | None
) -> InlineKeyboardMarkup | None:
    """Add and rate (on the current round), and "every input" when some are not shown."""
    rows = []
    if links is not None:
        rows.append(
            [
                url_button(t.plain(N_("➕ Add inputs")), links[0]),
                url_button(t.plain(N_("🗳 Rate inputs")), links[1]),
            ]
        )
    if more is not None:
        rows.append([button(t.plain(N_("📋 Every input")), more)])
    return keyboard(rows) if rows else None


def pages_keyboard(number: int, page: int, pages: int) -> InlineKeyboardMarkup | None:
    if pages <= 1:
        return None
    return keyboard([pager(page, pages, lambda n: SwotPage(number, n, 0))])


def merge_keyboard(
    t: Translator, source_id: int, target_id: int, user_id: int
) -> InlineKeyboardMarkup:
    return confirm_keyboard(
        t,
        t.plain(N_("✅ Merge")),
        SwotMerge(source_id, target_id, user_id, 1),
        SwotMerge(source_id, target_id, user_id, 0),
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
    return confirm_keyboard(
        t,
        t.plain(N_("Yes, start round {number}"), number=number + 1),
        SwotRoundStart(community_id, number, "go"),
        SwotRoundStart(community_id, number, "no"),
    )


def quadrant_of(code: str) -> Quadrant | None:
    """The quadrant a button names; None for forged data."""
    return Quadrant(code) if code in Quadrant.__members__ else None
