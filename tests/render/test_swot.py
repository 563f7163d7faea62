"""The board as text: within Telegram's limit however much is written, user text escaped; every
input on as many pages as it takes."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.i18n import Catalogs
from bot.models import Quadrant
from bot.render.swot import all_pages, board_text
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
            html, truncated = board_text(t, _full(text), "Ā" * 255)
            shown, _entities = parse_html(html)
            assert utf16_length(shown) <= 4096, (language, text[:3])
            assert shown.count(" 19") >= 4  # "…and 195 more" (or 197) in each quadrant
            assert truncated
            every = {"lv": "/swot visi", "en": "/swot all", "ru": "/swot все"}[language]
            assert "/swot 12" not in shown  # the current round's: /swot all
            assert every in shown


def test_user_text_is_escaped_and_the_rest_counted() -> None:
    t = Catalogs.load(locales_dir()).translator("en")
    item = RankedItem(1, Quadrant.T, 1, "<b>Fire</b> & flood", NOW, 2, 1)
    html, truncated = board_text(t, Board(1, 1, {Quadrant.T: [item]}), "Upes & Lejas")
    assert not truncated
    assert "/swot all" not in html
    assert "&lt;b&gt;Fire&lt;/b&gt; &amp; flood" in html
    shown, _ = parse_html(html)
    assert shown.splitlines()[0] == "SWOT analysis — Upes & Lejas"
    assert "T1 <b>Fire</b> & flood · 👍 2 👎 1" in shown
    assert "⛈ Threats\nT1" in shown


def test_every_input_is_on_some_page_and_every_page_fits() -> None:
    for language in ("lv", "en", "ru"):
        t = Catalogs.load(locales_dir()).translator(language)
        for text in ("ž" * 500, "<&> " * 125, "👍" * 500):
            pages = all_pages(t, _full(text), "Ā" * 255)
            shown = [parse_html(page)[0] for page in pages]
            assert all(utf16_length(page) <= 4096 for page in shown), (language, text[:3])
            codes = [
                line.split(" ", 1)[0]
                for page in shown
                for line in page.splitlines()
                if line[:1] in "SWOT" and " · 👍 " in line
            ]
            expected = [f"{q.value}{n}" for q in QUADRANTS for n in range(1, 201)]
            assert codes == expected, (language, text[:3])
            assert len({page.splitlines()[0] for page in shown}) == 1  # the title on each


def test_pages_show_full_texts() -> None:
    t = Catalogs.load(locales_dir()).translator("en")
    long = "A road to the station that is lit at night " * 10
    items = {
        q: [RankedItem(n, q, n, long.strip(), NOW, 1, 0) for n in range(1, 7)] for q in QUADRANTS
    }
    pages = all_pages(t, Board(2, 3, items), "Lejas")
    assert len(pages) > 1  # 24 inputs of 430 characters do not fit one message
    first = parse_html(pages[0])[0]
    assert first.splitlines()[0] == "SWOT analysis — Lejas, round 2 (archived) — every input"
    assert long.strip() in first  # in full, not shortened
    one = all_pages(t, Board(1, 1, {Quadrant.S: items[Quadrant.S][:2]}), "Lejas")
    assert len(one) == 1
    assert parse_html(one[0])[0].splitlines()[2:] == [
        "💪 Strengths",
        f"S1 {long.strip()} · 👍 1 👎 0",
        f"S2 {long.strip()} · 👍 1 👎 0",
    ]
    empty = all_pages(t, Board(0, 0), "Lejas")
    assert len(empty) == 1
    assert "No inputs yet." in empty[0]
