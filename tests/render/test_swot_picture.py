"""The 2×2 picture: a valid PNG of sane size, Latvian diacritics and Cyrillic drawn."""

from __future__ import annotations

import struct
import warnings
import zlib
from datetime import UTC, datetime, timedelta

from bot.i18n import Catalogs
from bot.models import Quadrant
from bot.render.swot_picture import board_png, fit
from bot.resources import locales_dir
from bot.services.swot_agreement import Board, RankedItem

LATVIAN = (
    "Ciemā ir aktīvi brīvprātīgie, kas rūpējas par parku, ezera krastu un bērnu rotaļu "
    "laukumu; ģimenes ar bērniem šeit jūtas droši, un kaimiņi palīdz cits citam ziemā. "
)
RUSSIAN = (
    "Молодые семьи уезжают в Ригу: здесь нет работы, детского сада и регулярного автобуса "
    "в город, а школа может закрыться уже через год. Бюджет $5 000 — это мало. "
)
START = datetime(2026, 5, 1, tzinfo=UTC)


def _items(quadrant: Quadrant, text: str, count: int) -> list[RankedItem]:
    return [
        RankedItem(
            id=i,
            quadrant=quadrant,
            number=i + 1,
            text=(text * 4)[: 40 + 60 * (i % 8)],
            created_at=START + timedelta(hours=i),
            agree=count - i,
            disagree=i % 3,
        )
        for i in range(count)
    ]


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """The PNG's chunks, each checked against its CRC."""
    chunks, offset = [], 8
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kind = png[offset + 4 : offset + 8]
        data = png[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", png[offset + 8 + length : offset + 12 + length])
        assert zlib.crc32(kind + data) == crc, kind
        chunks.append((kind, data))
        offset += 12 + length
    return chunks


def test_a_full_board_with_long_latvian_and_russian_texts() -> None:
    board = Board(
        2,
        2,
        {
            Quadrant.S: _items(Quadrant.S, LATVIAN, 30),
            Quadrant.W: _items(Quadrant.W, RUSSIAN, 30),
            Quadrant.O: _items(Quadrant.O, LATVIAN, 2),
            Quadrant.T: [],
        },
    )
    for language in ("lv", "ru"):
        t = Catalogs.load(locales_dir()).translator(language)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a glyph missing from the font is a warning
            png = board_png(t, board, "Lejasciems — Нижняя деревня")
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        chunks = _chunks(png)
        assert chunks[0][0] == b"IHDR"
        assert chunks[-1][0] == b"IEND"
        width, height = struct.unpack(">II", chunks[0][1][:8])
        assert (width, height) == (1200, 1200)
        assert 20_000 < len(png) < 1_000_000


def test_an_empty_board_still_draws() -> None:
    t = Catalogs.load(locales_dir()).translator("en")
    assert board_png(t, Board(1, 1), "Lejasciems").startswith(b"\x89PNG")


def test_the_top_inputs_fit_and_the_rest_are_counted() -> None:
    short = _items(Quadrant.S, "Īss teksts. ", 1)[0]
    blocks, rest = fit([short] * 30, 20.7)
    assert (len(blocks), rest) == (8, 22)  # two lines each, a gap, and a line for "and N more"
    assert fit([short] * 3, 20.7)[1] == 0
    assert fit([], 20.7) == ([], 0)
    long = _items(Quadrant.S, LATVIAN * 5, 8)[-1]
    blocks, rest = fit([long], 20.7)
    assert blocks[0].lines[-1].endswith("…")
    assert len(blocks[0].lines) <= 5
