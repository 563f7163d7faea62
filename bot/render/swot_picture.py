"""The SWOT board as a 2×2 picture (PNG): what a phone shows at a glance, and what a meeting
projects on the wall.

matplotlib is imported lazily (start-up stays fast) and used through its object API with the
Agg canvas, never pyplot, so no global figure state is shared. DejaVu Sans, which matplotlib
ships, has the Latvian diacritics and Cyrillic. Texts come in translated and plain (not HTML).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.i18n import Translator
from bot.models import Quadrant
from bot.render.figures import drawing, png
from bot.render.swot import QUADRANT_NAMES, board_title
from bot.services.swot import QUADRANTS
from bot.services.swot_agreement import Board, RankedItem
from bot.services.text import shorten

if TYPE_CHECKING:
    from matplotlib.figure import Figure

WIDTH_INCHES = HEIGHT_INCHES = 12
DPI = 100  # 1200 × 1200 pixels
FONT = "DejaVu Sans"
ITEM_CHARS = 170  # an input is cut to this before wrapping (about four lines)
WRAP = 44  # characters per line at the item font size in one quadrant
ITEM_SIZE = 12.5
LINE = 0.041  # one text line, in a quadrant's height
TOP, BOTTOM = 0.885, 0.035  # where the inputs may go, in a quadrant's height
GAP = 0.35  # between two inputs, in lines

# Each quadrant: (where it is in the figure: left, bottom, width, height), fill, edge.
LAYOUT: Mapping[Quadrant, tuple[tuple[float, float, float, float], str, str]] = {
    Quadrant.S: ((0.015, 0.475, 0.478, 0.45), "#e6f4e4", "#2e7d32"),
    Quadrant.W: ((0.507, 0.475, 0.478, 0.45), "#fdebe4", "#c62828"),
    Quadrant.O: ((0.015, 0.015, 0.478, 0.45), "#e3effb", "#1565c0"),
    Quadrant.T: ((0.507, 0.015, 0.478, 0.45), "#f1e8f6", "#6a1b9a"),
}


@dataclass(frozen=True)
class Block:
    """One input as drawn: its code, agreement and wrapped lines."""

    code: str
    score: str
    lines: list[str]

    @property
    def height(self) -> int:
        return max(len(self.lines), 2)


def _block(item: RankedItem) -> Block:
    lines = textwrap.wrap(shorten(item.text, ITEM_CHARS), WRAP, break_long_words=True)
    score = f"+{item.score}" if item.score > 0 else str(item.score).replace("-", "−")
    return Block(item.code, score, lines or ["…"])


def fit(items: list[RankedItem], room: float) -> tuple[list[Block], int]:
    """The top inputs that fit in `room` lines (one kept for "and N more"); how many are left."""
    blocks: list[Block] = []
    used = 0.0
    for index, item in enumerate(items):
        block = _block(item)
        reserve = 0 if index == len(items) - 1 else 1
        if used + block.height + reserve > room:
            break
        blocks.append(block)
        used += block.height + GAP
    return blocks, len(items) - len(blocks)


def board_png(t: Translator, board: Board, village: str) -> bytes:
    """The board as a PNG of 1200 × 1200 pixels."""
    with drawing(WIDTH_INCHES, HEIGHT_INCHES, DPI, facecolor="white") as figure:
        return _draw(figure, t, board, village)


def _draw(figure: Figure, t: Translator, board: Board, village: str) -> bytes:
    from matplotlib.patches import Rectangle

    common: dict[str, Any] = {"family": FONT}
    inside: dict[str, Any] = {**common, "clip_on": True}
    figure.text(
        0.5,
        0.975,
        shorten(board_title(t, board, village), 70),
        ha="center",
        va="top",
        fontsize=22,
        weight="bold",
        **common,
    )
    figure.text(
        0.5,
        0.94,
        t.plain("Ranked by agreement: agree minus disagree"),
        ha="center",
        va="top",
        fontsize=12,
        color="#555555",
        **common,
    )
    room = (TOP - BOTTOM) / LINE
    for quadrant in QUADRANTS:
        (left, bottom, width, height), fill, edge = LAYOUT[quadrant]
        axes = figure.add_axes((left, bottom, width, height))
        axes.set_axis_off()
        axes.add_patch(
            Rectangle((0, 0), 1, 1, transform=axes.transAxes, facecolor=fill, edgecolor=edge, lw=3)
        )
        axes.text(
            0.03,
            0.965,
            f"{quadrant.value} — {t.plain(QUADRANT_NAMES[quadrant])}",
            va="top",
            fontsize=19,
            weight="bold",
            color=edge,
            **inside,
        )
        blocks, rest = fit(board.quadrant(quadrant), room)
        y = TOP
        for block in blocks:
            axes.text(0.03, y, block.code, va="top", fontsize=ITEM_SIZE, weight="bold", **inside)
            axes.text(
                0.03,
                y - LINE,
                block.score,
                va="top",
                fontsize=ITEM_SIZE - 2,
                color="#555555",
                **inside,
            )
            axes.text(
                0.115,
                y,
                "\n".join(block.lines),
                va="top",
                fontsize=ITEM_SIZE,
                linespacing=1.28,
                **inside,
            )
            y -= LINE * (block.height + GAP)
        if not blocks:
            axes.text(0.03, y, "—", va="top", fontsize=ITEM_SIZE, color="#777777", **inside)
        if rest:
            axes.text(
                0.03,
                BOTTOM,
                str(t.n_("…and {n} more", "…and {n} more", rest)),
                va="bottom",
                fontsize=ITEM_SIZE,
                style="italic",
                color="#555555",
                **inside,
            )
    return png(figure, dpi=DPI)
