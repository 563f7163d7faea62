"""The texts of the meetings feature: cards (announcement, reminders, start), lists, notices.

A card is the same shape at every stage (a header line, then the meeting), so one function
renders them all; `stage` says which header: ANNOUNCED, MOVED, START, or the minutes before
the meeting for a reminder.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_skeleton

from bot.i18n import N_, Html, Translator, escape
from bot.models import Repeat
from bot.services.meeting_times import monthly_position

ANNOUNCED = -1
MOVED = -2
START = 0

AGENDA_LINES_SHOWN = 12
LINE_LIMIT = 300
TEXT_BUDGET = 3500  # characters of listed items per message, well under Telegram's 4096

# One whole phrase per position × weekday (Monday = 0): the words around a weekday agree
# with it (ru: «каждую первую среду», lv: «pirmajā pirmdienā»), so no part is put in separately.
MONTHLY_DAYS: Mapping[tuple[int, int], str] = {
    (1, 0): N_("Every first Monday of the month"),
    (1, 1): N_("Every first Tuesday of the month"),
    (1, 2): N_("Every first Wednesday of the month"),
    (1, 3): N_("Every first Thursday of the month"),
    (1, 4): N_("Every first Friday of the month"),
    (1, 5): N_("Every first Saturday of the month"),
    (1, 6): N_("Every first Sunday of the month"),
    (2, 0): N_("Every second Monday of the month"),
    (2, 1): N_("Every second Tuesday of the month"),
    (2, 2): N_("Every second Wednesday of the month"),
    (2, 3): N_("Every second Thursday of the month"),
    (2, 4): N_("Every second Friday of the month"),
    (2, 5): N_("Every second Saturday of the month"),
    (2, 6): N_("Every second Sunday of the month"),
    (3, 0): N_("Every third Monday of the month"),
    (3, 1): N_("Every third Tuesday of the month"),
    (3, 2): N_("Every third Wednesday of the month"),
    (3, 3): N_("Every third Thursday of the month"),
    (3, 4): N_("Every third Friday of the month"),
    (3, 5): N_("Every third Saturday of the month"),
    (3, 6): N_("Every third Sunday of the month"),
    (4, 0): N_("Every fourth Monday of the month"),
    (4, 1): N_("Every fourth Tuesday of the month"),
    (4, 2): N_("Every fourth Wednesday of the month"),
    (4, 3): N_("Every fourth Thursday of the month"),
    (4, 4): N_("Every fourth Friday of the month"),
    (4, 5): N_("Every fourth Saturday of the month"),
    (4, 6): N_("Every fourth Sunday of the month"),
    (-1, 0): N_("Every last Monday of the month"),
    (-1, 1): N_("Every last Tuesday of the month"),
    (-1, 2): N_("Every last Wednesday of the month"),
    (-1, 3): N_("Every last Thursday of the month"),
    (-1, 4): N_("Every last Friday of the month"),
    (-1, 5): N_("Every last Saturday of the month"),
    (-1, 6): N_("Every last Sunday of the month"),
}


@dataclass(frozen=True)
class MeetingView:
    """One meeting date as the texts show it."""

    title: str
    place: str | None
    starts_at: datetime
    zone: ZoneInfo
    repeat: Repeat
    first_start: datetime
    cancelled: bool = False
    going: int = 0
    agenda: Sequence[Html] = field(default_factory=tuple)


def when_text(t: Translator, moment: datetime, zone: ZoneInfo) -> str:
    """E.g. "ceturtdiena, 2026. gada 3. decembris, 18:00"."""
    local = moment.astimezone(zone)
    day = format_date(local.date(), "full", locale=t.language)
    return f"{day}, {t.time_text(moment, zone)}"


def short_when(t: Translator, moment: datetime, zone: ZoneInfo) -> str:
    """E.g. "ceturtd., 3. dec. 18:00": for lists and buttons."""
    local = moment.astimezone(zone)
    return f"{format_skeleton('MMMEd', local, locale=t.language)} {t.time_text(moment, zone)}"


def monthly_label(t: Translator, first: datetime, zone: ZoneInfo) -> str:
    """Which weekday of the month a monthly meeting keeps (the card's line and the button)."""
    local = first.astimezone(zone)
    return t.plain(MONTHLY_DAYS[monthly_position(local), local.weekday()])


def repeat_text(t: Translator, repeat: Repeat, first: datetime, zone: ZoneInfo) -> Html:
    if repeat == Repeat.WEEKLY:
        return t._("Every week")
    if repeat == Repeat.BIWEEKLY:
        return t._("Every two weeks")
    if repeat == Repeat.MONTHLY:
        return escape(monthly_label(t, first, zone))
    return t._("Once")


def bullets(t: Translator, lines: Sequence[str], limit: int = AGENDA_LINES_SHOWN) -> list[str]:
    """Lines as bullets, cut to fit a message, with "and N more" for the rest."""
    shown: list[str] = []
    used = 0
    for line in lines[:limit]:
        if used + len(line) > TEXT_BUDGET:
            break
        shown.append(f"• {line}")
        used += len(line)
    rest = len(lines) - len(shown)
    if rest:
        shown.append(t.n_("…and {n} more", "…and {n} more", rest))
    return shown


def details(t: Translator, view: MeetingView) -> list[str]:
    lines = [f"<b>{escape(view.title)}</b>", f"🗓 {escape(when_text(t, view.starts_at, view.zone))}"]
    if view.place:
        lines.append(f"📍 {escape(view.place)}")
    if view.repeat != Repeat.ONCE:
        lines.append(f"🔁 {repeat_text(t, view.repeat, view.first_start, view.zone)}")
    return lines


def _header(t: Translator, view: MeetingView, stage: int) -> Html:
    if view.cancelled:
        return t._("✖️ This meeting is cancelled.")
    if stage == ANNOUNCED:
        return t._("📅 A meeting is scheduled. Will you come?")
    if stage == MOVED:
        return t._("🕓 The meeting has a new time. Will you come?")
    if stage == START:
        return t._("🔔 The meeting starts now!")
    return t._(
        "⏰ Reminder. Time until the meeting: {time_left}",
        time_left=t.duration_text(timedelta(minutes=stage)),
    )


def card_text(t: Translator, view: MeetingView, stage: int) -> Html:
    lines = [_header(t, view, stage), "", *details(t, view)]
    if view.agenda and not view.cancelled:
        lines += ["", t._("<b>Agenda</b>"), *bullets(t, view.agenda)]
    return Html("\n".join(lines))


def repeat_question(t: Translator, view: MeetingView) -> Html:
    return Html("\n".join([t._("How often does this meeting take place?"), "", *details(t, view)]))


def scheduled(t: Translator, view: MeetingView) -> Html:
    return t._(
        "Scheduled: {title}, {when} ({repeat}). I posted the invitation in the group.",
        title=view.title,
        when=short_when(t, view.starts_at, view.zone),
        repeat=repeat_text(t, view.repeat, view.first_start, view.zone),
    )


def upcoming_list(
    t: Translator, views: Sequence[MeetingView], total: int, *, leader: bool, example: str
) -> Html:
    if not views:
        return t._(
            "No meetings are scheduled. A leader schedules one like this: "
            "/meeting {example} Progress meeting",
            example=example,
        )
    lines: list[str] = [t._("<b>Upcoming meetings</b>")]
    for number, view in enumerate(views, start=1):
        line = f"{number}. {escape(short_when(t, view.starts_at, view.zone))} — "
        line += f"<b>{escape(view.title)}</b>"
        if view.place:
            line += f" 📍 {escape(view.place)}"
        line += f" · ✅ {view.going}"
        lines.append(line)
    if total > len(views):
        lines.append(t.n_("…and {n} more", "…and {n} more", total - len(views)))
    if leader:
        lines += ["", t._("Press a meeting's number to move or cancel it.")]
    return Html("\n".join(lines))


def manage_text(t: Translator, view: MeetingView) -> Html:
    return Html("\n".join([*details(t, view), "", t._("What should change?")]))


def confirm_cancel(t: Translator, view: MeetingView, *, series: bool) -> Html:
    when = short_when(t, view.starts_at, view.zone)
    if series:
        return t._(
            "Cancel the whole series “{title}”? None of its next dates will take place.",
            title=view.title,
        )
    return t._("Cancel “{title}” on {when}?", title=view.title, when=when)


def cancelled_notice(t: Translator, view: MeetingView, *, series: bool) -> Html:
    if series:
        return t._(
            "✖️ The meetings “{title}” are cancelled: they will not take place any more.",
            title=view.title,
        )
    return t._(
        "✖️ The meeting “{title}” on {when} is cancelled.",
        title=view.title,
        when=when_text(t, view.starts_at, view.zone),
    )


def agenda_text(t: Translator, view: MeetingView) -> Html:
    head = t._(
        "<b>Agenda: {title}</b>, {when}",
        title=view.title,
        when=short_when(t, view.starts_at, view.zone),
    )
    if not view.agenda:
        return Html(
            "\n".join([head, t._("Nothing yet. Leaders add items: /agenda Playground repairs")])
        )
    return Html("\n".join([head, *bullets(t, view.agenda)]))


def agenda_added(t: Translator, view: MeetingView) -> Html:
    return t._(
        "Added to the agenda of “{title}” on {when}.",
        title=view.title,
        when=short_when(t, view.starts_at, view.zone),
    )


def minutes_text(t: Translator, view: MeetingView, entries: Sequence[str]) -> Html:
    head = t._(
        "📝 <b>Minutes: {title}</b>, {when}",
        title=view.title,
        when=short_when(t, view.starts_at, view.zone),
    )
    if not entries:
        return Html("\n".join([head, t._("Nothing was recorded yet.")]))
    return Html("\n".join([head, *bullets(t, [escape(e) for e in entries], limit=50)]))


def minutes_saved(t: Translator, view: MeetingView, text: str, *, other_dates: bool) -> Html:
    lines: list[str] = [
        t._(
            "📝 Saved in the minutes of “{title}” on {when}:",
            title=view.title,
            when=short_when(t, view.starts_at, view.zone),
        ),
        escape(text),
    ]
    if other_dates:
        lines += ["", t._("Was it another meeting? Choose its date:")]
    return Html("\n".join(lines))


def minutes_moved(t: Translator, view: MeetingView, text: str) -> Html:
    return Html(
        "\n".join(
            [
                t._(
                    "📝 Moved to the minutes of “{title}” on {when}:",
                    title=view.title,
                    when=short_when(t, view.starts_at, view.zone),
                ),
                escape(text),
            ]
        )
    )


def minutes_reminder(t: Translator, view: MeetingView, village: str) -> Html:
    return t._(
        "📝 No minutes were recorded for “{title}” on {when} ({village}). "
        "Write its decisions with /minutes followed by the text, in the group or here.",
        title=view.title,
        when=short_when(t, view.starts_at, view.zone),
        village=village,
    )


def move_question(t: Translator, view: MeetingView, example: str) -> Html:
    return t._(
        "Moving “{title}” ({when}). Write the new date and time, for example {example}. "
        "To stop: /cancel",
        title=view.title,
        when=short_when(t, view.starts_at, view.zone),
        example=example,
    )
