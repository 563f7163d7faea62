"""Hiding, in words, the same for a SWOT input and an idea: the question, the answer with its
undo, and the undo's answer."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import Html, Translator
from bot.services.text import shorten

QUOTED = 300  # characters of the text shown in the question


@dataclass(frozen=True)
class Hideable:
    name: str  # plain, as a leader calls it: "S4", "Idea #5"
    text: str
    undo: str  # the command that shows it again: "/swotunhide S4"


def question(t: Translator, target: Hideable) -> Html:
    return t._(
        "🙈 Hide this? <b>{name}</b>: “{text}”\n"
        "Residents will no longer see it. It can be shown again: {undo}",
        name=target.name,
        text=shorten(target.text, QUOTED),
        undo=target.undo,
    )


def hidden(t: Translator, target: Hideable) -> Html:
    return t._(
        "🙈 <b>{name}</b>: residents no longer see it. To show it again: {undo}",
        name=target.name,
        undo=target.undo,
    )


def unhidden(t: Translator, target: Hideable) -> Html:
    return t._("↩ <b>{name}</b>: residents see it again.", name=target.name)


def kept(t: Translator) -> Html:
    return t._("Nothing was hidden.")
