"""Pictures drawn with matplotlib's object API: one lock, the Agg canvas, never pyplot.

pyplot keeps global figures and is not thread-safe, and matplotlib's font cache is shared, so
every picture is drawn here, one at a time (callers run it in a worker thread). matplotlib is
imported when the first picture is drawn, not when the bot starts. Every text in a picture is
drawn as typed: mathtext and TeX are off while a figure is drawn, since residents' words (idea
texts in a poll's options, SWOT inputs, victories) may hold `$`, which would start a formula.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_lock = threading.Lock()


@contextmanager
def drawing(width: float, height: float, dpi: int = 100, **options: Any) -> Iterator[Figure]:
    """A figure of `width` × `height` inches on the Agg canvas, drawn under the shared lock."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # Text artists read these when they are made: every label, title and tick is plain text.
    with _lock, rc_context({"text.parse_math": False, "text.usetex": False}):
        figure = Figure(figsize=(width, height), dpi=dpi, **options)
        FigureCanvasAgg(figure)
        yield figure


def png(figure: Figure, **options: Any) -> bytes:
    buffer = BytesIO()
    figure.savefig(buffer, format="png", **options)
    return buffer.getvalue()
