"""The .ics file: the meeting in its own time zone, a series with its rule, a moved date."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from bot.models import Repeat
from bot.render.meeting_ics import DURATION, meeting_ics

RIGA = ZoneInfo("Europe/Riga")
START = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _event(data: bytes) -> Event:
    calendar = Calendar.from_ical(data)
    assert [c.name for c in calendar.walk("VTIMEZONE")] == ["VTIMEZONE"]
    (event,) = calendar.walk("VEVENT")
    return event


def _ics(**changes: object) -> bytes:
    values: dict[str, object] = {
        "uid": "villagebot-meeting-1-2",
        "title": "Sanāksme",
        "place": "Tautas nams",
        "description": "Lejasciems",
        "starts_at": START,
        "zone": RIGA,
        "repeat": Repeat.MONTHLY,
        "now": NOW,
        **changes,
    }
    return meeting_ics(**values)  # type: ignore[arg-type]


def test_a_series_in_its_time_zone() -> None:
    data = _ics()
    assert b"DTSTART;TZID=Europe/Riga:20261201T180000" in data
    event = _event(data)
    assert str(event["summary"]) == "Sanāksme"
    assert str(event["location"]) == "Tautas nams"
    assert event["rrule"].to_ical() == b"FREQ=MONTHLY;BYDAY=1TU"
    assert event.decoded("dtend") - event.decoded("dtstart") == DURATION


def test_a_moved_date_of_a_series_updates_that_date() -> None:
    moved = datetime(2026, 12, 2, 17, 0, tzinfo=UTC)
    event = _event(_ics(starts_at=moved, moved_from=START))
    assert "rrule" not in event
    assert event.decoded("recurrence-id") == START.astimezone(RIGA)
    assert event.decoded("dtstart") == moved.astimezone(RIGA)
    assert int(event["sequence"]) == 1
    assert str(event["uid"]) == "villagebot-meeting-1-2"


def test_a_single_moved_meeting_is_a_new_version_of_the_event() -> None:
    event = _event(_ics(repeat=Repeat.ONCE, place=None, moved_from=START))
    assert "recurrence-id" not in event
    assert "location" not in event
    assert int(event["sequence"]) == 1
