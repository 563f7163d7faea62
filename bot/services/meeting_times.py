"""Meeting times as people type them, reminder offsets, and the dates a series repeats on.

Pure functions (no database): a series repeats its local wall-clock time in the meeting's time
zone, so 18:00 stays 18:00 across daylight-saving changes; instants are stored in UTC.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday, weekdays

from bot.i18n import N_, n_
from bot.models import Repeat
from bot.services import durations
from bot.services.errors import InvalidInput
from bot.services.text import OFF_WORDS, checked, clean

TITLE_MIN, TITLE_MAX = 3, 150
PLACE_MAX = 150
FURTHEST_AHEAD = timedelta(days=730)
MAX_OFFSETS = 5
LONGEST_OFFSET = timedelta(days=28)

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DOTTED_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\.?$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")

BAD_WHEN = N_(
    "Write the date and time like this: {example} (or {dotted_example}). "
    "For example: /meeting {example} Progress meeting @ Community house"
)
BAD_WHEN_SHORT = N_("Write the date and time like this: {example} (or {dotted_example}).")
BAD_DATE = N_(
    "I can't read the date. Write the date and time like this: {example} "
    "(or {dotted_example}). For example: /meeting {example} Progress meeting @ Community house"
)
BAD_TIME = N_(
    "I can't read the time. Write it after the date like this: {example} "
    "(or {dotted_example}). For example: /meeting {example} Progress meeting @ Community house"
)
NO_TITLE = N_(
    "The meeting's title is missing: write it after the time. "
    "For example: /meeting {example} Progress meeting @ Community house"
)
SHORT_TITLE = n_(
    "The title is too short: at least {n} character. "
    "For example: /meeting {example} Progress meeting @ Community house",
    "The title is too short: at least {n} characters. "
    "For example: /meeting {example} Progress meeting @ Community house",
)
PAST = N_("That time has already passed. Choose a later one, for example {example}.")
TOO_FAR = N_("That is too far ahead: at most two years. For example: {example}.")


@dataclass(frozen=True)
class MeetingRequest:
    """What `/meeting <date> <time> <title> [@ place]` asked for."""

    starts_at: datetime  # aware, in the community's zone
    title: str
    place: str | None


def example_when(zone: ZoneInfo, now: datetime) -> tuple[str, str]:
    """A date a week from now at 18:00, in both accepted forms, for error messages."""
    day = (now.astimezone(zone) + timedelta(days=7)).date()
    return f"{day:%Y-%m-%d} 18:00", f"{day:%d.%m.%Y} 18:00"


def _bad_when(
    zone: ZoneInfo, now: datetime, message: str | tuple[str, str] = BAD_WHEN, **more: object
) -> InvalidInput:
    example, dotted = example_when(zone, now)
    return InvalidInput(message, example=example, dotted_example=dotted, **more)


def _day(date_word: str) -> date | None:
    """`2026-12-03` or `03.12.2026` as a calendar day (None if it is not one: 31.02)."""
    iso, dotted = _ISO_DATE.match(date_word), _DOTTED_DATE.match(date_word)
    if iso is not None:
        year, month, day = (int(part) for part in iso.groups())
    elif dotted is not None:
        day, month, year = (int(part) for part in dotted.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _clock(time_word: str) -> time | None:
    """`18:00` or `18.00` (None if it is not a time of day: 25:00)."""
    found = _TIME.match(time_word)
    if found is None or int(found[1]) > 23 or int(found[2]) > 59:
        return None
    return time(int(found[1]), int(found[2]))


def parse_when(
    date_word: str,
    time_word: str,
    zone: ZoneInfo,
    now: datetime,
    malformed: str | None = None,
) -> datetime:
    """`2026-12-03 18:00` or `03.12.2026 18:00` in `zone`; in the future, at most two years on.
    A date or time that cannot be read is explained as such, or by `malformed` if given."""
    day, clock = _day(date_word), _clock(time_word)
    if day is None:
        raise _bad_when(zone, now, malformed or BAD_DATE)
    if clock is None:
        raise _bad_when(zone, now, malformed or BAD_TIME)
    local = datetime.combine(day, clock, tzinfo=zone)
    # A time inside a spring-forward gap (03:30 on the last Sunday of March in Riga) does not
    # exist; a round trip through UTC gives the time it means on the clock (04:30).
    local = local.astimezone(UTC).astimezone(zone)
    if local <= now:
        raise _bad_when(zone, now, PAST)
    if local - now > FURTHEST_AHEAD:
        raise _bad_when(zone, now, TOO_FAR)
    return local


def parse_when_text(text: str, zone: ZoneInfo, now: datetime) -> datetime:
    """A date and a time in one answer, e.g. `2026-12-10 18:00`."""
    words = clean(text).split()
    if len(words) != 2:
        raise _bad_when(zone, now, BAD_WHEN_SHORT)
    return parse_when(words[0], words[1], zone, now, BAD_WHEN_SHORT)


def parse_request(text: str, zone: ZoneInfo, now: datetime) -> MeetingRequest:
    """The text after /meeting: date, time, title, and optionally `@ place`."""
    words = clean(text).split(maxsplit=2)
    if not words:
        raise _bad_when(zone, now)
    starts_at = parse_when(words[0], words[1] if len(words) > 1 else "", zone, now)
    title, _, place = (words[2] if len(words) > 2 else "").partition("@")
    if not title.strip():
        raise _bad_when(zone, now, NO_TITLE)
    if len(clean(title)) < TITLE_MIN:
        raise _bad_when(zone, now, SHORT_TITLE, n=TITLE_MIN)
    return MeetingRequest(
        starts_at=starts_at,
        title=checked(title, minimum=TITLE_MIN, maximum=TITLE_MAX),
        place=checked(place, minimum=1, maximum=PLACE_MAX) if place.strip() else None,
    )


def parse_offsets(values: list[str]) -> list[int]:
    """`1d 1h 15m` → minutes before the meeting, largest first; `none` turns reminders off."""
    words = durations.group([word for value in values for word in value.replace(",", " ").split()])
    if not words:
        raise InvalidInput(
            N_("Write when to remind, like 1d 1h 15m, or none to turn reminders off.")
        )
    if len(words) == 1 and words[0].lower() in OFF_WORDS:
        return []
    minutes = {
        int(durations.parse_between(word, timedelta(minutes=1), LONGEST_OFFSET).total_seconds())
        // 60
        for word in words
    }
    if len(minutes) > MAX_OFFSETS:
        raise InvalidInput(
            n_("At most {n} reminder, please.", "At most {n} reminders, please."), n=MAX_OFFSETS
        )
    return sorted(minutes, reverse=True)


def monthly_position(local: datetime) -> int:
    """Which weekday of the month `local` is: 1-4, or -1 for the last (the 5th is the last)."""
    position = (local.day - 1) // 7 + 1
    return -1 if position == 5 else position


def _rule(first_local: datetime, repeat: Repeat) -> rrule:
    start = first_local.replace(tzinfo=None)
    if repeat == Repeat.WEEKLY:
        return rrule(WEEKLY, dtstart=start)
    if repeat == Repeat.BIWEEKLY:
        return rrule(WEEKLY, interval=2, dtstart=start)
    if repeat == Repeat.MONTHLY:
        day: weekday = weekdays[start.weekday()]
        return rrule(MONTHLY, dtstart=start, byweekday=day(monthly_position(start)))
    return rrule(WEEKLY, dtstart=start, count=1)


def starts(first: datetime, zone: ZoneInfo, repeat: Repeat) -> Iterator[datetime]:
    """The series' starts (UTC), from the first: the same wall-clock time in `zone` each time."""
    first_local = first.astimezone(zone)
    for naive in _rule(first_local, repeat):
        yield naive.replace(tzinfo=zone).astimezone(UTC)


def starts_until(
    first: datetime, zone: ZoneInfo, repeat: Repeat, until: datetime
) -> list[datetime]:
    """Every start up to `until`, and always at least the first one."""
    found: list[datetime] = []
    for start in starts(first, zone, repeat):
        if found and start > until:
            break
        found.append(start)
    return found


def next_start_after(
    first: datetime, zone: ZoneInfo, repeat: Repeat, after: datetime
) -> datetime | None:
    return next((s for s in starts(first, zone, repeat) if s > after), None)


def rrule_text(first: datetime, zone: ZoneInfo, repeat: Repeat) -> str | None:
    """The iCalendar RRULE value for the series (None for a single meeting)."""
    if repeat == Repeat.WEEKLY:
        return "FREQ=WEEKLY"
    if repeat == Repeat.BIWEEKLY:
        return "FREQ=WEEKLY;INTERVAL=2"
    if repeat == Repeat.MONTHLY:
        local = first.astimezone(zone)
        code = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[local.weekday()]
        return f"FREQ=MONTHLY;BYDAY={monthly_position(local)}{code}"
    return None
