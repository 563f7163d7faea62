"""RSVPs to a meeting date: going, maybe or can't; one per member per date, changeable."""

from __future__ import annotations

from collections import Counter
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
