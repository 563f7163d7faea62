"""Decisions the working group records, from a poll's results or on its own, with review dates.

`decisions_due` serves the review reminders and, later, the meeting agenda and the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import N_
from bot.models import Community, Decision, DecisionSource, Poll, User
from bot.services import audit, dates
from bot.services.errors import InvalidInput
from bot.services.text import checked

TEXT_MIN = 3
TEXT_MAX = 1000
USAGE = N_(
    "Write the decision, with a review date first if you like, for example:\n"
    "<code>/decision 01.06.2027 We build the playground by the school.</code>\n"
    "Reply to a poll's results to link the decision to the poll."
)


@dataclass(frozen=True)
class DecisionText:
    text: str
    review_on: date | None


def parse(raw: str, today: date) -> DecisionText:
    """`[review date] text`; the review date must not be in the past."""
    words = raw.split(maxsplit=1)
    if not words:
        raise InvalidInput(USAGE)
    review_on = None
    if dates.is_date(words[0]):
        review_on = dates.parse_date(words[0])
        if review_on < today:
            raise InvalidInput(N_("The review date is in the past."))
        if len(words) < 2:
            raise InvalidInput(USAGE)
        raw = words[1]
    return DecisionText(checked(raw, minimum=TEXT_MIN, maximum=TEXT_MAX), review_on)


async def record(
    session: AsyncSession,
    community: Community,
    author: User,
    decision: DecisionText,
    poll: Poll | None = None,
) -> Decision:
    if poll is not None and poll.community_id != community.id:
        raise InvalidInput(USAGE)
    row = Decision(
        community_id=community.id,
        text=decision.text,
        review_on=decision.review_on,
        source=DecisionSource.POLL if poll is not None else DecisionSource.LEADER,
        poll_id=poll.id if poll is not None else None,
        author_id=author.id,
    )
    session.add(row)
    await session.flush()
    await audit.record(session, community.id, author.id, "decision", decision_id=row.id)
    return row


async def decisions_due(session: AsyncSession, community: Community, until: date) -> list[Decision]:
    """The community's decisions whose review date is on or before `until`, soonest first."""
    rows = await session.scalars(
        select(Decision)
        .where(
            Decision.community_id == community.id,
            Decision.review_on.is_not(None),
            Decision.review_on <= until,
        )
        .order_by(Decision.review_on, Decision.id)
    )
    return list(rows)


async def reviews_from(session: AsyncSession, since: date) -> list[tuple[Decision, Community]]:
    """Decisions of active communities to be reviewed on `since` or later (for the scheduler)."""
    rows = await session.execute(
        select(Decision, Community)
        .join(Community, Community.id == Decision.community_id)
        .where(Community.active.is_(True), Decision.review_on >= since)
    )
    return [(decision, community) for decision, community in rows]


async def made_between(
    session: AsyncSession, community: Community, since: datetime, until: datetime
) -> list[Decision]:
    """Decisions recorded in a period, oldest first (for the digest)."""
    rows = await session.scalars(
        select(Decision)
        .where(
            Decision.community_id == community.id,
            Decision.created_at >= since,
            Decision.created_at < until,
        )
        .order_by(Decision.created_at, Decision.id)
    )
    return list(rows)
