"""The board's HTML: Jinja2 templates, autoescaped, translated through the bot's catalogs.

Templates call `_("text {name}", name=value)` and `n_("one", "many", n)` (extracted by Babel
like the Python code; see locales/babel.cfg). The translator escapes the parameters, so its
result is marked safe; a text without parameters is translated as it is.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from bot.i18n import Translator

_ENVIRONMENT = Environment(
    loader=PackageLoader("bot.board", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
    enable_async=False,
)


def render(template: str, t: Translator, **context: Any) -> str:
    """The template filled in, in the reader's language."""

    def translate(message: str, **params: Any) -> Markup:
        return Markup(t._(message, **params))

    def translate_n(singular: str, plural: str, n: int, **params: Any) -> Markup:
        return Markup(t.n_(singular, plural, n, **params))

    page = _ENVIRONMENT.get_template(template)
    return page.render(_=translate, n_=translate_n, t=t, language=t.language, **context)
