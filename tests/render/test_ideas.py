"""Idea texts: the plan details write money and percentages as the language writes them."""

from __future__ import annotations

import pytest

from bot.i18n import Catalogs
from bot.models import Idea, IdeaStatus
from bot.render import ideas as render
from bot.resources import locales_dir

CATALOGS = Catalogs.load(locales_dir())


@pytest.mark.parametrize(
    ("language", "cost", "progress"),
    [
        ("lv", "Izmaksu tāme: 1\u00a0500,50\u00a0€", "Izpilde: 40%"),
        ("en", "Cost estimate: €1,500.50", "Progress: 40%"),
        ("ru", "Оценка стоимости: 1\u00a0500,50\u00a0€", "Выполнение: 40\u00a0%"),
    ],
)
def test_money_and_progress_in_the_groups_language(language: str, cost: str, progress: str) -> None:
    idea = Idea(number=1, text="Soliņš", cost_cents=150_050, progress=40)
    idea.status = IdeaStatus.PROGRESS
    lines = render.tracking_lines(CATALOGS.translator(language), idea, None)
    assert lines == [cost, progress]
