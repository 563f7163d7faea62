"""The Mini App's init data, checked as Telegram documents it."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

import pytest

from bot.board import init_data, links

TOKEN = "123456:ABC-board-token"
NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def _signed(**changes: str) -> str:
    raw = init_data.sign(
        TOKEN,
        telegram_id=42,
        first_name="Līga",
        username="liga",
        language_code="lv",
        start_param="v7-i3",
        auth_date=NOW - timedelta(hours=1),
    )
    fields = dict(parse_qsl(raw))
    fields.update(changes)
    return urlencode(fields)


def test_the_documented_recipe_is_followed() -> None:
    """The hash computed by hand, step by step as core.telegram.org writes it."""
    fields = dict(parse_qsl(_signed()))
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields) if k != "hash")
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    assert fields["hash"] == hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()


def test_a_signed_person_is_read() -> None:
    who = init_data.validate(_signed(), TOKEN, now=NOW)
    assert (who.telegram_id, who.first_name, who.username, who.language_code) == (
        42,
        "Līga",
        "liga",
        "lv",
    )
    assert who.start_param == "v7-i3"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "not a query",
        _signed(hash="0" * 64),
        _signed(user='{"id":43,"first_name":"Līga"}'),  # someone else, same hash
        _signed(start_param="v8"),  # another village, same hash
    ],
)
def test_forged_or_broken_init_data_is_refused(raw: str) -> None:
    with pytest.raises(init_data.InvalidInitData):
        init_data.validate(raw, TOKEN, now=NOW)


def test_another_bots_signature_is_refused() -> None:
    with pytest.raises(init_data.InvalidInitData):
        init_data.validate(_signed(), "999:other", now=NOW)


def test_init_data_older_than_a_day_is_refused() -> None:
    assert init_data.validate(_signed(), TOKEN, now=NOW + timedelta(hours=22))
    with pytest.raises(init_data.InvalidInitData):
        init_data.validate(_signed(), TOKEN, now=NOW + timedelta(hours=24, minutes=1))


def test_start_parameters_name_a_village_and_a_view() -> None:
    assert links.parse_start(links.start_param(12)) == (12, "ideas")
    assert links.parse_start(links.start_param(12, idea=5)) == (12, "idea/5")
    assert links.parse_start(links.start_param(12, meeting=3)) == (12, "meeting/3")
    assert links.parse_start(links.start_param(12, budget=True)) == (12, "budget")
    assert links.parse_start("v12-b5") == (None, "ideas")
    assert links.parse_start("v12-x5") == (None, "ideas")
    assert links.parse_start(None) == (None, "ideas")
    assert links.direct_link("villagebot", "v12") == "https://t.me/villagebot?startapp=v12"
    assert links.app_url("https://b.example.org", "v12") == "https://b.example.org/board?start=v12"
