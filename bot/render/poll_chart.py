"""A poll's results as a horizontal bar chart (PNG): online and paper votes stacked per option.

matplotlib is imported when the first chart is drawn, not when the bot starts, and only its
object API is used (no pyplot and its global figures), with the Agg canvas and DejaVu Sans,
which has Latvian and Cyrillic letters.
"""

from __future__ import annotations

import textwrap

from bot.render.figures import drawing, png
from bot.render.polls import ChartLabels
from bot.services.polls import Results
from bot.services.text import shorten

ONLINE_COLOUR = "#2a9d8f"
OFFLINE_COLOUR = "#e9c46a"
LABEL_WIDTH = 28


def bars(results: Results) -> list[tuple[str, int, int]]:
    """(label, online, paper) per option, top to bottom; labels wrapped for the axis."""
    return [
        (
            "\n".join(textwrap.wrap(shorten(option.text, 2 * LABEL_WIDTH), LABEL_WIDTH)),
            option.online,
            option.offline,
        )
        for option in results.options
    ]


def render(results: Results, labels: ChartLabels) -> bytes:
    """The PNG bytes; blocking work, so callers run it in a thread."""
    from matplotlib.ticker import MaxNLocator

    rows = bars(results)
    names = [name for name, _, _ in rows][::-1]
    online = [count for _, count, _ in rows][::-1]
    offline = [count for _, _, count in rows][::-1]
    with drawing(8, 1.4 + 0.6 * len(rows), layout="constrained") as figure:
        axes = figure.subplots()
        positions = list(range(len(rows)))
        axes.barh(positions, online, color=ONLINE_COLOUR, label=labels.online)
        if any(offline):
            axes.barh(positions, offline, left=online, color=OFFLINE_COLOUR, label=labels.offline)
            figure.legend(loc="outside lower right", ncols=2, frameon=False)
        for y, (a, b) in enumerate(zip(online, offline, strict=True)):
            axes.text(a + b, y, f" {a + b}", va="center", fontsize=11)
        axes.set_yticks(positions, names, fontsize=10)
        axes.set_title("\n".join(textwrap.wrap(labels.title, 60)), fontsize=12, loc="left")
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlim(0, max([a + b for a, b in zip(online, offline, strict=True)] + [1]) * 1.15)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        return png(figure)
