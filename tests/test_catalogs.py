"""Every text the code can show is translated in lv, en and ru, with its placeholders and tags."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import LANGUAGES
from bot.resources import locales_dir

ROOT = Path(__file__).resolve().parent.parent
# The board's templates are read as locales/babel.cfg says.
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "N_": None, "plain": None, "n_": (1, 2)}
PLACEHOLDER = re.compile(r"\{([a-z_0-9]*)[^{}]*\}")
TAG = re.compile(r"</?[a-z-]+[^>]*>")

Msgid = str | tuple[str, ...]


def _extracted() -> set[Msgid]:
    found: set[Msgid] = set()
    for package in ("bot", "handlers"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package, method_map=METHODS, keywords=KEYWORDS
        ):
            found.add(tuple(message) if isinstance(message, list | tuple) else message)
    return found


def _catalog(language: str) -> Catalog:
    with (locales_dir() / language / "LC_MESSAGES" / "villagebot.po").open("rb") as po:
        return read_po(po, locale=language)


EXTRACTED = _extracted()


def _marked_in_source() -> set[Msgid]:
    """Every literal passed to a translation function, found by Python's own parser."""
    import ast

    found: set[Msgid] = set()
    for package in ("bot", "handlers"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name not in KEYWORDS or not node.args:
                    continue
                literals = [a.value for a in node.args[:2] if isinstance(a, ast.Constant)]
                if name == "n_" and len(literals) == 2:
                    found.add((str(literals[0]), str(literals[1])))
                elif name != "n_" and literals and isinstance(literals[0], str):
                    found.add(literals[0])
    return found


def _forms(message: object) -> list[str]:
    return list(message) if isinstance(message, list | tuple) else [str(message)]


def test_the_code_has_texts_to_translate() -> None:
    assert len(EXTRACTED) > 30


def test_babel_extracts_every_marked_text() -> None:
    """Babel skips texts marked inside the arguments of another translation call; write such
    a text into a variable first."""
    missed = _marked_in_source() - EXTRACTED
    assert not missed, f"marked for translation but not extracted: {missed}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_is_translated(language: str) -> None:
    catalog = _catalog(language)
    missing = []
    for msgid in EXTRACTED:
        entry = catalog.get(msgid[0] if isinstance(msgid, tuple) else msgid)
        if entry is None or not all(form.strip() for form in _forms(entry.string)):
            missing.append(msgid)
        elif isinstance(msgid, tuple):
            assert len(_forms(entry.string)) == catalog.num_plurals, msgid
    assert not missing, f"untranslated in {language}: {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_stale_entries(language: str) -> None:
    keys = {m[0] if isinstance(m, tuple) else m for m in EXTRACTED}
    stale = [entry.id for entry in _catalog(language) if entry.id and _key(entry.id) not in keys]
    assert not stale, f"{language} has texts the code no longer uses: {stale}"


def _key(msgid: object) -> str:
    return str(msgid[0]) if isinstance(msgid, list | tuple) else str(msgid)


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_and_tags_survive_translation(language: str) -> None:
    for entry in _catalog(language):
        if not entry.id:
            continue
        source = _forms(entry.id)[-1]
        expected_placeholders = set(PLACEHOLDER.findall(source))
        expected_tags = sorted(TAG.findall(source))
        for form in _forms(entry.string):
            assert set(PLACEHOLDER.findall(form)) == expected_placeholders, (language, entry.id)
            assert sorted(TAG.findall(form)) == expected_tags, (language, entry.id)


@pytest.mark.parametrize(("language", "plurals"), [("lv", 3), ("ru", 3), ("en", 2)])
def test_plural_rules(language: str, plurals: int) -> None:
    assert _catalog(language).num_plurals == plurals
