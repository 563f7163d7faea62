"""Durations as people type them: `15m`, `1h`, `3d`, `2w`, and combinations such as `1d12h`;
also with Latvian and Russian units (`30 min`, `2 st`, `3 dienas`, `1 ned`; `30 мин`, `2 ч`,
`3 дня`, `1 нед`), with or without a space before the unit."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta

from bot.i18n import N_
from bot.services.errors import InvalidInput

# Every unit word a resident may type (lower-case), by the timedelta field it counts: in
# English, Latvian and Russian, the short forms the help texts show and the words' common
# forms. A unit may end with a dot (`2 st.`).
_UNIT_WORDS: dict[str, tuple[str, ...]] = {
    "minutes": (
        "m min mins minute minutes",
        "minūte minūtes minūti minūšu",
        "мин минута минуты минуту минут",
    ),
    "hours": ("h hr hrs hour hours", "st stunda stundas stundu", "ч час часа часов"),
    "days": ("d day days", "diena dienas dienu dienām", "д дн день дня дней"),
    "weeks": (
        "w wk wks week weeks",
        "ned nedēļa nedēļas nedēļu nedēļām",
        "нед неделя недели неделю недель",
    ),
}
_UNITS = {
    word: field
    for field, languages in _UNIT_WORDS.items()
    for words in languages
    for word in words.split()
}
# Longest first, so `2dienas` is read as days and not as `2d` followed by `ienas`.
_UNIT = "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True))
_PART = re.compile(rf"(\d{{1,4}})\s*({_UNIT})\.?")
_NUMBER = re.compile(r"\d{1,4}")
_UNIT_ALONE = re.compile(rf"(?:{_UNIT})\.?")


def _parts(word: str) -> list[tuple[int, str]] | None:
    """The (amount, field) parts of a duration word, or None when it is not one."""
    word = word.strip().lower()
    parts, position = [], 0
    while position < len(word):
        match = _PART.match(word, position)
        if match is None or (match.end() < len(word) and word[match.end()].isalpha()):
            return None
        parts.append((int(match[1]), _UNITS[match[2]]))
        position = match.end()
    return parts or None


def is_duration(word: str) -> bool:
    return _parts(word) is not None


def group(words: Sequence[str]) -> list[str]:
    """The words with each bare number joined to the unit word after it (`3`, `dienas` →
    `3 dienas`), so a duration typed with a space is one word; joined with spaces again, the
    words read as typed."""
    grouped: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        following = words[index + 1] if index + 1 < len(words) else ""
        if _NUMBER.fullmatch(word) and _UNIT_ALONE.fullmatch(following.lower()):
            grouped.append(f"{word} {following}")
            index += 2
        else:
            grouped.append(word)
            index += 1
    return grouped


def parse(word: str) -> timedelta:
    """One duration word; InvalidInput with an example when it is not one."""
    parts = _parts(word)
    if parts is None:
        raise InvalidInput(
            N_("“{word}” is not a duration. Write it like 15m, 2h, 3d or 1w."),
            word=word.strip()[:40],
        )
    total = timedelta()
    for amount, field in parts:
        total += timedelta(**{field: amount})
    return total


def parse_between(word: str, minimum: timedelta, maximum: timedelta) -> timedelta:
    value = parse(word)
    if not minimum <= value <= maximum:
        raise InvalidInput(
            N_("The duration must be between {minimum} and {maximum}."),
            minimum=minimum,
            maximum=maximum,
        )
    return value
