"""A meeting date's agenda items (added by leaders) and its minutes (its decisions)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import N_, n_
from bot.models import AgendaItem, Community, MeetingMinutes, MeetingOccurrence, User
from bot.services import audit, meetings
from bot.services.errors import InvalidInput, NotFound
from bot.services.text import checked

AGENDA_ITEM_MIN, AGENDA_ITEM_MAX = 3, 300
AGENDA_ITEMS_MAX = 20
MINUTES_MIN, MINUTES_MAX = 3, 2000

NO_NEXT_MEETING = N_("No meeting is scheduled. A leader schedules one with /meeting.")
NO_PAST_MEETING = N_("No meeting has taken place yet.")
AGENDA_FULL = n_(
    "The agenda of that meeting is full: at most {n} item.",
    "The agenda of that meeting is full: at most {n} items.",
)


async def add_agenda_item(
    session: AsyncSession,
    community: Community,
    user: User,
    raw: str,
    now: datetime,
    occurrence_id: int | None = None,
) -> MeetingOccurrence:
    """Add an item to the agenda of a date still to come (the next one when none is named,
    as /agenda does; the board names the date whose page it is); returns that date."""
    text = checked(raw, minimum=AGENDA_ITEM_MIN, maximum=AGENDA_ITEM_MAX)
    if occurrence_id is None:
        occurrence = await meetings.next_occurrence(session, community, now)
        if occurrence is None:
            raise NotFound(NO_NEXT_MEETING)
    else:
        occurrence = await meetings.occurrence_in(session, community, occurrence_id)
        meetings.check_open(occurrence, now)
    count = await session.scalar(
        select(func.count())
        .select_from(AgendaItem)
        .where(AgendaItem.occurrence_id == occurrence.id)
    )
    if (count or 0) >= AGENDA_ITEMS_MAX:
        raise InvalidInput(AGENDA_FULL, n=AGENDA_ITEMS_MAX)
    session.add(
        AgendaItem(
            community_id=community.id, occurrence_id=occurrence.id, text=text, author_id=user.id
        )
    )
    await session.flush()
    return occurrence


async def agenda_items(session: AsyncSession, occurrence_id: int) -> list[str]:
    rows = await session.scalars(
        select(AgendaItem.text)
        .where(AgendaItem.occurrence_id == occurrence_id)
        .order_by(AgendaItem.created_at, AgendaItem.id)
    )
    return list(rows)


async def record_minutes(
    session: AsyncSession, community: Community, user: User, raw: str, now: datetime
) -> MeetingMinutes:
    """Minutes for the latest meeting that has taken place (a leader may then pick another)."""
    text = checked(raw, minimum=MINUTES_MIN, maximum=MINUTES_MAX)
    latest = await meetings.recent_past(session, community, now, 1)
    if not latest:
        raise NotFound(NO_PAST_MEETING)
    entry = MeetingMinutes(
        community_id=community.id, occurrence_id=latest[0].id, text=text, author_id=user.id
    )
    session.add(entry)
    await session.flush()
    await audit.record(session, community.id, user.id, "minutes", minutes_id=entry.id)
    return entry


async def minutes_in(
    session: AsyncSession, community: Community, minutes_id: int
) -> MeetingMinutes:
    entry = await session.get(MeetingMinutes, minutes_id)
    if entry is None or entry.community_id != community.id:
        raise NotFound(meetings.MEETING_NOT_FOUND)
    return entry


async def move_minutes(
    session: AsyncSession,
    community: Community,
    minutes_id: int,
    occurrence_id: int,
    now: datetime,
) -> MeetingOccurrence:
    """The leader meant another meeting that has taken place."""
    entry = await minutes_in(session, community, minutes_id)
    occurrence = await meetings.occurrence_in(session, community, occurrence_id)
    if occurrence.starts_at > now or occurrence.cancelled_at is not None:
        raise NotFound(meetings.MEETING_NOT_FOUND)
    entry.occurrence_id = occurrence.id
    await session.flush()
    return occurrence


async def minutes_of(session: AsyncSession, occurrence_id: int) -> list[str]:
    rows = await session.scalars(
        select(MeetingMinutes.text)
        .where(MeetingMinutes.occurrence_id == occurrence_id)
        .order_by(MeetingMinutes.created_at, MeetingMinutes.id)
    )
    return list(rows)


async def has_minutes(session: AsyncSession, occurrence_id: int) -> bool:
    found = await session.scalar(
        select(MeetingMinutes.id).where(MeetingMinutes.occurrence_id == occurrence_id).limit(1)
    )
    return found is not None


async def with_minutes(session: AsyncSession, occurrence_ids: Collection[int]) -> set[int]:
    """Which of these dates have minutes recorded (one query for all of them)."""
    if not occurrence_ids:
        return set()
    rows = await session.scalars(
        select(MeetingMinutes.occurrence_id)
        .where(MeetingMinutes.occurrence_id.in_(sorted(occurrence_ids)))
        .distinct()
    )
    return set(rows)
