"""The board as text: within Telegram's limit however much is written, user text escaped."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.i18n import Catalogs
from bot.models import Quadrant
from bot.render.swot import board_text
from bot.resources import locales_dir
from bot.services.swot import QUADRANTS
from bot.services.swot_agreement import Board, RankedItem
from bot.testing.html import parse_html, utf16_length

NOW = datetime(2026, 5, 1, tzinfo=UTC)


def _full(text: str) -> Board:
    items = {
        q: [RankedItem(i, q, i + 1, text, NOW, 99_999, 99_999) for i in range(200)]
        for q in QUADRANTS
    }
    return Board(12, 12, items)


def test_the_longest_board_fits_in_one_message() -> None:
    for language in ("lv", "en", "ru"):
        t = Catalogs.load(locales_dir()).translator(language)
        for text in ("ž" * 500, "<&> " * 125, "👍" * 500):
            shown, _entities = parse_html(board_text(t, _full(text), "Ā" * 255))
            assert utf16_length(shown) <= 4096, (language, text[:3])
            assert shown.count(" 19") >= 4  # "…and 195 more" (or 197) in each quadrant


def test_user_text_is_escaped_and_the_rest_counted() -> None:
    t = Catalogs.load(locales_dir()).translator("en")
    item = RankedItem(1, Quadrant.T, 1, "<b>Fire</b> & flood", NOW, 2, 1)
    html = board_text(t, Board(1, 1, {Quadrant.T: [item]}), "Upes & Lejas")
    assert "&lt;b&gt;Fire&lt;/b&gt; &amp; flood" in html
    shown, _ = parse_html(html)
    assert shown.splitlines()[0] == "SWOT analysis — Upes & Lejas"
    assert "T1 <b>Fire</b> & flood · 👍 2 👎 1" in shown
    assert "⛈ Threats\nT1" in shown
