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
    moved_from: datetime | None = None,
) -> bytes:
    """One event in the meeting's own time zone; a series carries its repeat rule.

    `moved_from` makes it the update of one date of the event with the same `uid` (moved from
    that original start): calendars then show the new time instead of the old one.
    """
    local = starts_at.astimezone(zone)
    event = Event()
    event.add("uid", uid)
    if moved_from is not None:
        event.add("sequence", 1)
        if repeat != Repeat.ONCE:
            event.add("recurrence-id", moved_from.astimezone(zone))
    event.add("dtstamp", now)
    event.add("summary", title)
    event.add("dtstart", local)
    event.add("dtend", local + DURATION)
    if place:
        event.add("location", place)
    if description:
        event.add("description", description)
    rule = rrule_text(starts_at, zone, repeat)
    if rule is not None and moved_from is None:
        event.add("rrule", vRecur.from_ical(rule))
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data
