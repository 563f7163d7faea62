"""Dates and times as villagers type them: `2026-12-03`, `03.12.2026` (or `03.12.2026.`), with an
optional `18:00`, read in the community's time zone."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.i18n import N_
from bot.services.errors import InvalidInput

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\.?$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")

BAD_DATE = N_("“{word}” is not a date. Write it like 03.12.2026 or 2026-12-03.")
BAD_TIME = N_("“{word}” is not a time. Write it like 18:00.")


def is_date(word: str) -> bool:
    return bool(_ISO.match(word) or _DOTTED.match(word))


def parse_date(word: str) -> date:
    word = word.strip()
    iso, dotted = _ISO.match(word), _DOTTED.match(word)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if dotted:
            return date(int(dotted[3]), int(dotted[2]), int(dotted[1]))
    except ValueError:
        pass
    raise InvalidInput(BAD_DATE, word=word[:40])


def parse_time(word: str) -> time:
    match = _TIME.match(word.strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise InvalidInput(BAD_TIME, word=word[:40])
    return time(int(match[1]), int(match[2]))


def parse_moment(text: str, zone: ZoneInfo, default_time: time) -> datetime:
    """`03.12.2026` or `03.12.2026 18:00` as an aware moment in `zone`."""
    words = text.split()
    if not 1 <= len(words) <= 2:
        raise InvalidInput(BAD_DATE, word=text[:40])
    day = parse_date(words[0])
    at = parse_time(words[1]) if len(words) == 2 else default_time
    return datetime.combine(day, at, tzinfo=zone)
