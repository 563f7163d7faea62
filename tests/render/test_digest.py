"""The digest's picture card: each big number's label agrees with the number above it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.i18n import Catalogs
from bot.models import Idea, Victory
from bot.render import digest as render
from bot.resources import locales_dir
from bot.services.digest import DigestData

CATALOGS = Catalogs.load(locales_dir())
SINCE = datetime(2026, 11, 1, tzinfo=UTC)
UNTIL = datetime(2026, 12, 4, tzinfo=UTC)


def _data(victories: int, done: int, residents: int) -> DigestData:
    return DigestData(
        SINCE,
        UNTIL,
        victories=[Victory(text=f"Uzvara {n}") for n in range(victories)],
        done=[Idea(number=n, text=f"Ideja {n}") for n in range(done)],
        active_members=residents,
    )


@pytest.mark.parametrize(
    ("language", "counts", "labels"),
    [
        ("ru", (1, 2, 5), ["маленькая победа", "выполненные идеи", "жителей участвовали"]),
        ("ru", (5, 1, 2), ["маленьких побед", "выполненная идея", "жителя участвовали"]),
        ("lv", (1, 2, 21), ["mazā uzvara", "īstenotas idejas", "iedzīvotājs piedalījās"]),
        ("lv", (0, 1, 3), ["mazo uzvaru", "īstenota ideja", "iedzīvotāji piedalījās"]),
        ("en", (1, 2, 1), ["small victory", "ideas done", "resident took part"]),
    ],
)
def test_each_figure_has_the_plural_form_of_its_number(
    language: str, counts: tuple[int, int, int], labels: list[str]
) -> None:
    figures = render.picture_figures(CATALOGS.translator(language), _data(*counts))
    assert figures == list(zip(counts, labels, strict=True))
