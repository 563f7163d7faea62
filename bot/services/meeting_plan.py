"""What the meetings feature must send, and when: reminders, start notices, minutes reminders.

The database is the source of truth; the scheduler turns this plan into jobs at start-up and
after every change. Each message has a `key` in the sent-once ledger, claimed before it is
sent, so it goes out at most once per date even across restarts.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Community, Meeting, MeetingOccurrence
from bot.services import meeting_notes, once

# A message due longer ago than this is not even planned (it was skipped and logged before).
LOOK_BACK = timedelta(days=1)
# The leaders are asked for the minutes this long after the start, if none were recorded.
MINUTES_REMINDER_AFTER = timedelta(days=1)


class Kind(enum.StrEnum):
    REMINDER = "meeting-reminder"
    START = "meeting-start"
    MINUTES = "meeting-minutes"


@dataclass(frozen=True)
class Due:
    """One message to send at `when`; `name` is its job's name."""

    kind: Kind
    community_id: int
    occurrence_id: int
    starts_at: datetime
    when: datetime
    offset: int = 0  # minutes before the start, for reminders

    @property
    def name(self) -> str:
        if self.kind == Kind.REMINDER:
            return f"{self.kind}:{self.occurrence_id}:{self.offset}"
        return f"{self.kind}:{self.occurrence_id}"

    @property
    def key(self) -> str:
        """The sent-once key; it names the start time, so a moved date is reminded again."""
        return f"{self.name}@{self.starts_at.astimezone(UTC):%Y%m%dT%H%MZ}"


def _dues(occurrence: MeetingOccurrence, offsets: list[int]) -> list[Due]:
    def due(kind: Kind, when: datetime, offset: int = 0) -> Due:
        return Due(kind, occurrence.community_id, occurrence.id, occurrence.starts_at, when, offset)

    start = occurrence.starts_at
    dues = [due(Kind.REMINDER, start - timedelta(minutes=m), m) for m in offsets]
    dues.append(due(Kind.START, start))
    dues.append(due(Kind.MINUTES, start + MINUTES_REMINDER_AFTER))
    # A reminder due before the date was set is not sent: the group was told just then.
    return [d for d in dues if d.when >= occurrence.planned_at]


async def due_messages(
    session: AsyncSession,
    now: datetime,
    community_id: int | None = None,
    *,
    until: datetime | None = None,
) -> list[Due]:
    """Messages of active communities not sent yet and due from `LOOK_BACK` ago on (and, with
    `until`, no later than that: a region's whole month of reminders need not wait in memory)."""
    query = (
        select(MeetingOccurrence, Community.reminder_offsets)
        .join(Meeting, Meeting.id == MeetingOccurrence.meeting_id)
        .join(Community, Community.id == MeetingOccurrence.community_id)
        .where(
            Community.active.is_(True),
            Meeting.repeat.is_not(None),
            MeetingOccurrence.cancelled_at.is_(None),
            MeetingOccurrence.starts_at > now - MINUTES_REMINDER_AFTER - LOOK_BACK,
        )
    )
    if community_id is not None:
        query = query.where(MeetingOccurrence.community_id == community_id)
    if until is not None:
        earliest = timedelta(minutes=await _longest_offset(session, community_id))
        query = query.where(MeetingOccurrence.starts_at <= until + earliest)
    candidates = [
        due
        for occurrence, offsets in await session.execute(query)
        for due in _dues(occurrence, list(offsets or []))
        if due.when >= now - LOOK_BACK and (until is None or due.when <= until)
    ]
    claimed = await once.claimed_among(session, [due.key for due in candidates])
    minuted = await meeting_notes.with_minutes(
        session, {due.occurrence_id for due in candidates if due.kind == Kind.MINUTES}
    )
    planned = [
        due
        for due in candidates
        if due.key not in claimed
        and not (due.kind == Kind.MINUTES and due.occurrence_id in minuted)
    ]
    return sorted(planned, key=lambda d: (d.when, d.name))


async def _longest_offset(session: AsyncSession, community_id: int | None) -> int:
    """The earliest reminder any (active) community asks for, in minutes before the start."""
    query = select(Community.reminder_offsets).where(Community.active.is_(True))
    if community_id is not None:
        query = query.where(Community.id == community_id)
    return max((max(offsets) for offsets in await session.scalars(query) if offsets), default=0)


async def still_due(session: AsyncSession, due: Due) -> MeetingOccurrence | None:
    """The date, if the message is still wanted now (not cancelled, not moved, not switched off)."""
    occurrence = await session.get(MeetingOccurrence, due.occurrence_id)
    if (
        occurrence is None
        or occurrence.community_id != due.community_id
        or occurrence.cancelled_at is not None
        or occurrence.starts_at != due.starts_at
    ):
        return None
    if due.kind == Kind.REMINDER:
        community = await session.get(Community, due.community_id)
        if community is None or due.offset not in (community.reminder_offsets or []):
            return None
    if due.kind == Kind.MINUTES and await meeting_notes.has_minutes(session, occurrence.id):
        return None
    return occurrence
