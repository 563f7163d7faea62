"""A square picture card (PNG) for social media: a title, a few big numbers, one highlight."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from bot.render.figures import drawing, png

SIZE_INCHES = 10.8
DPI = 100  # 1080 × 1080 pixels
BACKGROUND = "#f4f1e8"
INK = "#1f3a2e"
ACCENT = "#c8553d"
FONT: dict[str, Any] = {"family": "DejaVu Sans"}


def draw_card(
    title: str, subtitle: str, figures: Sequence[tuple[int, str]], highlight: str | None
) -> bytes:
    """Blocking work: callers run it in a thread."""
    with drawing(SIZE_INCHES, SIZE_INCHES, DPI, facecolor=BACKGROUND) as figure:
        figure.text(
            0.07,
            0.9,
            textwrap.fill(title, 28),
            fontsize=40,
            color=INK,
            fontweight="bold",
            va="top",
            **FONT,
        )
        figure.text(0.07, 0.72, subtitle, fontsize=22, color=INK, va="top", **FONT)
        for index, (number, label) in enumerate(list(figures)[:3]):
            x = 0.07 + index * 0.3
            figure.text(
                x, 0.56, str(number), fontsize=64, color=ACCENT, fontweight="bold", va="top", **FONT
            )
            figure.text(x, 0.4, textwrap.fill(label, 14), fontsize=18, color=INK, va="top", **FONT)
        if highlight:
            figure.text(
                0.07,
                0.24,
                textwrap.fill(highlight, 46)[:300],
                fontsize=20,
                color=INK,
                va="top",
                style="italic",
                **FONT,
            )
        return png(figure, facecolor=BACKGROUND)
