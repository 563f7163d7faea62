"""The board's calendar files: a plain link (a phone's calendar or browser fetches it without
the Mini App's init data), so it carries a token only the bot can make: HMAC-SHA256 of the
date's id under a key derived from the bot's token, checked in constant time."""

from __future__ import annotations

import hashlib
import hmac

# Hex digits of the token: 128 bits, beyond guessing.
TOKEN_LENGTH = 32


def _key(bot_token: str) -> bytes:
    return hmac.new(b"board-ics", bot_token.encode(), hashlib.sha256).digest()


def ics_token(bot_token: str, occurrence_id: int) -> str:
    digest = hmac.new(_key(bot_token), str(occurrence_id).encode(), hashlib.sha256)
    return digest.hexdigest()[:TOKEN_LENGTH]


def is_valid(bot_token: str, occurrence_id: int, given: str) -> bool:
    return hmac.compare_digest(given.encode(), ics_token(bot_token, occurrence_id).encode())


def ics_path(bot_token: str, occurrence_id: int) -> str:
    """The file's path under the board's URL."""
    return f"/board/ics/{occurrence_id}-{ics_token(bot_token, occurrence_id)}.ics"
