"""What the village development plan's draft is made of, part by part (design.md's eight parts).

1 the SWOT (latest round, ranked) · 2 vision and goals · 3 accepted and in-progress ideas by
area · 4 participation figures and victories · 5 cost estimates by funding source and the
participatory budget rounds (counted, or being voted on) · 6 what the
bot announced and the digests · 7 meetings and idea history · 8 decided polls (closed, or with
a decision recorded from them) with their results, decisions and minutes.
Hidden and withdrawn ideas are left out; no part names who wrote what.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, TypeVar

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.models import (
    Answer,
    BudgetRound,
    BudgetRule,
    Community,
    Decision,
    DigestPost,
    Idea,
    IdeaArea,
    IdeaStatus,
    IdeaStatusChange,
    Meeting,
    MeetingMinutes,
    MeetingOccurrence,
    MeetingRsvp,
    Poll,
    Victory,
    VictoryStatus,
)
from bot.services import budget_results, polls, stats, swot_agreement
from bot.services.budget import ItemView
from bot.services.people import People
from bot.services.polls import Results
from bot.services.stats import Figures
from bot.services.swot_agreement import Board

ACTION_STATUSES = (IdeaStatus.ACCEPTED, IdeaStatus.PROGRESS)
# The statuses in the order an idea moves through them; the last two leave the plan.
STATUS_ORDER = (
    IdeaStatus.NEW,
    IdeaStatus.DISCUSSION,
    IdeaStatus.ACCEPTED,
    IdeaStatus.PROGRESS,
    IdeaStatus.DONE,
    IdeaStatus.REJECTED,
    IdeaStatus.WITHDRAWN,
)
DROPPED = (IdeaStatus.REJECTED, IdeaStatus.WITHDRAWN)
# Long parts are cut (the export has everything); the draft says how many were left out.
ROWS_MAX = 200

T = TypeVar("T")


@dataclass(frozen=True)
class Action:
    number: int
    text: str
    area: IdeaArea | None
    status: IdeaStatus
    owner: str | None
    cost_cents: int | None
    funding: str | None
    progress: int


@dataclass(frozen=True)
class AreaProgress:
    """One area's ideas by status (only the statuses it has, in STATUS_ORDER)."""

    area: IdeaArea | None
    counts: list[tuple[IdeaStatus, int]]

    @property
    def total(self) -> int:
        return sum(n for _status, n in self.counts)

    @property
    def done(self) -> int:
        return sum(n for status, n in self.counts if status == IdeaStatus.DONE)

    @property
    def percent(self) -> int:
        """Done, of the area's ideas still wanted (rejected and withdrawn ones left out)."""
        wanted = sum(n for status, n in self.counts if status not in DROPPED)
        return round(100 * self.done / wanted) if wanted else 0


def area_progress(figures: Figures) -> list[AreaProgress]:
    """Progress per area (as the areas are listed; "not chosen yet" last), areas without
    ideas left out."""
    areas: list[IdeaArea | None] = [*IdeaArea, None]
    found = [
        AreaProgress(
            area,
            [(s, figures.ideas[(area, s)]) for s in STATUS_ORDER if figures.ideas[(area, s)]],
        )
        for area in areas
    ]
    return [progress for progress in found if progress.counts]


@dataclass(frozen=True)
class Funding:
    source: str | None  # None: no funding source given yet
    ideas: int
    cents: int


@dataclass(frozen=True)
class BudgetVote:
    """A participatory budget round in part 5: counted (`counted_at` set, `funded` holds the
    ideas it funded, most votes first) or being voted on (until `closes_at`, nothing funded
    yet). Ballots are counted, never named."""

    number: int
    title: str
    amount_cents: int
    rule: BudgetRule
    closes_at: datetime
    counted_at: datetime | None
    on_ballot: int  # ideas on the ballot
    funded: list[ItemView]
    left_cents: int
    online_ballots: int
    paper_ballots: int
    known_members: int  # at the count (until then, now), of whom `turnout` percent voted online
    turnout: int


@dataclass(frozen=True)
class Celebrated:
    text: str
    decided_at: datetime | None
    applause: int


@dataclass(frozen=True)
class Announcements:
    ideas: int  # ideas accepted or done (each is announced in the group)
    victories: int
    meetings: int  # meeting dates announced with a card
    poll_results: int


@dataclass(frozen=True)
class Digest:
    posted_at: datetime
    covers_from: datetime
    covers_to: datetime


@dataclass(frozen=True)
class MeetingDate:
    title: str
    place: str | None
    starts_at: datetime
    held: bool
    going: int
    minutes: int


@dataclass(frozen=True)
class Step:
    when: datetime
    number: int
    old: IdeaStatus | None
    new: IdeaStatus


@dataclass(frozen=True)
class Decided:
    text: str
    review_on: date | None
    created_at: datetime


@dataclass(frozen=True)
class Voted:
    """A decided poll: its results, when it closed (None: still open) and what was decided."""

    results: Results
    closed_at: datetime | None
    decisions: list[str]


@dataclass(frozen=True)
class Minutes:
    title: str
    starts_at: datetime
    text: str


@dataclass(frozen=True)
class Cut(Generic[T]):
    """The newest ROWS_MAX rows (oldest first), and how many older ones were left out."""

    rows: list[T]
    more: int = 0

    @classmethod
    def of(cls, rows: list[T]) -> Cut[T]:
        return cls(rows[-ROWS_MAX:], max(0, len(rows) - ROWS_MAX))


@dataclass(frozen=True)
class Plan:
    village: str
    board: Board
    vision: str | None
    goals: list[str]
    actions: list[Action]
    figures: Figures
    victories: Cut[Celebrated]
    budget: list[Funding]
    unestimated: int  # ideas of the action plan without a cost estimate
    budget_rounds: list[BudgetVote]
    announcements: Announcements
    digests: Cut[Digest]
    meetings: Cut[MeetingDate]
    history: Cut[Step]
    polls: Cut[Voted]
    decisions: Cut[Decided]
    minutes: Cut[Minutes]

    @property
    def areas(self) -> list[AreaProgress]:
        return area_progress(self.figures)


# --- the parts ------------------------------------------------------------------------------


async def actions(session: AsyncSession, community: Community) -> list[Action]:
    """Part 3: accepted and in-progress ideas, by area (as the areas are listed), then number."""
    ideas = list(
        await session.scalars(
            select(Idea)
            .where(
                Idea.community_id == community.id,
                Idea.status.in_(ACTION_STATUSES),
                Idea.hidden.is_(False),
            )
            .order_by(Idea.number)
        )
    )
    people = await People.load(session, [idea.owner_id for idea in ideas])
    order = {area: index for index, area in enumerate([*IdeaArea, None])}
    ideas.sort(key=lambda idea: (order[idea.area], idea.number))
    return [
        Action(
            idea.number,
            idea.text,
            idea.area,
            idea.status,
            people.optional(idea.owner_id),
            idea.cost_cents,
            idea.funding_source,
            idea.progress,
        )
        for idea in ideas
    ]


def budget(planned: list[Action]) -> tuple[list[Funding], int]:
    """Part 5: the action plan's estimates summed per funding source (the largest first), and
    how many of its ideas have no estimate yet."""
    sums: dict[str | None, list[int]] = defaultdict(lambda: [0, 0])
    for action in planned:
        if action.cost_cents is None:
            continue
        key = action.funding.strip() if action.funding else None
        sums[key][0] += 1
        sums[key][1] += action.cost_cents
    rows = [Funding(source, ideas, cents) for source, (ideas, cents) in sums.items()]
    rows.sort(key=lambda f: (f.source is None, -f.cents, f.source or ""))
    return rows, sum(1 for action in planned if action.cost_cents is None)


async def budget_rounds(session: AsyncSession, community: Community) -> list[BudgetVote]:
    """Part 5: the village's participatory budget rounds, counted or being voted on, oldest
    first (a round still being prepared is not news yet)."""
    rounds = await session.scalars(
        select(BudgetRound)
        .where(BudgetRound.community_id == community.id, BudgetRound.closes_at.is_not(None))
        .order_by(BudgetRound.number)
    )
    found = []
    for round_ in rounds:
        assert round_.closes_at is not None
        results = await budget_results.results(session, round_)
        found.append(
            BudgetVote(
                number=round_.number,
                title=round_.title,
                amount_cents=round_.amount_cents,
                rule=round_.rule,
                closes_at=round_.closes_at,
                counted_at=round_.counted_at,
                on_ballot=len(results.items),
                funded=[item for item in results.items if item.funded],
                left_cents=results.left_cents,
                online_ballots=results.online_ballots,
                paper_ballots=results.paper_ballots,
                known_members=results.known_members,
                turnout=results.turnout,
            )
        )
    return found


async def celebrated(session: AsyncSession, community: Community) -> Cut[Celebrated]:
    rows = await session.scalars(
        select(Victory)
        .where(Victory.community_id == community.id, Victory.status == VictoryStatus.APPROVED)
        .order_by(Victory.decided_at, Victory.id)
    )
    return Cut.of([Celebrated(v.text, v.decided_at, v.applause_count) for v in rows])


async def _count(session: AsyncSession, *conditions: object, model: type) -> int:
    statement = select(func.count()).select_from(model).where(*conditions)  # type: ignore[arg-type]
    return int(await session.scalar(statement) or 0)


async def announcements(session: AsyncSession, community: Community) -> Announcements:
    """Part 6: what the bot told the whole group."""
    return Announcements(
        ideas=await _count(
            session,
            IdeaStatusChange.community_id == community.id,
            IdeaStatusChange.new_status.in_((IdeaStatus.ACCEPTED, IdeaStatus.DONE)),
            model=IdeaStatusChange,
        ),
        victories=await _count(
            session,
            Victory.community_id == community.id,
            Victory.announced_at.is_not(None),
            model=Victory,
        ),
        meetings=await _count(
            session,
            MeetingOccurrence.community_id == community.id,
            MeetingOccurrence.card_message_id.is_not(None),
            model=MeetingOccurrence,
        ),
        poll_results=await _count(
            session,
            Poll.community_id == community.id,
            Poll.results_message_id.is_not(None),
            model=Poll,
        ),
    )


async def digests(session: AsyncSession, community: Community) -> Cut[Digest]:
    rows = await session.scalars(
        select(DigestPost)
        .where(DigestPost.community_id == community.id)
        .order_by(DigestPost.posted_at)
    )
    return Cut.of([Digest(d.posted_at, d.covers_from, d.covers_to) for d in rows])


async def meeting_dates(
    session: AsyncSession, community: Community, now: datetime
) -> Cut[MeetingDate]:
    """Part 7: meeting dates held and to come (not cancelled), with RSVPs and minutes."""
    dates = list(
        await session.scalars(
            select(MeetingOccurrence)
            .join(Meeting, Meeting.id == MeetingOccurrence.meeting_id)
            .where(
                MeetingOccurrence.community_id == community.id,
                MeetingOccurrence.cancelled_at.is_(None),
                Meeting.repeat.is_not(None),
            )
            .order_by(MeetingOccurrence.starts_at, MeetingOccurrence.id)
        )
    )
    going = dict(
        list(
            await session.execute(
                select(MeetingRsvp.occurrence_id, func.count())
                .where(
                    MeetingRsvp.community_id == community.id,
                    MeetingRsvp.answer == Answer.GOING,
                )
                .group_by(MeetingRsvp.occurrence_id)
            )
        )
    )
    minutes = dict(
        list(
            await session.execute(
                select(MeetingMinutes.occurrence_id, func.count())
                .where(MeetingMinutes.community_id == community.id)
                .group_by(MeetingMinutes.occurrence_id)
            )
        )
    )
    return Cut.of(
        [
            MeetingDate(
                o.meeting.title,
                o.meeting.place,
                o.starts_at,
                o.starts_at <= now,
                int(going.get(o.id, 0)),
                int(minutes.get(o.id, 0)),
            )
            for o in dates
        ]
    )


async def idea_history(session: AsyncSession, community: Community) -> Cut[Step]:
    """Part 7: every status change of the ideas (their first "new" left out)."""
    rows = await session.execute(
        select(IdeaStatusChange, Idea.number)
        .join(Idea, Idea.id == IdeaStatusChange.idea_id)
        .where(
            IdeaStatusChange.community_id == community.id,
            IdeaStatusChange.old_status.is_not(None),
            Idea.hidden.is_(False),
        )
        .order_by(IdeaStatusChange.created_at, IdeaStatusChange.id)
    )
    return Cut.of(
        [
            Step(change.created_at, number, change.old_status, change.new_status)
            for change, number in rows
        ]
    )


async def decided(session: AsyncSession, community: Community) -> Cut[Decided]:
    """Part 8: the decisions, with their review dates."""
    rows = await session.scalars(
        select(Decision)
        .where(Decision.community_id == community.id)
        .order_by(Decision.created_at, Decision.id)
    )
    return Cut.of([Decided(d.text, d.review_on, d.created_at) for d in rows])


async def decided_polls(session: AsyncSession, community: Community) -> Cut[Voted]:
    """Part 8: the polls that decided something (closed, or a decision recorded from them),
    in the order they were posted, with their results (online and paper votes)."""
    made = list(
        await session.execute(
            select(Decision.poll_id, Decision.text)
            .where(Decision.community_id == community.id, Decision.poll_id.is_not(None))
            .order_by(Decision.created_at, Decision.id)
        )
    )
    chosen = list(
        await session.scalars(
            select(Poll)
            .where(
                Poll.community_id == community.id,
                Poll.message_id.is_not(None),
                or_(Poll.closed_at.is_not(None), Poll.id.in_({poll_id for poll_id, _ in made})),
            )
            .options(selectinload(Poll.options))
            .order_by(Poll.created_at, Poll.id)
        )
    )
    cut = Cut.of(chosen)
    members = await polls.known_members(session, community.id)
    return Cut(
        [
            Voted(
                await polls.results(session, poll, members=members),
                poll.closed_at,
                [text for poll_id, text in made if poll_id == poll.id],
            )
            for poll in cut.rows
        ],
        cut.more,
    )


async def minutes(session: AsyncSession, community: Community) -> Cut[Minutes]:
    """Part 8: every meeting's minutes, in the order of the meetings."""
    rows = await session.execute(
        select(MeetingMinutes, MeetingOccurrence)
        .join(MeetingOccurrence, MeetingOccurrence.id == MeetingMinutes.occurrence_id)
        .where(MeetingMinutes.community_id == community.id)
        .order_by(MeetingOccurrence.starts_at, MeetingMinutes.created_at, MeetingMinutes.id)
    )
    return Cut.of([Minutes(o.meeting.title, o.starts_at, m.text) for m, o in rows])


async def draft(session: AsyncSession, community: Community, now: datetime) -> Plan:
    """Everything the plan's draft shows, read in one transaction."""
    planned = await actions(session, community)
    funding, unestimated = budget(planned)
    return Plan(
        village=community.title,
        board=await swot_agreement.latest_board(session, community.id),
        vision=community.vision,
        goals=list(community.goals or []),
        actions=planned,
        figures=await stats.overview(session, community, now),
        victories=await celebrated(session, community),
        budget=funding,
        unestimated=unestimated,
        budget_rounds=await budget_rounds(session, community),
        announcements=await announcements(session, community),
        digests=await digests(session, community),
        meetings=await meeting_dates(session, community, now),
        history=await idea_history(session, community),
        polls=await decided_polls(session, community),
        decisions=await decided(session, community),
        minutes=await minutes(session, community),
    )
