"""Durations as people type them: `15m`, `1h`, `3d`, `2w`, and combinations such as `1d12h`."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.i18n import N_
from bot.services.errors import InvalidInput

_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_PART = re.compile(r"(\d{1,4})([mhdw])")
_WHOLE = re.compile(r"^(?:\d{1,4}[mhdw])+$")


def is_duration(word: str) -> bool:
    return bool(_WHOLE.match(word.strip().lower()))


def parse(word: str) -> timedelta:
    """One duration word; InvalidInput with an example when it is not one."""
    word = word.strip().lower()
    if not is_duration(word):
        raise InvalidInput(
            N_("“{word}” is not a duration. Write it like 15m, 2h, 3d or 1w."), word=word
        )
    total = timedelta()
    for amount, unit in _PART.findall(word):
        total += timedelta(**{_UNITS[unit]: int(amount)})
    return total


def parse_between(word: str, minimum: timedelta, maximum: timedelta) -> timedelta:
    value = parse(word)
    if not minimum <= value <= maximum:
        raise InvalidInput(
            N_("The duration must be between {minimum} and {maximum}."),
            minimum=compact(minimum),
            maximum=compact(maximum),
        )
    return value


def compact(value: timedelta) -> str:
    """The same short form people type: 1d12h, 15m; the same in every language."""
    minutes = int(value.total_seconds() // 60)
    parts = []
    for unit, size in (("w", 7 * 24 * 60), ("d", 24 * 60), ("h", 60), ("m", 1)):
        if minutes >= size:
            parts.append(f"{minutes // size}{unit}")
            minutes %= size
    return "".join(parts) or "0m"
