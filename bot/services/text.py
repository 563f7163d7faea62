"""Residents' free text: cleaned and checked against the limits a feature sets."""

from __future__ import annotations

import re
import unicodedata

from bot.i18n import n_
from bot.services.errors import InvalidInput

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n{3,}")


_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")

# Words that turn a setting off: the English ones, 0 and -, and the Latvian and Russian ones the
# help texts show.
OFF_WORDS = frozenset({"off", "none", "0", "-", "izslēgt", "nav", "выкл", "нет"})
# Words that turn a setting on, likewise.
ON_WORDS = frozenset({"on", "yes", "1", "ieslēgt", "jā", "вкл", "да"})

# Limits are counted in the plural form of their own number, so they read right for any limit.
TOO_SHORT = n_(
    "Please write a little more: at least {n} character.",
    "Please write a little more: at least {n} characters.",
)
TOO_LONG = n_(
    "That is too long: at most {n} character, and this has {length}.",
    "That is too long: at most {n} characters, and this has {length}.",
)


def whole_number(word: str) -> int | None:
    """`42` → 42: ASCII digits only, at most nine of them (so it fits every integer column and
    `int()` never meets a digit it cannot read, such as "²"); anything else → None."""
    return int(word) if _WHOLE_NUMBER.fullmatch(word) else None


def clean(raw: str) -> str:
    """Normalised (NFC, so "ā" is one character), without control characters or runs of blanks."""
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def checked(raw: str, *, minimum: int, maximum: int) -> str:
    """The cleaned text, or InvalidInput saying how long it must be."""
    text = clean(raw)
    if len(text) < minimum:
        raise InvalidInput(TOO_SHORT, n=minimum)
    if len(text) > maximum:
        raise InvalidInput(TOO_LONG, n=maximum, length=len(text))
    return text


def slug(title: str, fallback: str, limit: int = 40) -> str:
    """An ASCII file-name part from a title ("Sanāksme" → "sanaksme"), which every phone keeps."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:limit] or fallback


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word where possible, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-") + "…"
