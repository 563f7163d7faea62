"""The .ics file: the meeting in its own time zone, a series with its rule, a moved date, and
cancellations that make phone calendars drop a date or the whole series."""

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
    event = _event(_ics(starts_at=moved, one_date=START))
    assert "rrule" not in event
    assert event.decoded("recurrence-id") == START.astimezone(RIGA)
    assert event.decoded("dtstart") == moved.astimezone(RIGA)
    assert int(event["sequence"]) == 1
    assert str(event["uid"]) == "villagebot-meeting-1-2"


def test_a_single_moved_meeting_is_a_new_version_of_the_event() -> None:
    event = _event(_ics(repeat=Repeat.ONCE, place=None, one_date=START))
    assert "recurrence-id" not in event
    assert "location" not in event
    assert int(event["sequence"]) == 1


def _calendar(data: bytes) -> tuple[str, Event]:
    calendar = Calendar.from_ical(data)
    (event,) = calendar.walk("VEVENT")
    return str(calendar["method"]), event


def test_a_cancelled_date_of_a_series_is_dropped_from_calendars() -> None:
    moved = datetime(2026, 12, 2, 17, 0, tzinfo=UTC)
    method, event = _calendar(_ics(starts_at=moved, one_date=START, cancelled=True))
    assert method == "CANCEL"
    assert str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == "villagebot-meeting-1-2"
    assert int(event["sequence"]) > 1  # above the invitation's and a move's
    assert event.decoded("recurrence-id") == START.astimezone(RIGA)
    assert "rrule" not in event
    assert str(Calendar.from_ical(_ics())["method"]) == "PUBLISH"


def test_a_cancelled_single_meeting_or_series_is_the_whole_event() -> None:
    for repeat, one_date in ((Repeat.ONCE, START), (Repeat.MONTHLY, None)):
        method, event = _calendar(_ics(repeat=repeat, one_date=one_date, cancelled=True))
        assert (method, str(event["status"]), int(event["sequence"])) == ("CANCEL", "CANCELLED", 2)
        assert "recurrence-id" not in event
