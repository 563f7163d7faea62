"""The Mini App's init data: who opened the board, signed by Telegram with the bot's token.

Telegram's recipe (core.telegram.org/bots/webapps, "Validating data received via the Mini
App"): the secret key is HMAC-SHA256 of the bot token keyed with "WebAppData"; the hash is the
hex HMAC-SHA256, under that key, of every received field but `hash`, sorted by key, written
`key=value` and joined by line feeds. The hash is compared in constant time and `auth_date`
may be at most `MAX_AGE` old.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

MAX_AGE = timedelta(days=1)
# A clock a little ahead of ours is not a forgery.
CLOCK_SKEW = timedelta(minutes=5)


class InvalidInitData(ValueError):
    """The init data is missing, forged, or too old: the request is refused."""


@dataclass(frozen=True)
class InitData:
    telegram_id: int
    first_name: str
    last_name: str | None
    username: str | None
    language_code: str | None
    start_param: str | None
    auth_date: datetime


def _secret(token: str) -> bytes:
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def _check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def _hash(fields: dict[str, str], token: str) -> str:
    return hmac.new(_secret(token), _check_string(fields).encode(), hashlib.sha256).hexdigest()


def validate(raw: str, token: str, *, now: datetime | None = None) -> InitData:
    """The person in `raw` (the query string Telegram gives the app), or InvalidInitData."""
    try:
        fields = dict(parse_qsl(raw, keep_blank_values=True, strict_parsing=True))
    except ValueError as exc:
        raise InvalidInitData("not a query string") from exc
    given = fields.get("hash", "")
    if not given or not hmac.compare_digest(given.encode(), _hash(fields, token).encode()):
        raise InvalidInitData("wrong hash")
    try:
        auth_date = datetime.fromtimestamp(int(fields["auth_date"]), UTC)
        user: Any = json.loads(fields["user"])
        telegram_id = int(user["id"])
    except (KeyError, ValueError, TypeError) as exc:
        raise InvalidInitData("no user or date") from exc
    current = now or datetime.now(UTC)
    if auth_date < current - MAX_AGE or auth_date > current + CLOCK_SKEW:
        raise InvalidInitData("too old")
    return InitData(
        telegram_id=telegram_id,
        first_name=str(user.get("first_name") or ""),
        last_name=user.get("last_name"),
        username=user.get("username"),
        language_code=user.get("language_code"),
        start_param=fields.get("start_param") or None,
        auth_date=auth_date,
    )


def sign(
    token: str,
    *,
    telegram_id: int,
    first_name: str,
    last_name: str | None = None,
    username: str | None = None,
    language_code: str | None = None,
    start_param: str | None = None,
    auth_date: datetime | None = None,
) -> str:
    """Init data as Telegram would give it: for the console's board and for tests."""
    user: dict[str, Any] = {"id": telegram_id, "first_name": first_name}
    if last_name:
        user["last_name"] = last_name
    if username:
        user["username"] = username
    if language_code:
        user["language_code"] = language_code
    moment = auth_date or datetime.now(UTC)
    fields = {
        "auth_date": str(int(moment.timestamp())),
        "query_id": "AAE-board",
        "user": json.dumps(user, separators=(",", ":"), ensure_ascii=False),
    }
    if start_param:
        fields["start_param"] = start_param
    fields["hash"] = _hash(fields, token)
    return urlencode(fields)
