"""Meeting cards: the group messages with RSVP buttons (announcement, reminders, start notice),
posted by commands and by jobs alike, and kept live as answers come in."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable

from telegram import Bot, InlineKeyboardMarkup, Message

from bot.agenda import agenda_of
from bot.i18n import N_, Html, Translator
from bot.keyboards import meetings as keys
from bot.models import Answer, Community, MeetingOccurrence, utcnow
from bot.render import meetings as render
from bot.render.meeting_ics import meeting_ics
from bot.runtime import Runtime
from bot.services import Session, communities, meeting_rsvps, meetings
from bot.services.text import slug
from bot.wire.cards import CardContent, Render
from handlers.context import Turn

Send = Callable[[str, InlineKeyboardMarkup | None], Awaitable[Message | None]]


async def view_of(
    session: Session, t: Translator, occurrence: MeetingOccurrence, *, agenda: bool = False
) -> render.MeetingView:
    meeting = occurrence.meeting
    counts = await meeting_rsvps.rsvp_counts(session, occurrence.id)
    lines = []
    if agenda:
        community = await communities.by_id(session, occurrence.community_id)
        assert community is not None
        lines = await agenda_of(session, community, t, occurrence)
    return render.MeetingView(
        title=meeting.title,
        place=meeting.place,
        starts_at=occurrence.starts_at,
        zone=meetings.zone_of(meeting),
        repeat=meetings.repeat_of(meeting),
        first_start=meeting.starts_at,
        cancelled=occurrence.cancelled_at is not None,
        going=counts[Answer.GOING],
        agenda=lines,
    )


async def card_content(
    session: Session, t: Translator, occurrence: MeetingOccurrence, stage: int
) -> tuple[Html, InlineKeyboardMarkup | None]:
    view = await view_of(session, t, occurrence, agenda=True)
    markup = None
    if not view.cancelled:
        counts = await meeting_rsvps.rsvp_counts(session, occurrence.id)
        markup = keys.rsvp_keyboard(t, occurrence.id, stage, counts)
    return render.card_text(t, view, stage), markup


def card_render(runtime: Runtime, occurrence_id: int, stage: int) -> Render:
    """What a posted card shows now, in its group's language."""

    async def current() -> CardContent:
        async with runtime.db.transaction() as session:
            found = await meetings.occurrence_with_community(session, occurrence_id)
            if found is None:
                return None
            occurrence, community = found
            return await card_content(
                session, runtime.translator(community.language), occurrence, stage
            )

    return current


async def post_card(runtime: Runtime, send: Send, occurrence_id: int, stage: int) -> Message | None:
    """Render the card, post it with `send`, and remember it as the date's live card."""
    async with runtime.db.transaction() as session:
        found = await meetings.occurrence_with_community(session, occurrence_id)
        if found is None:
            return None
        occurrence, community = found
        text, markup = await card_content(
            session, runtime.translator(community.language), occurrence, stage
        )
    message = await send(text, markup)
    if message is not None:
        async with runtime.db.transaction() as session:
            await meetings.remember_card(session, occurrence_id, message.message_id, stage)
    return message


def refresh_live_card(turn: Turn, occurrence: MeetingOccurrence, chat_id: int) -> None:
    """After commit, the date's latest card shows the change (counts, agenda, cancellation)."""
    if occurrence.card_message_id is not None and occurrence.card_stage is not None:
        turn.refresh_card(
            chat_id,
            occurrence.card_message_id,
            card_render(turn.runtime, occurrence.id, occurrence.card_stage),
        )


def _filename(title: str) -> str:
    """An ASCII file name from the title ("Sanāksme" → "sanaksme.ics"), which every phone keeps."""
    return f"{slug(title, 'meeting')}.ics"


class CalendarChange(enum.Enum):
    """What a calendar file tells phones: a new meeting, a moved date, or what is called off."""

    NEW = "new"
    MOVED = "moved"
    DATE_CANCELLED = "date-cancelled"
    SERIES_CANCELLED = "series-cancelled"


CALENDAR_CAPTIONS = {
    CalendarChange.NEW: N_("📎 Add it to your calendar"),
    CalendarChange.MOVED: N_("📎 Add it to your calendar"),
    CalendarChange.DATE_CANCELLED: N_("📎 Open it to remove the meeting from your calendar"),
    CalendarChange.SERIES_CANCELLED: N_("📎 Open it to remove the meetings from your calendar"),
}


async def _send_calendar(
    runtime: Runtime, bot: Bot, community: Community, occurrence_id: int, change: CalendarChange
) -> None:
    """Post the .ics of `change` in the group; it has the invitation's UID, so a phone that
    added the meeting updates or drops it."""
    async with runtime.db.transaction() as session:
        found = await meetings.occurrence_with_community(session, occurrence_id)
        if found is None:
            return
        occurrence = found[0]
        meeting = occurrence.meeting
        whole = change in (CalendarChange.NEW, CalendarChange.SERIES_CANCELLED)
        content = meeting_ics(
            uid=f"villagebot-meeting-{community.id}-{meeting.id}",
            title=meeting.title,
            place=meeting.place,
            description=community.title,
            starts_at=meeting.starts_at
            if change == CalendarChange.SERIES_CANCELLED
            else occurrence.starts_at,
            zone=meetings.zone_of(meeting),
            repeat=meetings.repeat_of(meeting),
            now=utcnow(),
            one_date=None if whole else occurrence.original_start,
            cancelled=change in (CalendarChange.DATE_CANCELLED, CalendarChange.SERIES_CANCELLED),
        )
    t = runtime.translator(community.language)
    await bot.send_document(
        community.chat_id,
        document=content,
        filename=_filename(meeting.title),
        caption=t._(CALENDAR_CAPTIONS[change]),
    )


def send_calendar(
    turn: Turn, community: Community, occurrence_id: int, change: CalendarChange
) -> None:
    """After commit: the group gets the change as a calendar file."""
    runtime, bot = turn.runtime, turn.context.bot

    async def send() -> None:
        await _send_calendar(runtime, bot, community, occurrence_id, change)

    turn.after_commit(send)


def announce(turn: Turn, community: Community, occurrence_id: int, stage: int) -> None:
    """After commit: post the card in the group, then the calendar file."""
    runtime, bot, chat_id = turn.runtime, turn.context.bot, community.chat_id
    change = CalendarChange.MOVED if stage == render.MOVED else CalendarChange.NEW

    async def send(text: str, markup: InlineKeyboardMarkup | None) -> Message:
        return await bot.send_message(chat_id, text, reply_markup=markup)

    async def post() -> None:
        if await post_card(runtime, send, occurrence_id, stage) is not None:
            await _send_calendar(runtime, bot, community, occurrence_id, change)

    turn.after_commit(post)
