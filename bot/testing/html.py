"""Telegram's HTML parse mode as the Bot API applies it: plain text, entities, and its errors.

Written from the Bot API documentation and the behaviour of Telegram's parser: the tags it
supports, the four named entities (`&lt; &gt; &amp; &quot;`) plus numeric ones, a lone `&`
kept as text, and the same error texts ("Unsupported start tag "x" at byte offset 3", ...),
which the Bot API returns as "Bad Request: can't parse entities: <text>".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACE = b" \t\r\n"
_LETTERS = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_NAME_TOKEN = re.compile(rb"[A-Za-z0-9.\-]*")


class EntityParseError(ValueError):
    """The text is not valid Telegram HTML; the message is Telegram's own wording."""


@dataclass
class _Open:
    tag: str
    attributes: dict[str, str]
    offset: int  # in UTF-16 code units of the resulting text


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _decode_entity(data: bytes, pos: int) -> tuple[str, int] | None:
    """The character of an HTML entity at data[pos] == '&', or None to keep '&' as text."""
    end = pos + 1
    if end < len(data) and data[end] == ord("#"):
        end += 1
        hexadecimal = end < len(data) and data[end] in b"xX"
        if hexadecimal:
            end += 1
        digits = b"0123456789abcdefABCDEF" if hexadecimal else b"0123456789"
        start = end
        while end < len(data) and data[end] in digits:
            end += 1
        if end == start:
            return None
        code = int(data[start:end], 16 if hexadecimal else 10)
        if code > 0x10FFFF:
            return None
        if 0xD800 <= code <= 0xDFFF:
            raise EntityParseError(
                "Text contains invalid Unicode characters after decoding HTML entities, "
                "check for unmatched surrogate code units"
            )
        if end < len(data) and data[end] == ord(";"):
            end += 1
        return (chr(code) if code else "\ufffd"), end
    start = end
    while end < len(data) and data[end] in _LETTERS:
        end += 1
    name = data[start:end].decode("ascii", "replace")
    if name in _NAMED and end < len(data) and data[end] == ord(";"):
        return _NAMED[name], end + 1
    if name in ("lt", "gt", "amp", "quot") and (end >= len(data) or data[end] != ord(";")):
        return _NAMED[name], end
    return None


def _skip_spaces(data: bytes, pos: int) -> int:
    while pos < len(data) and data[pos] in _SPACE:
        pos += 1
    return pos


def _read_attribute_value(data: bytes, pos: int, begin: int) -> tuple[str, int]:
    if data[pos] in b"'\"":
        quote = data[pos]
        end = data.find(bytes([quote]), pos + 1)
        if end == -1:
            raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
        return _decode_text(data[pos + 1 : end]), end + 1
    match = _NAME_TOKEN.match(data, pos)
    assert match is not None
    end = match.end()
    if end >= len(data) or (data[end] not in _SPACE and data[end] != ord(">")):
        raise EntityParseError(f"Unexpected end of name token at byte offset {pos}")
    return match.group().decode(), end


def _decode_text(raw: bytes) -> str:
    out = bytearray()
    pos = 0
    while pos < len(raw):
        if raw[pos] == ord("&"):
            decoded = _decode_entity(raw, pos)
            if decoded is not None:
                out.extend(decoded[0].encode("utf-8"))
                pos = decoded[1]
                continue
        out.append(raw[pos])
        pos += 1
    return out.decode("utf-8", "replace")


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and Bot API entities (offsets in UTF-16 code units) of an HTML-mode text."""
    data = source.encode("utf-8")
    text: list[str] = []
    length = 0  # UTF-16 length of the text so far
    stack: list[_Open] = []
    entities: list[dict[str, Any]] = []
    pos = 0
    literal_start = 0

    def flush(until: int) -> None:
        nonlocal length
        if until > literal_start:
            chunk = data[literal_start:until].decode("utf-8", "replace")
            text.append(chunk)
            length += utf16_length(chunk)

    while pos < len(data):
        byte = data[pos]
        if byte == ord("&"):
            decoded = _decode_entity(data, pos)
            if decoded is not None:
                flush(pos)
                text.append(decoded[0])
                length += utf16_length(decoded[0])
                pos = literal_start = decoded[1]
                continue
        if byte != ord("<"):
            pos += 1
            continue
        flush(pos)
        begin = pos
        pos += 1
        if pos < len(data) and data[pos] != ord("/"):
            name_end = pos
            while name_end < len(data) and data[name_end] not in _SPACE and data[name_end] != 62:
                name_end += 1
            if name_end >= len(data):
                raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
            tag = data[pos:name_end].decode("utf-8", "replace").lower()
            if tag not in _ENTITY_TYPES:
                raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {begin}')
            pos = name_end
            attributes: dict[str, str] = {}
            while pos < len(data) and data[pos] != ord(">"):
                pos = _skip_spaces(data, pos)
                if pos < len(data) and data[pos] == ord(">"):
                    break
                attr_start = pos
                while pos < len(data) and data[pos] not in _SPACE and data[pos] not in b"=>":
                    pos += 1
                attribute = data[attr_start:pos].decode("utf-8", "replace").lower()
                if not attribute:
                    raise EntityParseError(
                        f'Empty attribute name in the tag "{tag}" at byte offset {begin}'
                    )
                pos = _skip_spaces(data, pos)
                if tag == "blockquote" and attribute == "expandable":
                    attributes[attribute] = ""
                    continue
                if pos >= len(data) or data[pos] != ord("="):
                    raise EntityParseError(
                        "Expected equal sign in declaration of an attribute of the tag "
                        f'"{tag}" at byte offset {begin}'
                    )
                pos = _skip_spaces(data, pos + 1)
                if pos >= len(data):
                    raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
                value, pos = _read_attribute_value(data, pos, begin)
                attributes[attribute] = value
            if pos >= len(data):
                raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
            if tag == "span" and attributes.get("class") != "tg-spoiler":
                raise EntityParseError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {begin}'
                )
            pos += 1
            stack.append(_Open(tag, attributes, length))
        else:
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {begin}")
            pos += 1
            name_end = pos
            while name_end < len(data) and data[name_end] not in _SPACE and data[name_end] != 62:
                name_end += 1
            tag = data[pos:name_end].decode("utf-8", "replace").lower()
            pos = _skip_spaces(data, name_end)
            if pos >= len(data) or data[pos] != ord(">"):
                raise EntityParseError(f"Unclosed end tag at byte offset {begin}")
            opened = stack[-1]
            if tag and tag != opened.tag:
                raise EntityParseError(
                    f"Unmatched end tag at byte offset {begin}, "
                    f'expected "</{opened.tag}>", found "</{tag}>"'
                )
            pos += 1
            stack.pop()
            if length > opened.offset:
                entities.append(_entity(opened, length))
        literal_start = pos
    flush(len(data))
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(text), entities


def _entity(opened: _Open, end: int) -> dict[str, Any]:
    kind = _ENTITY_TYPES[opened.tag]
    entity: dict[str, Any] = {"type": kind, "offset": opened.offset, "length": end - opened.offset}
    if kind == "text_link":
        entity["url"] = opened.attributes.get("href", "")
    elif kind == "blockquote" and "expandable" in opened.attributes:
        entity["type"] = "expandable_blockquote"
    elif kind == "custom_emoji":
        entity["custom_emoji_id"] = opened.attributes.get("emoji-id", "")
    elif kind == "code" and opened.attributes.get("class", "").startswith("language-"):
        entity["language"] = opened.attributes["class"].removeprefix("language-")
    return entity
