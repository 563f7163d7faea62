"""The emulator parses HTML the way Telegram does (cases follow Telegram's own parser tests)."""

from __future__ import annotations

import pytest

from bot.testing.html import EntityParseError, parse_html

ERRORS = [
    ("🏟 🏟&lt;<abacaba", "Unclosed start tag at byte offset 13"),
    ("🏟 🏟&lt;<abac aba>", 'Unsupported start tag "abac" at byte offset 13'),
    ("🏟 🏟&lt;<i   =aba>", 'Empty attribute name in the tag "i" at byte offset 13'),
    (
        "🏟 🏟&lt;<i    aba>",
        'Expected equal sign in declaration of an attribute of the tag "i" at byte offset 13',
    ),
    ("🏟 🏟&lt;<i    aba  =  ", 'Unclosed start tag "i" at byte offset 13'),
    ("🏟 🏟&lt;<i    aba  =  190azAz-.,", "Unexpected end of name token at byte offset 27"),
    ('🏟 🏟&lt;<i    aba  =  "&lt;&gt;&quot;>', "Unclosed start tag at byte offset 13"),
    ("🏟 🏟&lt;</", "Unexpected end tag at byte offset 13"),
    ("🏟 🏟&lt;<b></b></", "Unexpected end tag at byte offset 20"),
    ("🏟 🏟&lt;<i>a</i   ", "Unclosed end tag at byte offset 17"),
    (
        "🏟 🏟&lt;<i>a</em   >",
        'Unmatched end tag at byte offset 17, expected "</i>", found "</em>"',
    ),
    ("<b>unfinished", 'Can\'t find end tag corresponding to start tag "b"'),
    ("a < b", 'Unsupported start tag "" at byte offset 2'),
    ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
]


@pytest.mark.parametrize(("source", "message"), ERRORS)
def test_malformed_html_is_refused_with_telegrams_words(source: str, message: str) -> None:
    with pytest.raises(EntityParseError) as caught:
        parse_html(source)
    assert str(caught.value) == message


PARSED = [
    ("&lt;&gt;&amp;&quot;&laquo;&#12345678;", '<>&"&laquo;&#12345678;', []),
    ("AT&T wins", "AT&T wins", []),
    ("➡️ ➡️<i>➡️ ➡️</i>", "➡️ ➡️➡️ ➡️", [("italic", 5, 5)]),
    ("🏟 🏟<i>🏟 &lt🏟</i>", "🏟 🏟🏟 <🏟", [("italic", 5, 6)]),
    (
        "🏟 🏟<i>🏟 &gt;<b aba   =   caba>&lt🏟</b></i>",
        "🏟 🏟🏟 ><🏟",
        [("italic", 5, 7), ("bold", 9, 3)],
    ),
    ("🏟 🏟&lt;<i    aba  =  '&lt;&gt;&quot;'>a</>", "🏟 🏟<a", [("italic", 6, 1)]),
    ("🏟 🏟&lt;<i>a</    >", "🏟 🏟<a", [("italic", 6, 1)]),
    ("<b>Ā&#257;</b> <u>x</u>", "Āā x", [("bold", 0, 2), ("underline", 3, 1)]),
    ("<b></b>empty", "empty", []),
]


@pytest.mark.parametrize(("source", "text", "entities"), PARSED)
def test_text_and_entities(source: str, text: str, entities: list[tuple[str, int, int]]) -> None:
    parsed_text, parsed_entities = parse_html(source)
    assert parsed_text == text
    assert [(e["type"], e["offset"], e["length"]) for e in parsed_entities] == entities


def test_links_keep_their_decoded_address() -> None:
    _, entities = parse_html('<a href="https://x.lv/?a=1&amp;b=&#257;">here</a>')
    assert entities == [
        {"type": "text_link", "offset": 0, "length": 4, "url": "https://x.lv/?a=1&b=ā"}
    ]
