from __future__ import annotations

import pytest

from bot.i18n import Catalogs
from bot.resources import locales_dir
from bot.services import text
from bot.services.errors import InvalidInput

CATALOGS = Catalogs.load(locales_dir())


def test_clean_normalises_and_tidies() -> None:
    decomposed = "Ga\u0304jiens"  # "Gājiens" typed with a combining macron
    assert text.clean(f"  {decomposed}\x00\t\t uz  \r\n\n\n\n ezeru  ") == "Gājiens uz\n\nezeru"


def test_checked_enforces_limits_after_cleaning() -> None:
    assert (
        text.checked("  Jauns rotaļu laukums  ", minimum=10, maximum=30) == "Jauns rotaļu laukums"
    )
    with pytest.raises(InvalidInput) as short:
        text.checked("Soliņš    ", minimum=10, maximum=30)
    assert short.value.params == {"n": 10}
    with pytest.raises(InvalidInput) as long:
        text.checked("ā" * 31, minimum=10, maximum=30)
    assert long.value.params == {"n": 30, "length": 31}


@pytest.mark.parametrize(
    ("language", "maximum", "words"),
    [
        ("ru", 21, "не больше 21 символа"),
        ("ru", 30, "не больше 30 символов"),
        ("lv", 21, "ne vairāk kā 21 rakstzīme,"),
        ("lv", 30, "ne vairāk kā 30 rakstzīmes,"),
        ("en", 1, "at most 1 character,"),
    ],
)
def test_a_limit_takes_the_plural_form_of_its_number(
    language: str, maximum: int, words: str
) -> None:
    """The limit is a constant of each feature: its noun agrees with whatever number it is."""
    with pytest.raises(InvalidInput) as long:
        text.checked("x" * 40, minimum=1, maximum=maximum)
    error = long.value
    assert error.plural is not None
    params = {k: v for k, v in error.params.items() if k != "n"}
    t = CATALOGS.translator(language)
    assert words in t.n_(error.message, error.plural, error.params["n"], **params)


def test_shorten_cuts_at_a_word() -> None:
    assert text.shorten("short", 10) == "short"
    assert text.shorten("Jauns rotaļu laukums pie skolas", 20) == "Jauns rotaļu…"
    assert len(text.shorten("x" * 50, 20)) == 20


@pytest.mark.parametrize(
    ("word", "number"),
    [
        ("42", 42),
        ("007", 7),
        ("999999999", 999_999_999),
        ("1234567890", None),
        ("²", None),
        ("٣", None),
        ("-1", None),
        ("", None),
        ("4 2", None),
        ("12a", None),
    ],
)
def test_whole_numbers_fit_every_integer_column(word: str, number: int | None) -> None:
    assert text.whole_number(word) == number
