"""The results chart: one bar per option, online and paper votes apart, any alphabet."""

from __future__ import annotations

import sys
import warnings

from bot.render import poll_chart
from bot.render.polls import ChartLabels
from bot.services.polls import OptionResult, Results

LABELS = ChartLabels("Kur likt jauno soliņu? Где поставить скамейку?", "tiešsaistē", "uz papīra")


def _results(*options: tuple[str, int, int]) -> Results:
    return Results(
        LABELS.title,
        tuple(OptionResult(text, online, offline) for text, online, offline in options),
        online_voters=4,
        known_members=6,
        anonymous=False,
        multiple=False,
        closed=True,
    )


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def test_bars_keep_online_and_paper_votes_apart() -> None:
    results = _results(("Pie veikala " * 10, 3, 2), ("Pie baznīcas", 1, 0), ("У церкви", 0, 5))
    rows = poll_chart.bars(results)
    assert [(online, paper) for _, online, paper in rows] == [(3, 2), (1, 0), (0, 5)]
    long_label = rows[0][0]
    assert all(len(line) <= poll_chart.LABEL_WIDTH for line in long_label.splitlines())
    assert long_label.endswith("…")
    assert rows[2][0] == "У церкви"


def test_the_chart_is_a_png_that_grows_with_the_options() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing Latvian or Cyrillic glyph warns
        small = poll_chart.render(_results(("Jā", 3, 0), ("Nē", 1, 0)), LABELS)
        large = poll_chart.render(
            _results(*[(f"Variants {n} ā ž", n, n % 3) for n in range(12)]), LABELS
        )
    small_width, small_height = _png_size(small)
    large_width, large_height = _png_size(large)
    assert small_width == large_width == 800
    assert large_height > small_height
    assert "matplotlib.pyplot" not in sys.modules  # no global figures are kept


def test_a_poll_nobody_voted_in_still_draws() -> None:
    assert _png_size(poll_chart.render(_results(("Jā", 0, 0), ("Nē", 0, 0)), LABELS))[0] == 800


def test_dollar_signs_in_residents_texts_are_drawn_as_text() -> None:
    """An option like "$5 $" or "$\\frac$" is a resident's words, never a formula to parse."""
    labels = ChartLabels("Cik maksāt? $x^{$", "tiešsaistē", "uz papīra")
    results = _results(("$\\frac{a}$ par biļeti", 2, 1), ("5$ vai 10$", 1, 0), ("$", 0, 1))
    assert _png_size(poll_chart.render(results, labels))[0] == 800
