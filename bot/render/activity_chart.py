"""The weekly activity of the last six months as a bar chart (PNG), for /stats."""

from __future__ import annotations

from collections.abc import Sequence

from babel.dates import format_skeleton

from bot.i18n import N_, Translator
from bot.render.figures import drawing, png
from bot.services.stats import Week

BAR_COLOUR = "#2a9d8f"
LABEL_EVERY = 4  # weeks between the dates written under the bars


def week_labels(t: Translator, weeks: Sequence[Week]) -> list[str]:
    """The Monday of every fourth week, counted back from the current one (others blank)."""
    last = len(weeks) - 1
    return [
        str(format_skeleton("MMMd", week.start, locale=t.language))
        if (last - index) % LABEL_EVERY == 0
        else ""
        for index, week in enumerate(weeks)
    ]


def render(t: Translator, weeks: Sequence[Week], village: str) -> bytes:
    """The PNG bytes; blocking work, so callers run it in a thread."""
    from matplotlib.ticker import MaxNLocator

    counts = [week.count for week in weeks]
    positions = list(range(len(weeks)))
    with drawing(9, 4.2, layout="constrained") as figure:
        axes = figure.subplots()
        axes.bar(positions, counts, color=BAR_COLOUR, width=0.8)
        axes.set_xticks(positions, week_labels(t, weeks), fontsize=9)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylim(0, max([*counts, 1]) * 1.15)
        axes.set_ylabel(t.plain(N_("actions per week")), fontsize=10)
        title = t.plain(N_("Activity in {village}, last six months"), village=village)
        axes.set_title(title, fontsize=12, loc="left")
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        return png(figure)
