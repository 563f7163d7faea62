"""Participation figures for the working group (/stats, the plan's part 4): one function per
figure, and the weekly activity of the last six months.

"Activity" is what residents do with the bot: ideas, supports, comments, SWOT inputs and
agreement votes (an author's own automatic agreement is not counted again), answers to public
polls (anonymous polls keep no per-person answers), meeting RSVPs and applause.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.models import (
    Answer,
    Applause,
    Community,
    Idea,
    IdeaArea,
    IdeaComment,
    IdeaStatus,
    IdeaSupport,
    Meeting,
    MeetingMinutes,
    MeetingOccurrence,
    MeetingRsvp,
    Membership,
    Poll,
    PollVote,
    Quadrant,
    SwotAuthor,
    SwotItem,
    SwotVote,
    Victory,
    VictoryStatus,
)
from bot.services import communities, polls, swot
from bot.services.swot import QUADRANTS

ACTIVE_DAYS = 30
CHART_WEEKS = 26
LATEST_POLLS = 3


async def members_known(session: AsyncSession, community: Community) -> int:
    """Current members the bot has seen (in the group, or answering a poll or a button)."""
    return await polls.known_members(session, community.id)


async def active_members(session: AsyncSession, community: Community, now: datetime) -> int:
    """Current members who did something in the group in the last 30 days."""
    count = await session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(
            Membership.community_id == community.id,
            Membership.left_at.is_(None),
            Membership.last_active_at >= now - timedelta(days=ACTIVE_DAYS),
        )
    )
    return int(count or 0)


async def ideas_by_area_and_status(
    session: AsyncSession, community: Community
) -> Counter[tuple[IdeaArea | None, IdeaStatus]]:
    """Ideas (hidden ones left out) counted per area (None: not chosen yet) and status."""
    rows = await session.execute(
        select(Idea.area, Idea.status, func.count())
        .where(Idea.community_id == community.id, Idea.hidden.is_(False))
        .group_by(Idea.area, Idea.status)
    )
    return Counter({(area, status): int(count) for area, status, count in rows})


@dataclass(frozen=True)
class SwotFigures:
    round_number: int  # 0: no SWOT analysis yet
    inputs: dict[Quadrant, int]
    votes: int  # agreement votes, authors' own left out

    @property
    def total(self) -> int:
        return sum(self.inputs.values())


def _not_authors_own() -> ColumnElement[bool]:
    return ~exists().where(
        SwotAuthor.item_id == SwotVote.item_id, SwotAuthor.user_id == SwotVote.user_id
    )


async def swot_inputs_by_quadrant(session: AsyncSession, community: Community) -> SwotFigures:
    """The current round's inputs on the board per quadrant, and the votes on them."""
    current = await swot.current_round(session, community.id)
    if current is None:
        return SwotFigures(0, dict.fromkeys(QUADRANTS, 0), 0)
    rows = await session.execute(
        select(SwotItem.quadrant, func.count())
        .where(SwotItem.round_id == current.id, *swot.live())
        .group_by(SwotItem.quadrant)
    )
    inputs = dict.fromkeys(QUADRANTS, 0) | {quadrant: int(count) for quadrant, count in rows}
    votes = await session.scalar(
        select(func.count())
        .select_from(SwotVote)
        .join(SwotItem, SwotItem.id == SwotVote.item_id)
        .where(SwotItem.round_id == current.id, *swot.live(), _not_authors_own())
    )
    return SwotFigures(current.number, inputs, int(votes or 0))


@dataclass(frozen=True)
class PollTurnout:
    question: str
    voters: int
    members: int
    turnout: int  # percent
    closed: bool


@dataclass(frozen=True)
class PollFigures:
    count: int
    open: int
    average_turnout: int  # percent, over all posted polls
    latest: list[PollTurnout] = field(default_factory=list)


async def poll_turnout(session: AsyncSession, community: Community) -> PollFigures:
    """Posted polls: how many, how many are open, their turnout (online voters of members)."""
    posted = list(
        await session.scalars(
            select(Poll)
            .where(Poll.community_id == community.id, Poll.message_id.is_not(None))
            .order_by(Poll.created_at.desc(), Poll.id.desc())
        )
    )
    members = await polls.known_members(session, community.id)
    turnouts = []
    for poll in posted:
        people = max(members, poll.online_voters)
        share = round(100 * poll.online_voters / people) if people else 0
        turnouts.append(
            PollTurnout(
                poll.question, poll.online_voters, people, share, poll.closed_at is not None
            )
        )
    average = round(sum(p.turnout for p in turnouts) / len(turnouts)) if turnouts else 0
    still_open = sum(1 for p in turnouts if not p.closed)
    return PollFigures(len(posted), still_open, average, turnouts[:LATEST_POLLS])


@dataclass(frozen=True)
class MeetingFigures:
    held: int
    upcoming: int
    rsvps: dict[Answer, int]
    with_minutes: int  # meetings held that have minutes
    minutes: int  # minutes entries in all


async def meeting_figures(
    session: AsyncSession, community: Community, now: datetime
) -> MeetingFigures:
    """Meeting dates held and to come (cancelled ones left out), RSVPs, minutes."""
    scheduled = (
        select(MeetingOccurrence.id, MeetingOccurrence.starts_at)
        .join(Meeting, Meeting.id == MeetingOccurrence.meeting_id)
        .where(
            MeetingOccurrence.community_id == community.id,
            MeetingOccurrence.cancelled_at.is_(None),
            Meeting.repeat.is_not(None),
        )
    )
    dates = list(await session.execute(scheduled))
    held = {occurrence_id for occurrence_id, starts_at in dates if starts_at <= now}
    answers = await session.execute(
        select(MeetingRsvp.answer, func.count())
        .where(MeetingRsvp.community_id == community.id)
        .group_by(MeetingRsvp.answer)
    )
    rsvps = dict.fromkeys(Answer, 0) | {Answer(answer): int(count) for answer, count in answers}
    minuted = set(
        await session.scalars(
            select(MeetingMinutes.occurrence_id).where(MeetingMinutes.community_id == community.id)
        )
    )
    entries = await session.scalar(
        select(func.count())
        .select_from(MeetingMinutes)
        .where(MeetingMinutes.community_id == community.id)
    )
    return MeetingFigures(
        held=len(held),
        upcoming=len(dates) - len(held),
        rsvps=rsvps,
        with_minutes=len(held & minuted),
        minutes=int(entries or 0),
    )


@dataclass(frozen=True)
class VictoryFigures:
    announced: int
    pending: int
    applause: int


async def victory_figures(session: AsyncSession, community: Community) -> VictoryFigures:
    rows = await session.execute(
        select(Victory.status, func.count(), func.coalesce(func.sum(Victory.applause_count), 0))
        .where(Victory.community_id == community.id)
        .group_by(Victory.status)
    )
    counts = {VictoryStatus(status): (int(n), int(claps)) for status, n, claps in rows}
    announced, applause = counts.get(VictoryStatus.APPROVED, (0, 0))
    return VictoryFigures(announced, counts.get(VictoryStatus.PENDING, (0, 0))[0], applause)


@dataclass(frozen=True)
class Week:
    start: date  # the Monday, in the community's time zone
    count: int


def week_start(moment: datetime | date) -> date:
    day = moment if not isinstance(moment, datetime) else moment.date()
    return day - timedelta(days=day.weekday())


async def _moments(
    session: AsyncSession,
    community: Community,
    column: InstrumentedAttribute[datetime],
    since: datetime,
    *conditions: ColumnElement[bool],
) -> list[datetime]:
    model = column.class_
    rows = await session.scalars(
        select(column).where(model.community_id == community.id, column >= since, *conditions)
    )
    return list(rows)


async def activity_moments(
    session: AsyncSession, community: Community, since: datetime
) -> list[datetime]:
    """When residents did something (see the module's docstring), since `since`."""
    moments: list[datetime] = []
    for column in (
        Idea.created_at,
        IdeaSupport.created_at,
        IdeaComment.created_at,
        PollVote.voted_at,
        MeetingRsvp.updated_at,
        Applause.created_at,
    ):
        moments += await _moments(session, community, column, since)
    moments += await _moments(session, community, SwotVote.voted_at, since, _not_authors_own())
    # A moved input is a copy with the original's time and text: counted once.
    inputs = await session.execute(
        select(SwotItem.round_id, SwotItem.text, SwotItem.created_at)
        .where(SwotItem.community_id == community.id, SwotItem.created_at >= since)
        .distinct()
    )
    moments += [created_at for _round, _text, created_at in inputs]
    return moments


async def weekly_activity(
    session: AsyncSession, community: Community, now: datetime, weeks: int = CHART_WEEKS
) -> list[Week]:
    """Activity per week (Monday to Sunday, local time), the oldest of `weeks` weeks first;
    the last week is the current one."""
    zone = communities.zone_of(community)
    first = week_start(now.astimezone(zone)) - timedelta(weeks=weeks - 1)
    since = datetime.combine(first, datetime.min.time(), zone)
    counts = Counter(
        week_start(moment.astimezone(zone))
        for moment in await activity_moments(session, community, since)
    )
    starts = [first + timedelta(weeks=n) for n in range(weeks)]
    return [Week(start, counts.get(start, 0)) for start in starts]


@dataclass(frozen=True)
class Figures:
    members: int
    active: int
    ideas: Counter[tuple[IdeaArea | None, IdeaStatus]]
    swot: SwotFigures
    polls: PollFigures
    meetings: MeetingFigures
    victories: VictoryFigures
    activity: Sequence[Week]

    def ideas_in(self, status: IdeaStatus) -> int:
        return sum(n for (_area, each), n in self.ideas.items() if each == status)

    def ideas_of(self, area: IdeaArea | None) -> int:
        return sum(n for (each, _status), n in self.ideas.items() if each == area)


async def overview(session: AsyncSession, community: Community, now: datetime) -> Figures:
    """Every figure at once, for /stats and the development plan."""
    return Figures(
        members=await members_known(session, community),
        active=await active_members(session, community, now),
        ideas=await ideas_by_area_and_status(session, community),
        swot=await swot_inputs_by_quadrant(session, community),
        polls=await poll_turnout(session, community),
        meetings=await meeting_figures(session, community, now),
        victories=await victory_figures(session, community),
        activity=await weekly_activity(session, community, now),
    )
