from __future__ import annotations

import dataclasses

import pytest

from bot import keyboards
from bot.keyboards import CommunityPick, LanguagePick


@keyboards.callback("probe", version=3)
@dataclasses.dataclass(frozen=True)
class Probe:
    item: int
    action: str


def test_round_trip() -> None:
    data = keyboards.encode(Probe(42, "up"))
    assert data == "probe3:42:up"
    assert keyboards.decode(data, Probe) == Probe(42, "up")
    assert keyboards.decode(
        keyboards.encode(LanguagePick("g", "ru")), LanguagePick
    ) == LanguagePick("g", "ru")


@pytest.mark.parametrize(
    "forged",
    [
        None,
        "",
        "probe3:42",  # a field missing
        "probe3:42:up:more",  # one too many
        "probe3:x:up",  # not a number
        "probe2:42:up",  # an older version of the button
        "village1:42:up",  # another kind
        "probe3:99999999999999999999999:up",  # a number too long
        "probe3:9223372036854775808:up",  # beyond 64 bits: SQLite cannot bind it
        "probe3:2147483648:up",  # beyond the databases' 32-bit INTEGER
        "probe3:-2147483649:up",
        "💥",
    ],
)
def test_forged_or_stale_data_does_not_decode(forged: str | None) -> None:
    assert keyboards.decode(forged, Probe) is None


def test_data_over_64_bytes_or_with_separators_is_refused() -> None:
    with pytest.raises(ValueError, match="64"):
        keyboards.encode(Probe(1, "x" * 60))
    with pytest.raises(ValueError, match="':'"):
        keyboards.encode(Probe(1, "a:b"))


def test_numbers_a_database_cannot_hold_are_not_encoded() -> None:
    assert keyboards.decode(keyboards.encode(Probe(2**31 - 1, "x")), Probe) == Probe(2**31 - 1, "x")
    assert keyboards.decode(keyboards.encode(Probe(-(2**31), "x")), Probe) == Probe(-(2**31), "x")
    with pytest.raises(ValueError, match="within"):
        keyboards.encode(Probe(2**31, "x"))


def test_kinds_are_unique() -> None:
    with pytest.raises(ValueError, match="twice"):
        keyboards.callback("probe")(dataclasses.dataclass(frozen=True)(type("Again", (), {})))


def test_pattern_routes_every_version_of_a_kind() -> None:
    import re

    pattern = re.compile(keyboards.pattern(CommunityPick))
    assert pattern.match("village1:5")
    assert pattern.match("village7:5")
    assert not pattern.match("villages1:5")
