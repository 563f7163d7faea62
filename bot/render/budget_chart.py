"""A budget round's results as a horizontal bar chart (PNG): votes per idea, the funded ones
coloured, in the order of the results post. Drawn as bot.render.figures draws every picture."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from bot.render.figures import drawing, png
from bot.services.budget_results import Results
from bot.services.text import shorten

FUNDED_COLOUR = "#2a9d8f"
NOT_FUNDED_COLOUR = "#c9c9c9"
LABEL_WIDTH = 28


@dataclass(frozen=True)
class ChartLabels:
    title: str
    funded: str
    not_funded: str


def bars(results: Results) -> list[tuple[str, int, bool]]:
    """(label, votes, funded) per idea, top to bottom; labels wrapped for the axis."""
    return [
        (
            "\n".join(
                textwrap.wrap(f"#{item.number} {shorten(item.text, 2 * LABEL_WIDTH)}", LABEL_WIDTH)
            ),
            item.votes or 0,
            bool(item.funded),
        )
        for item in results.items
    ]


def render(results: Results, labels: ChartLabels) -> bytes:
    """The PNG bytes; blocking work, so callers run it in a thread."""
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    rows = bars(results)[::-1]
    with drawing(8, 1.4 + 0.6 * len(rows), layout="constrained") as figure:
        axes = figure.subplots()
        positions = list(range(len(rows)))
        colours = [FUNDED_COLOUR if funded else NOT_FUNDED_COLOUR for _, _, funded in rows]
        axes.barh(positions, [votes for _, votes, _ in rows], color=colours)
        for y, (_, votes, _) in enumerate(rows):
            axes.text(votes, y, f" {votes}", va="center", fontsize=11)
        axes.set_yticks(positions, [name for name, _, _ in rows], fontsize=10)
        axes.set_title("\n".join(textwrap.wrap(labels.title, 60)), fontsize=12, loc="left")
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlim(0, max([votes for _, votes, _ in rows] + [1]) * 1.15)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        figure.legend(
            handles=[
                Patch(color=FUNDED_COLOUR, label=labels.funded),
                Patch(color=NOT_FUNDED_COLOUR, label=labels.not_funded),
            ],
            loc="outside lower right",
            ncols=2,
            frameon=False,
        )
        return png(figure)
