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


@pytest.mark.parametrize(
    ("word", "value"),
    [
        # Latvian, as the lv help texts show them and as Babel abbreviates them
        ("30 min", timedelta(minutes=30)),
        ("2st", timedelta(hours=2)),
        ("2 st.", timedelta(hours=2)),
        ("3 d", timedelta(days=3)),
        ("3 dienas", timedelta(days=3)),
        ("1 ned", timedelta(weeks=1)),
        ("2 Nedēļas", timedelta(weeks=2)),
        ("1d12st", timedelta(days=1, hours=12)),
        # Russian
        ("30 мин", timedelta(minutes=30)),
        ("2ч", timedelta(hours=2)),
        ("3 дн.", timedelta(days=3)),
        ("3 ДНЯ", timedelta(days=3)),
        ("1 нед", timedelta(weeks=1)),
        ("5 недель", timedelta(weeks=5)),
        # English words too
        ("1 d", timedelta(days=1)),
        ("2 hours", timedelta(hours=2)),
        ("1 week", timedelta(weeks=1)),
    ],
)
def test_parse_latvian_russian_and_spaced(word: str, value: timedelta) -> None:
    assert durations.is_duration(word)
    assert durations.parse(word) == value


def test_group_joins_a_number_to_the_unit_after_it() -> None:
    """A duration typed with a space becomes one word; joined again, the words read as typed."""
    words = ["3", "dienas", "Kur", "likt", "5", "soliņus", "1d", "12", "h"]
    assert durations.group(words) == ["3 dienas", "Kur", "likt", "5", "soliņus", "1d", "12 h"]
    assert " ".join(durations.group(words)) == " ".join(words)
    assert durations.group(["5", "31d"]) == ["5", "31d"]
    assert durations.group(["1", "дн", "1", "ч"]) == ["1 дн", "1 ч"]


@pytest.mark.parametrize(
    "word", ["", "5", "m", "1x", "1 dx", "1dienasx", "-1d", "1.5h", "99999d", "1 d 2 h"]
)
def test_parse_refuses_with_an_example(word: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        durations.parse(word)
    assert "15m" in caught.value.message


def test_parse_between() -> None:
    assert durations.parse_between("30d", timedelta(minutes=1), timedelta(days=30))
    with pytest.raises(InvalidInput) as caught:
        durations.parse_between("31d", timedelta(minutes=1), timedelta(days=30))
    assert caught.value.params == {"minimum": timedelta(minutes=1), "maximum": timedelta(days=30)}
