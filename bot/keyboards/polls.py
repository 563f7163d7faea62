"""The poll builder's buttons (private chat), and the link to a poll in its group."""

from __future__ import annotations

import dataclasses

from telegram import InlineKeyboardMarkup

from bot.i18n import N_, Translator
from bot.keyboards.codec import button, callback, keyboard, url_button

# The builder's deadline choices: the duration word, or "date" to type one, or "none".
DEADLINES: tuple[tuple[str, str], ...] = (
    ("none", N_("No deadline")),
    ("1d", N_("1 day")),
    ("3d", N_("3 days")),
    ("1w", N_("1 week")),
    ("date", N_("A date…")),
)


@callback("pollb")
@dataclasses.dataclass(frozen=True)
class BuilderPress:
    """A press in the poll builder: `action` is done, anon, multi, deadline, post or cancel."""

    action: str
    value: str = ""


def done_keyboard(t: Translator) -> InlineKeyboardMarkup:
    return keyboard([[button(t.plain(N_("Done: no more options")), BuilderPress("done"))]])


def builder_keyboard(
    t: Translator, *, anonymous: bool, multiple: bool, deadline: str
) -> InlineKeyboardMarkup:
    def mark(label: str, chosen: bool) -> str:
        return f"✅ {t.plain(label)}" if chosen else t.plain(label)

    return keyboard(
        [
            [
                button(mark(N_("Anonymous"), anonymous), BuilderPress("anon", "1")),
                button(mark(N_("Public"), not anonymous), BuilderPress("anon", "0")),
            ],
            [
                button(mark(N_("One answer"), not multiple), BuilderPress("multi", "0")),
                button(mark(N_("Several answers"), multiple), BuilderPress("multi", "1")),
            ],
            [
                button(mark(label, deadline == value), BuilderPress("deadline", value))
                for value, label in DEADLINES[:3]
            ],
            [
                button(mark(label, deadline == value), BuilderPress("deadline", value))
                for value, label in DEADLINES[3:]
            ],
            [
                button(t.plain(N_("Post the poll")), BuilderPress("post")),
                button(t.plain(N_("Cancel")), BuilderPress("cancel")),
            ],
        ]
    )


def poll_link(chat_id: int, message_id: int) -> str | None:
    """A t.me link to a message of a supergroup (basic groups have none)."""
    text = str(chat_id)
    if not text.startswith("-100"):
        return None
    return f"https://t.me/c/{text[4:]}/{message_id}"


def open_poll_keyboard(t: Translator, chat_id: int, message_id: int) -> InlineKeyboardMarkup | None:
    link = poll_link(chat_id, message_id)
    if link is None:
        return None
    return keyboard([[url_button(t.plain(N_("Open the poll")), link)]])
