"""Victory texts: names stand in the nominative, so Latvian needs no genitive of a name."""

from __future__ import annotations

from bot.i18n import Catalogs
from bot.models import Victory, VictoryStatus
from bot.render import victories as render
from bot.resources import locales_dir

CATALOGS = Catalogs.load(locales_dir())


def test_a_reviewed_victory_names_the_proposer_as_the_subject() -> None:
    victory = Victory(text="Jauns soliņš", status=VictoryStatus.APPROVED)
    text = render.reviewed(CATALOGS.translator("lv"), victory, "Jānis", "Kalnciems", "Ilze")
    assert text.splitlines()[:2] == [
        "🏆 Jānis ierosināja mazo uzvaru grupai Kalnciems:",
        "„Jauns soliņš”",
    ]
