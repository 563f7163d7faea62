"""The budget results chart: one bar per idea in the results' order, funded ones coloured."""

from __future__ import annotations

from bot.models import BudgetRound, BudgetRule
from bot.render import budget_chart
from bot.services.budget import ItemView
from bot.services.budget_results import Results

LABELS = budget_chart.ChartLabels("Budžets 2027: balsis", "finansēta", "nav finansēta")


def _results() -> Results:
    round_ = BudgetRound(number=1, title="Budžets 2027", amount_cents=500_000)
    round_.rule = BudgetRule.GREEDY
    items = [
        ItemView(1, 1, "Rotaļu laukums pie skolas", 300_000, 12, True),
        ItemView(3, 3, "Скамейки у реки $x$", 150_000, 9, True),
        ItemView(2, 2, "Autobusa pietura", 200_000, 10, False),
    ]
    return Results(round_, items, online_ballots=20, paper_ballots=3, known_members=40)


def test_bars_follow_the_results() -> None:
    assert [(votes, funded) for _, votes, funded in budget_chart.bars(_results())] == [
        (12, True),
        (9, True),
        (10, False),
    ]
    assert budget_chart.bars(_results())[0][0].startswith("#1 Rotaļu")


def test_the_chart_is_a_png_with_a_bar_per_idea() -> None:
    png = budget_chart.render(_results(), LABELS)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width == 800
    assert height >= 300
