"""The board's meetings: the dates to come and those that took place, each with its answers,
the reader's own answer and whether it has minutes; one date with its agenda and minutes.
The same rows the chat's /meetings, /agenda and /minutes read, a few queries per page."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Answer, Community, MeetingOccurrence, User
from bot.services import meeting_notes, meeting_rsvps, meetings

UPCOMING_SHOWN = 20
PAST_SHOWN = 5


@dataclass(frozen=True)
class DateRow:
    """One meeting date as the board lists it."""

    occurrence: MeetingOccurrence
    counts: Counter[Answer]
    mine: Answer | None
    has_minutes: bool
    takes_answers: bool


@dataclass(frozen=True)
class Overview:
    upcoming: list[DateRow]
    more: int  # upcoming dates not shown
    past: list[DateRow] = field(default_factory=list)


@dataclass(frozen=True)
class DatePage:
    row: DateRow
    minutes: list[str]
    upcoming: bool  # still to come: leaders may add to its agenda


async def _rows(
    session: AsyncSession, user: User, dates: list[MeetingOccurrence], now: datetime
) -> list[DateRow]:
    ids = [each.id for each in dates]
    counts = await meeting_rsvps.counts_of(session, ids)
    mine = await meeting_rsvps.answers_of(session, user, ids)
    minuted = await meeting_notes.with_minutes(session, ids)
    return [
        DateRow(
            each,
            counts[each.id],
            mine.get(each.id),
            each.id in minuted,
            meeting_rsvps.takes_answers(each, now),
        )
        for each in dates
    ]


async def overview(
    session: AsyncSession, community: Community, user: User, now: datetime
) -> Overview:
    """The next dates (soonest first) and the latest that took place (latest first)."""
    upcoming, total = await meetings.upcoming(session, community, now, UPCOMING_SHOWN)
    past = await meetings.recent_past(session, community, now, PAST_SHOWN)
    rows = await _rows(session, user, [*upcoming, *past], now)
    return Overview(rows[: len(upcoming)], total - len(upcoming), rows[len(upcoming) :])


async def date_page(
    session: AsyncSession, community: Community, user: User, occurrence_id: int, now: datetime
) -> DatePage:
    """One date of the village (another village's is not found), with its minutes."""
    occurrence = await meetings.occurrence_in(session, community, occurrence_id)
    (row,) = await _rows(session, user, [occurrence], now)
    minutes = await meeting_notes.minutes_of(session, occurrence.id)
    upcoming = occurrence.cancelled_at is None and occurrence.starts_at > now
    return DatePage(row, minutes, upcoming)
