"""The one typed, versioned codec for callback data, and small keyboard builders.

Callback data reads `<kind><version>:<field>:<field>`, e.g. `lang1:g:lv`. A kind is a frozen
dataclass registered with `@callback("lang", 1)`; its fields are ints or strings. Data that does
not decode (forged, or from a button of an older version) yields None and gets a polite answer.
Int fields are row ids, page numbers and flags: they fit the databases' 32-bit INTEGER, and a
forged number beyond it does not decode (SQLite cannot even bind one beyond 64 bits).
"""

from __future__ import annotations

import dataclasses
import functools
import re
import typing
from collections.abc import Hashable, Iterable, Sequence
from typing import Any, TypeVar, cast

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo

CALLBACK_DATA_LIMIT = 64  # bytes, Bot API
INT_LIMIT = 2**31  # int fields lie in [-INT_LIMIT, INT_LIMIT)
_KIND = re.compile(r"^[a-z]+$")
_DATA = re.compile(r"^(?P<kind>[a-z]+)(?P<version>\d+)(?P<fields>(?::[^:]*)*)$")

T = TypeVar("T")
_REGISTRY: dict[str, type[Any]] = {}


def callback(kind: str, version: int = 1) -> typing.Callable[[type[T]], type[T]]:
    """Register a frozen dataclass as a callback-data kind."""

    def register(cls: type[T]) -> type[T]:
        if not _KIND.match(kind):
            raise ValueError(f"callback kind {kind!r} must be lowercase letters")
        if kind in _REGISTRY:
            raise ValueError(f"callback kind {kind!r} is registered twice")
        if not dataclasses.is_dataclass(cls):
            raise TypeError(f"{cls.__name__} must be a dataclass")
        cls.__callback_kind__ = kind  # type: ignore[attr-defined]
        cls.__callback_version__ = version  # type: ignore[attr-defined]
        _REGISTRY[kind] = cls
        return cls

    return register


def _header(cls: type[Any]) -> str:
    return f"{cls.__callback_kind__}{cls.__callback_version__}"


def encode(value: object) -> str:
    cls = type(value)
    values = [getattr(value, f.name) for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    if any(isinstance(v, int) and not _in_range(v) for v in values):
        raise ValueError(f"callback numbers must lie within ±{INT_LIMIT}")
    fields = [str(v) for v in values]
    if any(":" in part for part in fields):
        raise ValueError("callback fields must not contain ':'")
    data = ":".join([_header(cls), *fields])
    if len(data.encode()) > CALLBACK_DATA_LIMIT:
        raise ValueError(f"callback data {data!r} is over {CALLBACK_DATA_LIMIT} bytes")
    return data


@functools.cache
def _hints(cls: Hashable) -> dict[str, Any]:
    """A callback class's field types, looked up once: every button press decodes its data."""
    return typing.get_type_hints(cls)


def decode(data: str | None, cls: type[T]) -> T | None:
    """The typed value, or None for data that is malformed, of another kind or another version."""
    match = _DATA.match(data or "")
    if match is None or match["kind"] != cls.__callback_kind__:  # type: ignore[attr-defined]
        return None
    if int(match["version"]) != cls.__callback_version__:  # type: ignore[attr-defined]
        return None
    parts = match["fields"].split(":")[1:]
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if len(parts) != len(fields):
        return None
    hints = _hints(cast(Hashable, cls))
    values: dict[str, Any] = {}
    for field, raw in zip(fields, parts, strict=True):
        if hints[field.name] is int:
            if not re.fullmatch(r"-?\d{1,10}", raw) or not _in_range(int(raw)):
                return None
            values[field.name] = int(raw)
        else:
            values[field.name] = raw
    try:
        return cls(**values)
    except (TypeError, ValueError):
        return None


def kind_of(data: str | None) -> str | None:
    """The registered kind `data` is of (any version); None for data of no known kind."""
    match = _DATA.match(data or "")
    return match["kind"] if match is not None and match["kind"] in _REGISTRY else None


def _in_range(number: int) -> bool:
    return -INT_LIMIT <= number < INT_LIMIT


def pattern(cls: type[Any]) -> str:
    """The regex a CallbackQueryHandler uses to route this kind (any version of it)."""
    return rf"^{cls.__callback_kind__}\d+(:|$)"


def button(text: str, data: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=encode(data))


def url_button(text: str, url: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, url=url)


def app_button(text: str, url: str) -> InlineKeyboardButton:
    """Opens a Mini App at `url`: private chats only (a group refuses the whole message)."""
    return InlineKeyboardButton(text, web_app=WebAppInfo(url=url))


def keyboard(rows: Iterable[Sequence[InlineKeyboardButton]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([list(row) for row in rows if row])


def in_rows(
    buttons: Sequence[InlineKeyboardButton], per_row: int
) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]
