"""The desk's texts within Telegram's limits, and the activity chart."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import Catalogs
from bot.models import Answer, AuditEntry, Quadrant
from bot.render import activity_chart
from bot.render import desk as render
from bot.resources import locales_dir
from bot.services.people import People
from bot.services.stats import (
    Figures,
    MeetingFigures,
    PollFigures,
    PollTurnout,
    SwotFigures,
    VictoryFigures,
    Week,
)
from bot.testing.html import parse_html

CATALOGS = Catalogs.load(locales_dir())
RIGA = ZoneInfo("Europe/Riga")
TEXT_LIMIT = 4096


def _entry(action: str, **details: object) -> AuditEntry:
    return AuditEntry(
        community_id=1,
        actor_id=1,
        action=action,
        details=details,
        created_at=datetime(2026, 11, 25, 16, 5, tzinfo=UTC),
    )


def test_a_full_log_page_stays_within_a_message() -> None:
    t = CATALOGS.translator("lv")
    people = People({1: "<b>" + "Ā" * 250, 2: "Ilze"})
    entries = [
        _entry("settings", name="x" * 300, value=["y" * 300]),
        _entry("promote", user_id=2),
        _entry("swot_merge", source="S4", target="S2"),
        _entry("idea-status", idea=3, status="accepted"),
        _entry("something-new", idea=1),
        _entry("goal-add"),  # details missing: shown as stored
    ] * 3
    text = render.log(t, "Lejas<ciems>" + "c" * 250, entries[:15], people, RIGA, 1, 2)
    plain, _entities = parse_html(text)
    assert len(plain) <= TEXT_LIMIT
    assert "&lt;b&gt;ĀĀĀ" in text
    lines = plain.splitlines()
    assert lines[4].endswith("— pievienoja darba grupai: Ilze")
    assert lines[6].endswith("— idejai #3 iestatīja statusu „Pieņemta”")
    assert lines[7].endswith("— something-new")
    assert lines[8].endswith("— goal-add")
    assert lines[-1] == "Vecāki ieraksti: /log 2"


def test_figures_of_an_empty_village() -> None:
    t = CATALOGS.translator("en")
    figures = Figures(
        members=0,
        active=0,
        ideas=Counter(),
        swot=SwotFigures(0, dict.fromkeys(Quadrant, 0), 0),
        polls=PollFigures(0, 0, 0),
        meetings=MeetingFigures(0, 0, dict.fromkeys(Answer, 0), 0, 0),
        victories=VictoryFigures(0, 0, 0),
        activity=[],
    )
    lines = render.figures(t, "Augšciems", figures).splitlines()
    assert lines[0] == "📊 <b>Participation in Augšciems</b>"
    assert "🧭 SWOT inputs: none yet" in lines
    assert not any(line.startswith("   by") for line in lines)


def test_the_activity_chart() -> None:
    t = CATALOGS.translator("lv")
    first = date(2026, 6, 1)
    weeks = [Week(first + timedelta(weeks=n), n % 5) for n in range(26)]
    labels = activity_chart.week_labels(t, weeks)
    assert [i for i, label in enumerate(labels) if label] == [1, 5, 9, 13, 17, 21, 25]
    assert labels[25] == "23. nov."
    picture = activity_chart.render(t, weeks, "Lejasciems $x$")
    assert picture.startswith(b"\x89PNG")


def test_figures_in_russian_agree_and_write_percent_as_russian_does() -> None:
    t = CATALOGS.translator("ru")
    figures = Figures(
        members=7,
        active=3,
        ideas=Counter(),
        swot=SwotFigures(0, dict.fromkeys(Quadrant, 0), 0),
        polls=PollFigures(2, 1, 42, [PollTurnout("Талка?", 3, 7, 43, True)]),
        meetings=MeetingFigures(0, 0, dict.fromkeys(Answer, 0), 0, 0),
        victories=VictoryFigures(0, 0, 0),
        activity=[],
    )
    lines = render.figures(t, "Лейасциемс", figures).splitlines()
    assert "активны за последние 30 дней: <b>3</b>" in lines[2]
    assert "🗳 Опросы: <b>2</b> (открыто: 1) · средняя явка: 42\u00a0%" in lines
    assert "   • «Талка?» — 3 из 7 (43\u00a0%)" in lines


def test_the_vision_names_the_village_in_the_nominative() -> None:
    text = render.vision(CATALOGS.translator("lv"), "Kalnciems", None, [], leader=True)
    assert text.splitlines()[0] == "🌅 <b>Vīzija: Kalnciems</b>"
