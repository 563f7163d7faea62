"""Meeting cards: the group messages with RSVP buttons (announcement, reminders, start notice),
posted by commands and by jobs alike, and kept live as answers come in."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardMarkup, Message

from bot.agenda import agenda_of
from bot.i18n import N_, Html, Translator
from bot.keyboards import meetings as keys
from bot.models import Answer, Community, MeetingOccurrence, utcnow
from bot.render import meetings as render
from bot.render.meeting_ics import meeting_ics
from bot.runtime import Runtime
from bot.services import Session, communities, meeting_rsvps, meetings, outbox, placed
from bot.services.text import slug
from bot.wire import messages
from bot.wire.messages import CardContent
from handlers.context import Acts, Turn

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


async def _view(runtime: Runtime, argument: str) -> CardContent:
    """The date's card at `stage` as it is now, in its group's language."""
    occurrence_id, stage = (int(part) for part in argument.split(":"))
    async with runtime.db.transaction() as session:
        found = await meetings.occurrence_with_community(session, occurrence_id)
        if found is None:
            return None
        occurrence, community = found
        return await card_content(
            session, runtime.translator(community.language), occurrence, stage
        )


VIEWS = {placed.MEETING_CARD: _view}


def show_card(chat_id: int, occurrence_id: int, stage: int) -> outbox.Message:
    """The date's card posted at `stage`; it becomes the date's live card once it is sent."""
    card = placed.meeting_card(occurrence_id, stage)
    return messages.show(chat_id, card, after_send=card)


def refresh_card(turn: Acts, chat_id: int, message_id: int, occurrence_id: int, stage: int) -> None:
    """A card of the date shows the latest answers, agenda or cancellation."""
    turn.send(messages.refresh(chat_id, message_id, placed.meeting_card(occurrence_id, stage)))


def refresh_live_card(turn: Acts, occurrence: MeetingOccurrence, chat_id: int) -> None:
    """The date's latest card shows the change (counts, agenda, cancellation)."""
    if occurrence.card_message_id is not None and occurrence.card_stage is not None:
        refresh_card(
            turn, chat_id, occurrence.card_message_id, occurrence.id, occurrence.card_stage
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


def calendar_content(
    community: Community, occurrence: MeetingOccurrence, change: CalendarChange
) -> tuple[str, bytes]:
    """The .ics of `change` (its file name and bytes); it has the invitation's UID, so a phone
    that added the meeting updates or drops it."""
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
    return _filename(meeting.title), content


def change_of(occurrence: MeetingOccurrence) -> CalendarChange:
    """What the group's last calendar file of this date told: invited, moved or called off."""
    if occurrence.meeting.cancelled_at is not None:
        return CalendarChange.SERIES_CANCELLED
    if occurrence.cancelled_at is not None:
        return CalendarChange.DATE_CANCELLED
    if occurrence.starts_at != occurrence.original_start:
        return CalendarChange.MOVED
    return CalendarChange.NEW


async def calendar_file(
    session: Session,
    t: Translator,
    community: Community,
    occurrence_id: int,
    change: CalendarChange,
) -> outbox.Message:
    """The .ics of `change` for the group."""
    occurrence = await meetings.occurrence_in(session, community, occurrence_id)
    name, content = calendar_content(community, occurrence, change)
    caption = t._(CALENDAR_CAPTIONS[change])
    return messages.upload(community.chat_id, "document", name, content, caption=caption)


async def send_calendar(
    turn: Turn, community: Community, occurrence_id: int, change: CalendarChange
) -> None:
    """The group gets the change as a calendar file."""
    t = turn.runtime.translator(community.language)
    turn.send(await calendar_file(turn.session, t, community, occurrence_id, change))


async def announce(turn: Turn, community: Community, occurrence_id: int, stage: int) -> None:
    """The card in the group, then the calendar file."""
    change = CalendarChange.MOVED if stage == render.MOVED else CalendarChange.NEW
    turn.send(show_card(community.chat_id, occurrence_id, stage))
    await send_calendar(turn, community, occurrence_id, change)
