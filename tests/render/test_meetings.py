"""Meeting texts: one card shape for every stage, escaped user text, lists cut to fit."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import Catalogs, Html, Translator, escape
from bot.models import Repeat
from bot.render import meetings as render
from bot.render.meetings import MeetingView
from bot.resources import locales_dir

RIGA = ZoneInfo("Europe/Riga")
START = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)  # Tuesday 18:00 in Riga
CATALOGS = Catalogs.load(locales_dir())


def _t(language: str) -> Translator:
    return CATALOGS.translator(language)


def _view(**changes: object) -> MeetingView:
    values: dict[str, object] = {
        "title": "Sanāksme <par> paveikto",
        "place": "Tautas nams & parks",
        "starts_at": START,
        "zone": RIGA,
        "repeat": Repeat.MONTHLY,
        "first_start": START,
        **changes,
    }
    return MeetingView(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("stage", "header"),
    [
        (render.ANNOUNCED, "📅 Ieplānota sanāksme. Vai piedalīsieties?"),
        (render.MOVED, "🕓 Sanāksmei ir jauns laiks. Vai piedalīsieties?"),
        (render.START, "🔔 Sanāksme sākas tagad!"),
        (1440, "⏰ Atgādinājums. Līdz sanāksmei: 1 diena"),
        (90, "⏰ Atgādinājums. Līdz sanāksmei: 1 stunda 30 minūšu"),
    ],
)
def test_every_stage_is_the_same_card_with_its_header(stage: int, header: str) -> None:
    text = render.card_text(_t("lv"), _view(), stage)
    assert text.splitlines() == [
        header,
        "",
        "<b>Sanāksme &lt;par&gt; paveikto</b>",
        "🗓 otrdiena, 2026. gada 1. decembris, 18:00",
        "📍 Tautas nams &amp; parks",
        "🔁 Katra mēneša pirmajā otrdienā",
    ]


def test_a_cancelled_card_says_so_and_has_no_agenda() -> None:
    text = render.card_text(_t("lv"), _view(cancelled=True, agenda=[Html("x")]), render.START)
    assert text.splitlines()[0] == "✖️ Šī sanāksme ir atcelta."
    assert "Darba kārtība" not in text


def test_a_long_agenda_is_cut_with_how_many_more() -> None:
    items = [escape(f"Jautājums {n}") for n in range(15)]
    text = render.card_text(_t("lv"), _view(agenda=items, repeat=Repeat.ONCE), render.START)
    lines = text.splitlines()
    assert "🔁" not in text
    assert lines[lines.index("<b>Darba kārtība</b>") + 1] == "• Jautājums 0"
    assert lines[-1] == "…un vēl 3"
    huge = [escape("x" * 300) for _ in range(12)]
    assert len(render.card_text(_t("ru"), _view(agenda=huge), 60)) < 4096


@pytest.mark.parametrize(
    ("language", "first", "text"),
    [
        ("lv", START, "Katra mēneša pirmajā otrdienā"),
        ("en", START, "Every first Tuesday of the month"),
        ("ru", START, "Каждый первый вторник месяца"),
        ("lv", datetime(2026, 12, 29, 16, 0, tzinfo=UTC), "Katra mēneša pēdējā otrdienā"),
        ("en", datetime(2026, 12, 22, 16, 0, tzinfo=UTC), "Every fourth Tuesday of the month"),
        # The words around the weekday agree with it: a Wednesday is feminine in Russian.
        ("ru", datetime(2026, 12, 2, 16, 0, tzinfo=UTC), "Каждую первую среду месяца"),
        ("ru", datetime(2026, 11, 29, 16, 0, tzinfo=UTC), "Каждое последнее воскресенье месяца"),
    ],
)
def test_monthly_says_which_weekday(language: str, first: datetime, text: str) -> None:
    assert render.repeat_text(_t(language), Repeat.MONTHLY, first, RIGA) == text
    assert render.monthly_label(_t(language), first, RIGA) == text


def test_the_list_shows_the_first_dates_and_how_many_more() -> None:
    views = [_view(going=n) for n in range(3)]
    text = render.upcoming_list(_t("en"), views, 7, leader=True, example="2026-12-08 18:00")
    lines = text.splitlines()
    assert lines[0] == "<b>Upcoming meetings</b>"
    assert lines[1] == (
        "1. Tue, Dec 1 6:00\u202fPM — <b>Sanāksme &lt;par&gt; paveikto</b> "
        "📍 Tautas nams &amp; parks · ✅ 0"
    )
    assert lines[4] == "…and 4 more"
    assert lines[-1] == "Press a meeting's number to move or cancel it."
    empty = render.upcoming_list(_t("en"), [], 0, leader=False, example="2026-12-08 18:00")
    assert empty.endswith("/meeting 2026-12-08 18:00 Progress meeting")
