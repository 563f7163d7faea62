"""Progress meetings: scheduling, the dates of a series, cancelling and moving.

RSVPs live in `bot.services.meeting_rsvps`, agenda and minutes in `bot.services.meeting_notes`,
what is due to be sent when in `bot.services.meeting_plan`. Every function takes the caller's
community and never reaches another's rows: an id from another village is "not found".
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import N_
from bot.models import Community, Meeting, MeetingOccurrence, Repeat, User
from bot.services import audit, meeting_times
from bot.services.errors import InvalidInput, NotFound
from bot.services.meeting_times import MeetingRequest

# Dates of a series exist this far ahead (and always the next one that will take place), so
# they can be listed, reminded of and cancelled one by one.
HORIZON = timedelta(days=35)

MEETING_NOT_FOUND = N_("I can't find that meeting. See /meetings.")
ALREADY_SCHEDULED = N_("This meeting is scheduled already.")
MEETING_CANCELLED = N_("This meeting was cancelled.")
MEETING_OVER = N_("This meeting is over.")


def zone_of(meeting: Meeting) -> ZoneInfo:
    return ZoneInfo(meeting.timezone)


def repeat_of(meeting: Meeting) -> Repeat:
    return Repeat(meeting.repeat or Repeat.ONCE)


async def create_draft(
    session: AsyncSession, community: Community, user: User, request: MeetingRequest
) -> Meeting:
    """The meeting as typed; it is scheduled once the leader picks how it repeats."""
    meeting = Meeting(
        community_id=community.id,
        title=request.title,
        place=request.place,
        starts_at=request.starts_at,
        timezone=community.timezone,
        created_by=user.id,
    )
    session.add(meeting)
    await session.flush()
    return meeting


async def meeting_in(session: AsyncSession, community: Community, meeting_id: int) -> Meeting:
    meeting = await session.get(Meeting, meeting_id)
    if meeting is None or meeting.community_id != community.id:
        raise NotFound(MEETING_NOT_FOUND)
    return meeting


async def confirm(
    session: AsyncSession,
    community: Community,
    user: User,
    meeting_id: int,
    repeat: Repeat,
    now: datetime,
) -> MeetingOccurrence:
    """Schedule a drafted meeting; returns its first date."""
    meeting = await meeting_in(session, community, meeting_id)
    if meeting.repeat is not None or meeting.cancelled_at is not None:
        raise NotFound(ALREADY_SCHEDULED)
    if meeting.starts_at <= now:
        example, dotted = meeting_times.example_when(zone_of(meeting), now)
        raise InvalidInput(meeting_times.PAST, example=example, dotted_example=dotted)
    meeting.repeat = repeat
    await extend(session, meeting, now)
    await audit.record(
        session, community.id, user.id, "meeting", meeting_id=meeting.id, repeat=str(repeat)
    )
    first = await session.scalar(
        select(MeetingOccurrence).where(
            MeetingOccurrence.meeting_id == meeting.id,
            MeetingOccurrence.original_start == meeting.starts_at,
        )
    )
    assert first is not None
    return first


# What a series' dates after `now` are: original start → still to take place (not cancelled,
# its time, moved or not, still ahead).
Known = dict[datetime, bool]


def _known_dates(now: datetime) -> Select[int, datetime, bool]:
    """(meeting, original start, still to take place) of the dates that are or were after `now`."""
    ahead = and_(MeetingOccurrence.cancelled_at.is_(None), MeetingOccurrence.starts_at > now)
    return select(MeetingOccurrence.meeting_id, MeetingOccurrence.original_start, ahead).where(
        or_(MeetingOccurrence.original_start > now, MeetingOccurrence.starts_at > now)
    )


async def extend(
    session: AsyncSession, meeting: Meeting, now: datetime, known: Known | None = None
) -> int:
    """Create the series' dates up to the horizon, and beyond it up to the next date that will
    take place (a cancelled or moved-away date does not end a series); returns how many.
    `known`: the series' dates, when the caller has them already."""
    if meeting.repeat is None or meeting.cancelled_at is not None:
        return 0
    if known is None:
        rows = await session.execute(
            _known_dates(now).where(MeetingOccurrence.meeting_id == meeting.id)
        )
        known = {start: bool(ahead) for _, start, ahead in rows}
    until, going_ahead = now + HORIZON, any(known.values())
    fresh: list[datetime] = []
    # Dates that passed while the bot was down are not created after the fact.
    for start in meeting_times.starts(meeting.starts_at, zone_of(meeting), repeat_of(meeting)):
        if start <= now:
            continue
        if start > until and going_ahead:
            break
        if start in known:
            going_ahead = going_ahead or known[start]
            continue
        fresh.append(start)
        going_ahead = True
    made = 0
    for start in fresh:
        try:
            async with session.begin_nested():  # another process may have just made it
                session.add(
                    MeetingOccurrence(
                        community_id=meeting.community_id,
                        meeting_id=meeting.id,
                        original_start=start,
                        starts_at=start,
                        planned_at=now,
                    )
                )
            made += 1
        except IntegrityError:
            continue
    return made


async def extend_all(session: AsyncSession, now: datetime, community_id: int | None = None) -> int:
    """Extend every running series (of one community, or of all active ones): two queries
    however many series there are, then inserts only for the dates that are missing."""
    running = [
        Meeting.repeat.is_not(None),
        Meeting.repeat != Repeat.ONCE,
        Meeting.cancelled_at.is_(None),
        Community.active.is_(True),
    ]
    if community_id is not None:
        running.append(Meeting.community_id == community_id)
    series = select(Meeting).join(Community, Community.id == Meeting.community_id)
    dates = (
        _known_dates(now)
        .join(Meeting, Meeting.id == MeetingOccurrence.meeting_id)
        .join(Community, Community.id == Meeting.community_id)
    )
    known: dict[int, Known] = {}
    for meeting_id, start, ahead in await session.execute(dates.where(*running)):
        known.setdefault(meeting_id, {})[start] = bool(ahead)
    made = 0
    for meeting in list(await session.scalars(series.where(*running))):
        made += await extend(session, meeting, now, known.get(meeting.id, {}))
    return made


async def occurrence_in(
    session: AsyncSession, community: Community, occurrence_id: int
) -> MeetingOccurrence:
    occurrence = await session.get(MeetingOccurrence, occurrence_id)
    if occurrence is None or occurrence.community_id != community.id:
        raise NotFound(MEETING_NOT_FOUND)
    return occurrence


def _scheduled() -> list[object]:
    """Dates not called off (cancelling a series cancels each of its next dates)."""
    return [MeetingOccurrence.cancelled_at.is_(None), Meeting.repeat.is_not(None)]


async def upcoming(
    session: AsyncSession, community: Community, now: datetime, limit: int
) -> tuple[list[MeetingOccurrence], int]:
    """The next dates (not cancelled), soonest first, and how many there are in all."""
    where = [MeetingOccurrence.community_id == community.id, MeetingOccurrence.starts_at > now]
    base = (
        select(MeetingOccurrence)
        .join(Meeting, Meeting.id == MeetingOccurrence.meeting_id)
        .where(*where, *_scheduled())  # type: ignore[arg-type]
    )
    total = await session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = await session.scalars(
        base.order_by(MeetingOccurrence.starts_at, MeetingOccurrence.id).limit(limit)
    )
    return list(rows), total


async def next_occurrence(
    session: AsyncSession, community: Community, now: datetime
) -> MeetingOccurrence | None:
    found, _ = await upcoming(session, community, now, 1)
    return found[0] if found else None


async def recent_past(
    session: AsyncSession, community: Community, now: datetime, limit: int
) -> list[MeetingOccurrence]:
    """Dates that have started (not cancelled), latest first."""
    rows = await session.scalars(
        select(MeetingOccurrence)
        .join(Meeting, Meeting.id == MeetingOccurrence.meeting_id)
        .where(
            MeetingOccurrence.community_id == community.id,
            MeetingOccurrence.starts_at <= now,
            *_scheduled(),  # type: ignore[arg-type]
        )
        .order_by(MeetingOccurrence.starts_at.desc(), MeetingOccurrence.id.desc())
        .limit(limit)
    )
    return list(rows)


async def occurrence_with_community(
    session: AsyncSession, occurrence_id: int
) -> tuple[MeetingOccurrence, Community] | None:
    """A date and its village, for what knows only the date's id (a card, a job, a deep link)."""
    occurrence = await session.get(MeetingOccurrence, occurrence_id)
    community = await session.get(Community, occurrence.community_id) if occurrence else None
    return (occurrence, community) if occurrence is not None and community is not None else None


async def community_of_occurrence(session: AsyncSession, occurrence_id: int) -> Community | None:
    """Whose date this is: for a deep link, before the caller's rights there are checked."""
    found = await occurrence_with_community(session, occurrence_id)
    return found[1] if found is not None else None


def check_open(occurrence: MeetingOccurrence, now: datetime) -> None:
    """Only a date still to come can be changed."""
    if occurrence.cancelled_at is not None:
        raise NotFound(MEETING_CANCELLED)
    if occurrence.starts_at <= now:
        raise InvalidInput(MEETING_OVER)


async def cancel_occurrence(
    session: AsyncSession, community: Community, user: User, occurrence_id: int, now: datetime
) -> MeetingOccurrence:
    occurrence = await occurrence_in(session, community, occurrence_id)
    check_open(occurrence, now)
    occurrence.cancelled_at = now
    await audit.record(
        session, community.id, user.id, "meeting-cancel", occurrence_id=occurrence.id
    )
    await extend(session, occurrence.meeting, now)  # the series goes on with its next date
    return occurrence


async def cancel_series(
    session: AsyncSession, community: Community, user: User, occurrence_id: int, now: datetime
) -> list[MeetingOccurrence]:
    """Cancel the meeting this date belongs to: it repeats no more. Returns the dates called off."""
    occurrence = await occurrence_in(session, community, occurrence_id)
    check_open(occurrence, now)
    meeting = occurrence.meeting
    meeting.cancelled_at = now
    rows = await session.scalars(
        select(MeetingOccurrence).where(
            MeetingOccurrence.meeting_id == meeting.id,
            MeetingOccurrence.starts_at > now,
            MeetingOccurrence.cancelled_at.is_(None),
        )
    )
    cancelled = list(rows)
    for each in cancelled:
        each.cancelled_at = now
    await audit.record(
        session, community.id, user.id, "meeting-cancel-series", meeting_id=meeting.id
    )
    return cancelled


async def move_occurrence(
    session: AsyncSession,
    community: Community,
    user: User,
    occurrence_id: int,
    new_start: datetime,
    now: datetime,
) -> MeetingOccurrence:
    """Give one date a new time; its reminders follow (and are sent again for the new time)."""
    occurrence = await occurrence_in(session, community, occurrence_id)
    check_open(occurrence, now)
    if new_start <= now:
        raise InvalidInput(MEETING_OVER)
    old = occurrence.starts_at
    occurrence.starts_at = new_start
    occurrence.planned_at = now
    await audit.record(
        session,
        community.id,
        user.id,
        "meeting-move",
        occurrence_id=occurrence.id,
        old=old.isoformat(),
        new=new_start.isoformat(),
    )
    return occurrence


async def remember_card(
    session: AsyncSession, occurrence_id: int, message_id: int, stage: int
) -> None:
    occurrence = await session.get(MeetingOccurrence, occurrence_id)
    if occurrence is not None:
        occurrence.card_message_id = message_id
        occurrence.card_stage = stage
