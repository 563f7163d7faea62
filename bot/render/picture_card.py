"""A square picture card (PNG) for social media: a title, a few big numbers, one highlight.

Drawn with matplotlib's Agg backend and its bundled DejaVu Sans, which has the Latvian
diacritics and Cyrillic; matplotlib is imported only when a card is drawn.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from io import BytesIO

SIZE_INCHES = 10.8
DPI = 100  # 1080 × 1080 pixels
BACKGROUND = "#f4f1e8"
INK = "#1f3a2e"
ACCENT = "#c8553d"


def draw_card(
    title: str, subtitle: str, figures: Sequence[tuple[int, str]], highlight: str | None
) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    figure = plt.figure(figsize=(SIZE_INCHES, SIZE_INCHES), dpi=DPI, facecolor=BACKGROUND)
    try:
        figure.text(
            0.07,
            0.9,
            textwrap.fill(title, 28),
            fontsize=40,
            color=INK,
            fontweight="bold",
            va="top",
            family="DejaVu Sans",
        )
        figure.text(0.07, 0.72, subtitle, fontsize=22, color=INK, va="top", family="DejaVu Sans")
        shown = list(figures)[:3]
        for index, (number, label) in enumerate(shown):
            x = 0.07 + index * 0.3
            figure.text(
                x,
                0.56,
                str(number),
                fontsize=64,
                color=ACCENT,
                fontweight="bold",
                va="top",
                family="DejaVu Sans",
            )
            figure.text(
                x,
                0.4,
                textwrap.fill(label, 14),
                fontsize=18,
                color=INK,
                va="top",
                family="DejaVu Sans",
            )
        if highlight:
            figure.text(
                0.07,
                0.24,
                textwrap.fill(highlight, 46)[:300],
                fontsize=20,
                color=INK,
                va="top",
                style="italic",
                family="DejaVu Sans",
            )
        buffer = BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI, facecolor=BACKGROUND)
        return buffer.getvalue()
    finally:
        plt.close(figure)
