"""Meeting buttons: how it repeats, RSVPs with live counts, leaders' management, minutes."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import N_, Translator
from bot.keyboards.codec import button, callback, in_rows, keyboard, url_button
from bot.models import Answer, Repeat

REPEAT_LABELS = {
    Repeat.ONCE: N_("Once"),
    Repeat.WEEKLY: N_("Every week"),
    Repeat.BIWEEKLY: N_("Every two weeks"),
}
ANSWER_LABELS = {
    Answer.GOING: N_("✅ Going · {count}"),
    Answer.MAYBE: N_("🤔 Maybe · {count}"),
    Answer.NO: N_("❌ Can't · {count}"),
}


class Action:
    """What a leader's management button does to one date."""

    VIEW = "v"
    CANCEL = "c"  # asks first
    CANCEL_CONFIRMED = "cy"
    SERIES = "s"  # asks first
    SERIES_CONFIRMED = "sy"
    LIST = "l"
    ALL = frozenset({VIEW, CANCEL, CANCEL_CONFIRMED, SERIES, SERIES_CONFIRMED, LIST})


@callback("mtgrepeat")
@dataclasses.dataclass(frozen=True)
class RepeatPick:
    meeting_id: int
    repeat: str

    def __post_init__(self) -> None:
        Repeat(self.repeat)


@callback("mtgrsvp")
@dataclasses.dataclass(frozen=True)
class RsvpPick:
    occurrence_id: int
    answer: str
    stage: int  # which card was pressed, so it can be shown again (see bot.render.meetings)

    def __post_init__(self) -> None:
        Answer(self.answer)


@callback("mtgact")
@dataclasses.dataclass(frozen=True)
class MeetingAction:
    occurrence_id: int
    action: str

    def __post_init__(self) -> None:
        if self.action not in Action.ALL:
            raise ValueError(self.action)


@callback("mtgmin")
@dataclasses.dataclass(frozen=True)
class MinutesTarget:
    minutes_id: int
    occurrence_id: int


def repeat_keyboard(t: Translator, meeting_id: int, monthly_label: str) -> InlineKeyboardMarkup:
    labels = {r: t.plain(label) for r, label in REPEAT_LABELS.items()}
    labels[Repeat.MONTHLY] = monthly_label
    # One button per row: the monthly one names its weekday and is long.
    return keyboard([[button(labels[r], RepeatPick(meeting_id, r))] for r in Repeat])


def rsvp_keyboard(
    t: Translator, occurrence_id: int, stage: int, counts: Counter[Answer]
) -> InlineKeyboardMarkup:
    return keyboard(
        [
            [
                button(t.plain(label, count=counts[a]), RsvpPick(occurrence_id, a, stage))
                for a, label in ANSWER_LABELS.items()
            ]
        ]
    )


def list_keyboard(occurrence_ids: Sequence[int]) -> InlineKeyboardMarkup | None:
    """Leaders pick a date by its number in the list."""
    if not occurrence_ids:
        return None
    buttons = [
        button(str(number), MeetingAction(occurrence_id, Action.VIEW))
        for number, occurrence_id in enumerate(occurrence_ids, start=1)
    ]
    return keyboard(in_rows(buttons, 5))


def manage_keyboard(
    t: Translator, occurrence_id: int, *, repeating: bool, move_url: str
) -> InlineKeyboardMarkup:
    rows: list[list[InlineKeyboardButton]] = [
        [url_button(t.plain(N_("🕓 Move to another time")), move_url)],
        [button(t.plain(N_("✖️ Cancel this date")), MeetingAction(occurrence_id, Action.CANCEL))],
    ]
    if repeating:
        rows.append(
            [
                button(
                    t.plain(N_("✖️ Cancel the whole series")),
                    MeetingAction(occurrence_id, Action.SERIES),
                )
            ]
        )
    rows.append([button(t.plain(N_("« Back")), MeetingAction(occurrence_id, Action.LIST))])
    return keyboard(rows)


def confirm_keyboard(t: Translator, occurrence_id: int, confirmed: str) -> InlineKeyboardMarkup:
    return keyboard(
        [
            [
                button(t.plain(N_("Yes, cancel")), MeetingAction(occurrence_id, confirmed)),
                button(t.plain(N_("No")), MeetingAction(occurrence_id, Action.VIEW)),
            ]
        ]
    )


def minutes_keyboard(
    minutes_id: int, choices: Sequence[tuple[int, str]]
) -> InlineKeyboardMarkup | None:
    """Other recent meetings the minutes may belong to, by date."""
    if not choices:
        return None
    buttons = [button(label, MinutesTarget(minutes_id, occ_id)) for occ_id, label in choices]
    return keyboard(in_rows(buttons, 2))
