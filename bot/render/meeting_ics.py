"""A meeting as an iCalendar (.ics) file, so residents can add it to their phone's calendar."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vRecur

from bot.models import Repeat
from bot.services.meeting_times import rrule_text

# Telegram does not know how long a meeting lasts; calendars need an end.
DURATION = timedelta(hours=1, minutes=30)
PRODUCT = "-//villagebot//meetings//EN"
# Calendars take a file for a known UID only when its SEQUENCE is higher than the one they have:
# the invitation has none (0), a moved date 1, a cancellation more than both.
MOVED_SEQUENCE = 1
CANCELLED_SEQUENCE = 2


def meeting_ics(
    *,
    uid: str,
    title: str,
    place: str | None,
    description: str,
    starts_at: datetime,
    zone: ZoneInfo,
    repeat: Repeat,
    now: datetime,
    one_date: datetime | None = None,
    cancelled: bool = False,
) -> bytes:
    """One event in the meeting's own time zone; a series carries its repeat rule.

    `one_date` (the original start of one date of the event with the same `uid`) makes the file
    change only that date: calendars show its new time, or drop it when `cancelled`. Without
    `one_date`, `cancelled` calls off the whole event (every date of a series).
    """
    local = starts_at.astimezone(zone)
    event = Event()
    event.add("uid", uid)
    if cancelled:
        event.add("sequence", CANCELLED_SEQUENCE)
        event.add("status", "CANCELLED")
    elif one_date is not None:
        event.add("sequence", MOVED_SEQUENCE)
    if one_date is not None and repeat != Repeat.ONCE:
        event.add("recurrence-id", one_date.astimezone(zone))
    event.add("dtstamp", now)
    event.add("summary", title)
    event.add("dtstart", local)
    event.add("dtend", local + DURATION)
    if place:
        event.add("location", place)
    if description:
        event.add("description", description)
    rule = rrule_text(starts_at, zone, repeat)
    if rule is not None and one_date is None:
        event.add("rrule", vRecur.from_ical(rule))
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data
