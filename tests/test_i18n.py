from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from bot.i18n import Catalogs, Html, Translator, escape, locale_language
from bot.resources import locales_dir

RIGA = ZoneInfo("Europe/Riga")


def _shipped_plural_forms(language: str) -> str:
    """The Plural-Forms header of the shipped catalog: a catalog built in code would otherwise get
    Babel's own rule for the locale, whose form order changes between Babel releases."""
    po_file = locales_dir() / language / "LC_MESSAGES" / "villagebot.po"
    with po_file.open("rb") as handle:
        return read_po(handle, locale=language).plural_forms


def _translator(language: str, entries: dict[object, object]) -> Translator:
    catalog = Catalog(locale=language)
    catalog.mime_headers = [("Plural-Forms", _shipped_plural_forms(language))]
    for msgid, msgstr in entries.items():
        catalog.add(msgid, msgstr)  # type: ignore[arg-type]
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translator(language, Translations(fp=buffer))


def test_parameters_are_html_escaped_but_markup_is_kept() -> None:
    t = _translator("en", {"Hello, <b>{name}</b>!": "Hello, <b>{name}</b>!"})
    text = t._("Hello, <b>{name}</b>!", name="<i>Bob</i> & Co")
    assert text == "Hello, <b>&lt;i&gt;Bob&lt;/i&gt; &amp; Co</b>!"
    assert isinstance(text, Html)
    assert t._("Hello, <b>{name}</b>!", name=Html("<i>Bob</i>")) == "Hello, <b><i>Bob</i></b>!"


def test_plain_text_is_not_escaped() -> None:
    t = _translator("en", {})
    assert t.plain("Vote for {name}", name="A & B") == "Vote for A & B"
    assert escape("a<b") == "a&lt;b"


def test_latvian_has_three_plural_forms() -> None:
    t = _translator(
        "lv",
        {("{n} idea", "{n} ideas"): ("{n} ideja", "{n} idejas", "{n} ideju")},
    )
    forms = {n: t.n_("{n} idea", "{n} ideas", n) for n in (1, 2, 11, 21, 0)}
    assert forms == {1: "1 ideja", 2: "2 idejas", 11: "11 idejas", 21: "21 ideja", 0: "0 ideju"}


def test_the_shipped_catalogs_really_translate() -> None:
    catalogs = Catalogs.load(locales_dir())
    assert catalogs.translator("lv")._("What I can do") == "Ko es protu"
    assert catalogs.translator("ru")._("What I can do") == "Что я умею"
    assert catalogs.translator("en")._("What I can do") == "What I can do"
    assert catalogs.translator("xx").language == "lv"


def test_durations_in_words() -> None:
    catalogs = Catalogs.load(locales_dir())
    day_and_hours = timedelta(days=1, hours=2)
    assert catalogs.translator("en").duration_text(day_and_hours) == "1 day 2 hours"
    assert catalogs.translator("lv").duration_text(day_and_hours) == "1 diena 2 stundas"
    assert catalogs.translator("ru").duration_text(timedelta(minutes=15)) == "15 минут"


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("lv", "4 ned. 2 d. 12 st. 15 min"),
        ("ru", "4 нед. 2 дн. 12 ч 15 мин"),
        ("en", "4w 2d 12h 15m"),
    ],
)
def test_short_durations_are_the_words_residents_type(language: str, shown: str) -> None:
    """Settings show durations abbreviated in the reader's language; each part parses back."""
    from bot.services import durations

    value = timedelta(weeks=4, days=2, hours=12, minutes=15)
    text = Catalogs.load(locales_dir()).translator(language).duration_short(value)
    assert text == shown
    parts = durations.group(text.split())
    assert sum((durations.parse(part) for part in parts), timedelta()) == value


def test_shipped_catalogs_choose_the_right_plural_form() -> None:
    catalogs = Catalogs.load(locales_dir())
    counts = (0, 1, 2, 5, 11, 21, 22)
    lv = catalogs.translator("lv")
    assert [lv.n_("{n} open idea", "{n} open ideas", n) for n in counts] == [
        "0 aktuālu ideju",
        "1 aktuāla ideja",
        "2 aktuālas idejas",
        "5 aktuālas idejas",
        "11 aktuālas idejas",
        "21 aktuāla ideja",
        "22 aktuālas idejas",
    ]
    ru = catalogs.translator("ru")
    assert [ru.n_("{n} open idea", "{n} open ideas", n) for n in counts] == [
        "0 открытых идей",
        "1 открытая идея",
        "2 открытые идеи",
        "5 открытых идей",
        "11 открытых идей",
        "21 открытая идея",
        "22 открытые идеи",
    ]


def test_shipped_plurals_follow_each_language() -> None:
    catalogs = Catalogs.load(locales_dir())
    ru = catalogs.translator("ru")
    assert [ru.n_("{n} open idea", "{n} open ideas", n) for n in (1, 2, 5, 21)] == [
        "1 открытая идея",
        "2 открытые идеи",
        "5 открытых идей",
        "21 открытая идея",
    ]
    lv = catalogs.translator("lv")
    assert [lv.n_("{n} open idea", "{n} open ideas", n) for n in (1, 3, 0)] == [
        "1 aktuāla ideja",
        "3 aktuālas idejas",
        "0 aktuālu ideju",
    ]


SHIPPED = Catalogs.load(locales_dir())


def test_a_date_has_its_year_in_full_one_way_per_language() -> None:
    """No "03.12.26" or "12/3/26": one unambiguous style, the year in full."""
    moment = datetime(2026, 12, 3, 16, 0, tzinfo=UTC)  # 18:00 in Riga
    written = {
        language: (
            SHIPPED.translator(language).date_text(moment, RIGA),
            SHIPPED.translator(language).datetime_text(moment, RIGA),
        )
        for language in ("lv", "en", "ru")
    }
    assert written["lv"] == ("03.12.2026", "03.12.2026 18:00")
    assert written["ru"] == ("03.12.2026", "03.12.2026, 18:00")
    assert written["en"] == ("Dec 3, 2026", "Dec 3, 2026, 6:00\u202fPM")
    assert SHIPPED.translator("lv").date_text(date(2027, 6, 1)) == "01.06.2027"


def test_money_and_percentages_are_written_as_the_language_writes_them() -> None:
    """Babel's no-break spaces stay, so an amount never wraps on a phone."""
    lv, en, ru = (SHIPPED.translator(language) for language in ("lv", "en", "ru"))
    assert lv.money(150_050) == "1\u00a0500,50\u00a0€"
    assert en.money(150_050) == "€1,500.50"
    assert ru.money(120_000) == "1\u00a0200\u00a0€"
    assert lv.money(150_050, sign=False) == "1\u00a0500,50"
    assert en.money(120_000, sign=False) == "1,200"
    assert (lv.percent(42), en.percent(42), ru.percent(42)) == ("42%", "42%", "42\u00a0%")


def test_the_terminal_language_follows_the_locale() -> None:
    assert locale_language({"LANG": "lv_LV.UTF-8"}) == "lv"
    assert locale_language({"LANG": "lv_LV.UTF-8", "LC_MESSAGES": "ru_RU.UTF-8"}) == "ru"
    assert locale_language({"LC_ALL": "en_GB.UTF-8", "LC_MESSAGES": "ru_RU.UTF-8"}) == "en"
    assert locale_language({"LANG": "de_DE.UTF-8"}) == "en"
    assert locale_language({"LANG": "C.UTF-8"}) == "en"
    assert locale_language({"LANG": "ru_RU@euro"}) == "ru"
    assert locale_language({}) == "en"
