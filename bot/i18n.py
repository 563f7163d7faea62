"""Translations: gettext catalogs compiled in memory at start-up, one Translator per language.

The current language is never global: every update and job gets its own Translator, because
they run concurrently.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any, Literal

from babel.core import Locale
from babel.dates import format_date, format_time, format_timedelta, get_datetime_format
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import NullTranslations, Translations

LANGUAGES: tuple[str, ...] = ("lv", "en", "ru")
DOMAIN = "villagebot"

# Each language's own name is the same in every language, so it is not translated.
LANGUAGE_NAMES: Mapping[str, str] = {"lv": "Latviešu", "en": "English", "ru": "Русский"}

# The one way each language writes a date: unambiguous, with the year in full, and (in lv and
# ru) as digits, which need no grammatical case wherever the date stands in a sentence.
DATE_PATTERNS: Mapping[str, str] = {"lv": "dd.MM.y", "en": "MMM d, y", "ru": "dd.MM.y"}


class Html(str):
    """Text that is already valid Telegram HTML: it is not escaped again, in a message nor in
    the board's templates (Jinja2 takes `__html__` as markup: Telegram's tags are HTML's)."""

    __slots__ = ()

    def __html__(self) -> str:
        return str(self)


def escape(value: object) -> Html:
    """User text made safe for parse mode HTML (design: all user text is escaped)."""
    if isinstance(value, Html):
        return value
    return Html(html.escape(str(value), quote=True))


def N_(message: str) -> str:
    """Mark a message for extraction where it is defined; it is translated where it is shown."""
    return message


def n_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message with plural forms (chosen by its `n`) like N_; `Translator.n_` shows it."""
    return singular, plural


# The locale variables that name the language of messages, as POSIX reads them: the first set.
LOCALE_VARIABLES: tuple[str, ...] = ("LC_ALL", "LC_MESSAGES", "LANG")
TERMINAL_FALLBACK = "en"


def locale_language(environ: Mapping[str, str]) -> str:
    """The language of the user's terminal (`lv_LV.UTF-8` → lv); English for the C locale or a
    language the bot lacks."""
    for name in LOCALE_VARIABLES:
        value = environ.get(name)
        if value:
            code = value.split(".")[0].split("@")[0].split("_")[0].split("-")[0].lower()
            return code if code in LANGUAGES else TERMINAL_FALLBACK
    return TERMINAL_FALLBACK


class Translator:
    """Translates and formats messages for one language; parameters are HTML-escaped."""

    def __init__(self, language: str, translations: NullTranslations) -> None:
        self.language = language
        self._translations = translations

    def _(self, message: str, **params: Any) -> Html:
        translated = self._translations.gettext(message)
        return Html(translated.format_map(_escaped(params)) if params else translated)

    def n_(self, singular: str, plural: str, n: int, **params: Any) -> Html:
        translated = self._translations.ngettext(singular, plural, n)
        return Html(translated.format_map(_escaped({"n": n, **params})))

    def plain(self, message: str, **params: Any) -> str:
        """For text that Telegram does not parse as HTML: button labels, alerts, poll options."""
        translated = self._translations.gettext(message)
        return translated.format_map(params) if params else translated

    def plain_n(self, singular: str, plural: str, n: int, **params: Any) -> str:
        """Like `plain`, with plural forms chosen by `n` (for text not parsed as HTML)."""
        return self._translations.ngettext(singular, plural, n).format_map({"n": n, **params})

    def date_text(self, value: date | datetime, zone: tzinfo | None = None) -> str:
        """A date the one way the language writes it: "03.12.2026", "Dec 3, 2026"."""
        if isinstance(value, datetime) and zone is not None:
            value = value.astimezone(zone)
        day = value.date() if isinstance(value, datetime) else value
        return str(format_date(day, DATE_PATTERNS[self.language], locale=self.language))

    def datetime_text(self, value: datetime, zone: tzinfo) -> str:
        """`date_text` and `time_text` joined as the language joins them: "03.12.2026 18:00"."""
        joined = str(get_datetime_format("short", locale=self.language))
        return joined.replace("{1}", self.date_text(value, zone)).replace(
            "{0}", self.time_text(value, zone)
        )

    def time_text(self, value: datetime, zone: tzinfo) -> str:
        return str(format_time(value, "short", tzinfo=zone, locale=self.language))

    def money(self, cents: int, *, sign: bool = True) -> str:
        """Euros as the language writes them ("1 500,50 €", "€1,500.50"), whole euros without
        cents; without the sign for a column whose heading names the currency. Babel's spaces
        are no-break spaces, so an amount never wraps on a phone."""
        amount = Decimal(cents) / 100
        if not sign:
            pattern = "#,##0.00" if cents % 100 else "#,##0"
            return str(format_decimal(amount, pattern, locale=self.language))
        pattern = Locale.parse(self.language).currency_formats["standard"].pattern
        if cents % 100 == 0:
            pattern = pattern.replace(".00", "")
        return str(
            format_currency(amount, "EUR", pattern, locale=self.language, currency_digits=False)
        )

    def percent(self, value: int) -> str:
        """A whole percentage as the language writes it: "42%", "42 %"."""
        return str(format_percent(Decimal(value) / 100, locale=self.language))

    def duration_text(self, value: timedelta) -> str:
        """E.g. "1 diena 2 stundas": each unit in words, as CLDR spells it for the language."""
        return self._duration(value, "long")

    def duration_short(self, value: timedelta) -> str:
        """E.g. "1 d. 2 st.", "1 дн. 2 ч", "1d 2h": the units as the language abbreviates them,
        which is also how residents type them (the duration parser reads each part back)."""
        return self._duration(value, "narrow" if self.language == "en" else "short")

    def _duration(self, value: timedelta, form: Literal["long", "short", "narrow"]) -> str:
        minutes = int(value.total_seconds() // 60)
        parts = []
        units: tuple[tuple[Literal["week", "day", "hour", "minute"], int], ...] = (
            ("week", 10080),
            ("day", 1440),
            ("hour", 60),
            ("minute", 1),
        )
        for unit, size in units:
            if minutes >= size:
                amount = timedelta(minutes=minutes // size * size)
                parts.append(
                    format_timedelta(
                        amount, granularity=unit, threshold=2, format=form, locale=self.language
                    )
                )
                minutes %= size
        return " ".join(str(p) for p in parts) or str(
            format_timedelta(timedelta(0), granularity="minute", format=form, locale=self.language)
        )


def _escaped(params: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: value
        if isinstance(value, int | float) and not isinstance(value, bool)
        else escape(value)
        for key, value in params.items()
    }


class Catalogs:
    """All languages' translations, read from the .po files and compiled in memory."""

    def __init__(self, translations: Mapping[str, NullTranslations]) -> None:
        self._translators = {lang: Translator(lang, tr) for lang, tr in translations.items()}

    @classmethod
    def load(cls, directory: Path) -> Catalogs:
        loaded: dict[str, NullTranslations] = {}
        for language in LANGUAGES:
            po_path = directory / language / "LC_MESSAGES" / f"{DOMAIN}.po"
            if not po_path.is_file():
                raise FileNotFoundError(f"missing catalog {po_path}")
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=language, domain=DOMAIN)
            buffer = BytesIO()
            write_mo(buffer, catalog)
            buffer.seek(0)
            loaded[language] = Translations(fp=buffer, domain=DOMAIN)
        return cls(loaded)

    def translator(self, language: str | None) -> Translator:
        return self._translators.get(language or "", self._translators[LANGUAGES[0]])
