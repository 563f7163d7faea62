"""What the program says in the terminal (`villagebot doctor`, `backup`, `migrate`, refusals),
in the user's locale from LC_ALL, LC_MESSAGES or LANG: lv, en or ru, else English.

The same catalogs as the bot's. Only what is printed for the user is translated; log lines stay
in English. The language is read from the environment at each call, never kept.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from typing import Any

from bot.i18n import Catalogs, Translator, locale_language
from bot.resources import locales_dir


@functools.cache
def _catalogs() -> Catalogs:
    return Catalogs.load(locales_dir())


def translator(environ: Mapping[str, str] | None = None) -> Translator:
    """The translator for the terminal's language."""
    return _catalogs().translator(locale_language(os.environ if environ is None else environ))


def _(message: str, **params: Any) -> str:
    """`message` in the terminal's language (plain text: nothing is HTML-escaped)."""
    return translator().plain(message, **params)


def n_(singular: str, plural: str, n: int, **params: Any) -> str:
    """`_` with plural forms chosen by `n`."""
    return translator().plain_n(singular, plural, n, **params)
