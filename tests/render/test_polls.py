"""Poll texts: the builder's card says the deadline without bending the duration's case."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.i18n import Catalogs
from bot.render import polls as render
from bot.render.polls import Draft
from bot.resources import locales_dir

CATALOGS = Catalogs.load(locales_dir())
RIGA = ZoneInfo("Europe/Riga")


@pytest.mark.parametrize(
    ("language", "deadline", "line"),
    [
        ("lv", "1d", "Balsošana ilgst: 1 diena"),
        ("ru", "1w", "Голосование длится: 1 неделя"),
        ("en", "3d", "Voting lasts: 3 days"),
    ],
)
def test_a_duration_stands_alone_in_the_nominative(language: str, deadline: str, line: str) -> None:
    draft = Draft("Talka?", ("Jā", "Nē"), True, False, deadline, None)
    card = render.builder_card(CATALOGS.translator(language), draft, "Lejasciems", RIGA)
    assert line in card.splitlines()
