"""Every message of every catalog renders: its placeholders fill with sample values (counts of
0, 1, 2, 5, 11, 21, 22; a long Latvian village name; a name with HTML characters), the result
is valid Telegram HTML, and it fits Telegram's limits.

How a text is shown is read from the code, where the code says it: `t._`/`t.n_` make HTML;
`t.plain` makes plain text, a button label when it goes into a button, an alert when it goes
into a callback answer; the terminal's `_` (bot.terminal) makes terminal text. A text only
marked with `N_` may be shown either way: it is checked as HTML (its markup must be valid
wherever it goes), and against the message limit.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from bot.i18n import LANGUAGES, Catalogs, Translator
from bot.resources import locales_dir
from bot.testing.html import EntityParseError, parse_html, utf16_length

ROOT = Path(__file__).resolve().parent.parent
COUNTS = (0, 1, 2, 5, 11, 21, 22)
SAMPLES = ("Kalnciema pagasta Lielvircavas ciems", "<Anna & Co>")
PLACEHOLDER = re.compile(r"\{([a-z_0-9]+)\}")

MESSAGE_LIMIT = 4096
LABEL_LIMIT = 64  # a button's text
ANSWER_LIMIT = 200  # a callback answer (notice or alert)

# The tags Telegram's HTML parse mode knows.
TELEGRAM_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)
TELEGRAM_ENTITIES = frozenset({"lt", "gt", "amp", "quot"})

KEYWORDS = frozenset({"_", "N_", "n_", "plain"})
BUTTONS = frozenset({"button", "url_button", "InlineKeyboardButton"})
ANSWERS = frozenset({"answer", "answer_query", "answer_callback_query"})


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _kind(call: ast.Call, ancestors: list[ast.AST], terminal: bool, keyboards: bool) -> str:
    """How the text marked by `call` is shown: html, plain, label, answer, terminal, constant."""
    shown_by = call
    if _name(call) == "N_":
        outer = [a for a in ancestors if isinstance(a, ast.Call) and _name(a) in KEYWORDS]
        if not outer:
            return "constant"
        shown_by = outer[-1]
    name = _name(shown_by)
    if terminal and name in ("_", "n_"):
        return "terminal"
    if name in ("_", "n_"):
        return "html"
    around = [_name(a) for a in ancestors if isinstance(a, ast.Call)]
    if any(n in ANSWERS for n in around):
        return "answer"
    if keyboards or any(n in BUTTONS for n in around):
        return "label"
    return "plain"


def _walk(node: ast.AST, ancestors: list[ast.AST]) -> Iterator[tuple[ast.AST, list[ast.AST]]]:
    yield node, ancestors
    for child in ast.iter_child_nodes(node):
        yield from _walk(child, [*ancestors, node])


def _usages() -> dict[str, set[str]]:
    """Each marked text (its singular msgid) and the ways the code shows it."""
    found: dict[str, set[str]] = {}
    for package in ("bot", "handlers"):
        for path in (ROOT / package).rglob("*.py"):
            source = path.read_text()
            terminal = "from bot.terminal import" in source
            keyboards = path.parent.name == "keyboards"
            for node, ancestors in _walk(ast.parse(source, str(path)), []):
                if not isinstance(node, ast.Call) or _name(node) not in KEYWORDS:
                    continue
                literal = node.args[0] if node.args else None
                if isinstance(literal, ast.Constant) and isinstance(literal.value, str):
                    kind = _kind(node, ancestors, terminal, keyboards)
                    found.setdefault(literal.value, set()).add(kind)
    return found


class _TelegramHtml(HTMLParser):
    """The problems html.parser finds against Telegram's rules: unknown or self-closed tags,
    unbalanced tags, a link without its address, a bare `<`, an entity Telegram lacks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TELEGRAM_TAGS:
            self.problems.append(f"<{tag}> is not a Telegram tag")
        if tag == "a" and not dict(attrs).get("href"):
            self.problems.append("<a> without href")
        self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.problems.append(f"<{tag}/>: Telegram has no self-closing tags")

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.open[-1] if self.open else 'nothing'}")
        else:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data:
            self.problems.append("a bare < (write &lt;)")

    def handle_entityref(self, name: str) -> None:
        if name not in TELEGRAM_ENTITIES:
            self.problems.append(f"&{name}; is not an entity Telegram knows")

    def handle_comment(self, data: str) -> None:
        self.problems.append("an HTML comment")

    def check(self, text: str) -> list[str]:
        self.feed(text)
        self.close()
        return self.problems + [f"<{tag}> is not closed" for tag in self.open]


def html_problems(text: str) -> list[str]:
    problems = _TelegramHtml().check(text)
    try:
        parse_html(text)  # Telegram's own parser, as the emulator applies it
    except EntityParseError as error:
        problems.append(f"Telegram: can't parse entities: {error}")
    return problems


def _shown_length(text: str) -> int:
    """The length Telegram counts: the text without its markup, in UTF-16 code units."""
    return len(parse_html(text)[0])


def _catalog(language: str) -> Catalog:
    with (locales_dir() / language / "LC_MESSAGES" / "villagebot.po").open("rb") as po:
        return read_po(po, locale=language)


def _renderings(t: Translator, entry: Message, kind: str) -> Iterator[tuple[str, str]]:
    """(what was filled in, the result) for each sample of the entry."""
    ids = list(entry.id) if isinstance(entry.id, list | tuple) else [entry.id]
    names = {name for text in ids for name in PLACEHOLDER.findall(text)}
    if len(ids) > 1:
        names.discard("n")  # the count, given by n_
    plain = kind in ("plain", "label", "answer", "terminal")
    for sample in SAMPLES:
        params = dict.fromkeys(names, sample)
        if len(ids) > 1:
            for n in COUNTS:
                if plain:
                    yield f"n={n}, {sample}", t.plain_n(ids[0], ids[1], n, **params)
                else:
                    yield f"n={n}, {sample}", t.n_(ids[0], ids[1], n, **params)
        elif plain:
            yield sample, t.plain(ids[0], **params)
        else:
            yield sample, t._(ids[0], **params)


USAGES = _usages()
CATALOGS = Catalogs.load(locales_dir())


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_renders_within_telegrams_rules(language: str) -> None:
    t = CATALOGS.translator(language)
    problems: list[str] = []
    checked = 0
    for entry in _catalog(language):
        if not entry.id:
            continue
        key = str(entry.id[0] if isinstance(entry.id, list | tuple) else entry.id)
        for kind in sorted(USAGES.get(key, {"constant"})):
            try:
                renderings = list(_renderings(t, entry, kind))
            except (KeyError, IndexError, ValueError) as error:
                problems.append(f"{key!r} ({kind}): formatting fails: {error!r}")
                continue
            for filled, text in renderings:
                checked += 1
                where = f"{key!r} ({kind}, {filled})"
                left = set(PLACEHOLDER.findall(text)) - set(PLACEHOLDER.findall(filled))
                if left:
                    problems.append(f"{where}: {sorted(left)} left unfilled")
                if kind in ("html", "constant"):
                    found = html_problems(text)
                    problems.extend(f"{where}: {p}" for p in found)
                    if not found and _shown_length(text) > MESSAGE_LIMIT:
                        problems.append(f"{where}: longer than a message")
                elif kind == "label" and utf16_length(text) > LABEL_LIMIT:
                    problems.append(f"{where}: {utf16_length(text)} > {LABEL_LIMIT} for a button")
                elif kind == "answer" and utf16_length(text) > ANSWER_LIMIT:
                    problems.append(f"{where}: {utf16_length(text)} > {ANSWER_LIMIT} for an answer")
                elif utf16_length(text) > MESSAGE_LIMIT:
                    problems.append(f"{where}: longer than a message")
    assert checked > 1000
    assert not problems, "\n".join(problems)


def test_the_checks_catch_what_telegram_refuses() -> None:
    assert html_problems("<b>Lejasciems</b> &amp; <i>Augšciems</i>") == []
    assert html_problems('<a href="https://t.me/x">saite</a>') == []
    assert html_problems("<b>open") != []
    assert html_problems("<b><i>crossed</b></i>") != []
    assert html_problems("<div>not Telegram's</div>") != []
    assert html_problems("1 < 2") != []
    assert html_problems("<br/>") != []
    assert html_problems("&nbsp;") != []


def test_usages_are_read_from_the_code() -> None:
    assert "html" in USAGES["<b>Commands</b>"]
    assert "label" in USAGES["Cancel"]
    assert "terminal" in USAGES["All is well."]
    assert len(USAGES) > 300
