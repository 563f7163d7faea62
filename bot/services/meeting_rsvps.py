"""RSVPs to a meeting date: going, maybe or can't; one per member per date, changeable."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Answer, Community, MeetingOccurrence, MeetingRsvp, User
from bot.services import per_member
from bot.services.errors import InvalidInput, NotFound
from bot.services.meetings import MEETING_CANCELLED, MEETING_OVER, occurrence_in

# RSVPs are taken until this long after the start (someone may answer the start notice).
RSVP_CLOSES_AFTER_START = timedelta(hours=1)


async def set_rsvp(
    session: AsyncSession,
    community: Community,
    user: User,
    occurrence_id: int,
    answer: Answer,
    now: datetime,
) -> MeetingOccurrence:
    """Record or change the member's answer; one per member per date (a database constraint)."""
    occurrence = await occurrence_in(session, community, occurrence_id)
    if occurrence.cancelled_at is not None:
        raise NotFound(MEETING_CANCELLED)
    if now > occurrence.starts_at + RSVP_CLOSES_AFTER_START:
        raise InvalidInput(MEETING_OVER)
    rsvp, _added = await per_member.find_or_add(
        session,
        select(MeetingRsvp).where(
            MeetingRsvp.occurrence_id == occurrence.id, MeetingRsvp.user_id == user.id
        ),
        lambda: MeetingRsvp(
            community_id=community.id, occurrence_id=occurrence.id, user_id=user.id, answer=answer
        ),
    )
    rsvp.answer = answer
    await session.flush()
    return occurrence


async def rsvp_counts(session: AsyncSession, occurrence_id: int) -> Counter[Answer]:
    rows = await session.execute(
        select(MeetingRsvp.answer, func.count())
        .where(MeetingRsvp.occurrence_id == occurrence_id)
        .group_by(MeetingRsvp.answer)
    )
    return Counter({Answer(answer): count for answer, count in rows})


async def counts_of(
    session: AsyncSession, occurrence_ids: Collection[int]
) -> dict[int, Counter[Answer]]:
    """The answers to each of these dates (one query for all of them)."""
    counts: dict[int, Counter[Answer]] = {each: Counter() for each in occurrence_ids}
    if not occurrence_ids:
        return counts
    rows = await session.execute(
        select(MeetingRsvp.occurrence_id, MeetingRsvp.answer, func.count())
        .where(MeetingRsvp.occurrence_id.in_(sorted(occurrence_ids)))
        .group_by(MeetingRsvp.occurrence_id, MeetingRsvp.answer)
    )
    for occurrence_id, answer, count in rows:
        counts[occurrence_id][Answer(answer)] = count
    return counts


async def answers_of(
    session: AsyncSession, user: User, occurrence_ids: Collection[int]
) -> dict[int, Answer]:
    """The member's own answer to each of these dates they answered."""
    if not occurrence_ids:
        return {}
    rows = await session.execute(
        select(MeetingRsvp.occurrence_id, MeetingRsvp.answer).where(
            MeetingRsvp.user_id == user.id,
            MeetingRsvp.occurrence_id.in_(sorted(occurrence_ids)),
        )
    )
    return {occurrence_id: Answer(answer) for occurrence_id, answer in rows}


def takes_answers(occurrence: MeetingOccurrence, now: datetime) -> bool:
    """Whether `set_rsvp` would take an answer to this date now (the board shows its buttons)."""
    return occurrence.cancelled_at is None and now <= occurrence.starts_at + RSVP_CLOSES_AFTER_START
