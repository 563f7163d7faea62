from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services import durations
from bot.services.errors import InvalidInput


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("1m", timedelta(minutes=1)),
        ("15m", timedelta(minutes=15)),
        ("2h", timedelta(hours=2)),
        ("3D", timedelta(days=3)),
        ("1w", timedelta(weeks=1)),
        ("1d12h", timedelta(days=1, hours=12)),
    ],
)
def test_parse(word: str, value: timedelta) -> None:
    assert durations.parse(word) == value
    assert durations.parse(durations.compact(value)) == value


@pytest.mark.parametrize("word", ["", "5", "m", "1x", "1 d", "-1d", "1.5h", "99999d"])
def test_parse_refuses_with_an_example(word: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        durations.parse(word)
    assert "15m" in caught.value.message


def test_parse_between() -> None:
    assert durations.parse_between("30d", timedelta(minutes=1), timedelta(days=30))
    with pytest.raises(InvalidInput) as caught:
        durations.parse_between("31d", timedelta(minutes=1), timedelta(days=30))
    assert caught.value.params == {"minimum": "1m", "maximum": "4w2d"}
