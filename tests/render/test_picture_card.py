"""The square picture card: residents' words with `$` are drawn as typed, never as a formula."""

from __future__ import annotations

from bot.render.picture_card import draw_card


def test_a_highlight_with_dollar_signs_is_text() -> None:
    png = draw_card(
        "Lejasciems $\\frac{a}$",
        "01.11.2026 – 04.12.2026",
        [(2, "mazās uzvaras $x^{$"), (1, "idejas"), (5, "iedzīvotāji")],
        "Soliņš par $\\frac{5}$ un $ vēl $\\undefined$",
    )
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
