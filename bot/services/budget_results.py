"""A budget round's outcome: counting once at the deadline by the round's rule (funded ideas
get the budget as their funding source and a decision), the results with turnout, the
deadlines the scheduler waits for, and the round in pabulib's `.pb` format."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import (
    BudgetBallot,
    BudgetChoice,
    BudgetItem,
    BudgetRound,
    Community,
    Decision,
    DecisionSource,
    Idea,
    Membership,
    User,
    utcnow,
)
from bot.services import audit, budget_rules, once, pabulib, polls
from bot.services.budget import FUNDING_MAX, ItemView, items
from bot.services.text import clean


class Labels(Protocol):
    """The texts counting stores, in the village's language (the caller's translator)."""

    def funding_source(self, round_: BudgetRound) -> str: ...

    def decision(self, round_: BudgetRound, idea: ItemView) -> str: ...


@dataclass(frozen=True)
class BallotRow:
    """A ballot as counted and exported: its number (not the voter), paper or online, the idea
    numbers chosen."""

    number: int
    paper: bool
    chosen: frozenset[int]


async def ballots(session: AsyncSession, round_: BudgetRound) -> list[BallotRow]:
    rows = await session.execute(
        select(BudgetBallot.number, BudgetBallot.is_paper, Idea.number)
        .join(BudgetChoice, BudgetChoice.ballot_id == BudgetBallot.id)
        .join(BudgetItem, BudgetItem.id == BudgetChoice.item_id)
        .join(Idea, Idea.id == BudgetItem.idea_id)
        .where(BudgetBallot.round_id == round_.id)
        .order_by(BudgetBallot.number)
    )
    found: dict[int, tuple[bool, set[int]]] = {}
    for number, paper, idea_number in rows:
        found.setdefault(number, (paper, set()))[1].add(idea_number)
    return [BallotRow(n, paper, frozenset(chosen)) for n, (paper, chosen) in found.items()]


async def count(
    session: AsyncSession, round_: BudgetRound, labels: Labels, now: datetime | None = None
) -> bool:
    """Count the round once, by its rule (False when it was counted before: a deadline job
    after a restart, another process). Funded ideas get the budget as funding source and a
    decision each."""
    if round_.counted_at is not None or not await once.claim(session, f"budget-count:{round_.id}"):
        return False
    on_ballot = await items(session, round_)
    # A large round takes a second or more to count: off the event loop, so that no other
    # village waits for it.
    outcome = await asyncio.to_thread(
        budget_rules.count,
        round_.rule,
        round_.amount_cents,
        [budget_rules.Project(item.number, item.cost_cents) for item in on_ballot],
        [row.chosen for row in await ballots(session, round_)],
    )
    funded = set(outcome.funded)
    source = labels.funding_source(round_)[:FUNDING_MAX]
    for view in on_ballot:
        item = await session.get_one(BudgetItem, view.item_id)
        item.votes = outcome.votes[view.number]
        item.funded = view.number in funded
        if item.funded:
            idea = await session.get_one(Idea, item.idea_id)
            idea.funding_source = source
            session.add(
                Decision(
                    community_id=round_.community_id,
                    text=clean(labels.decision(round_, view))[:1000],
                    source=DecisionSource.BUDGET,
                )
            )
    round_.counted_at = now or utcnow()
    round_.members_at_count = await polls.known_members(session, round_.community_id)
    await session.flush()
    await audit.record(
        session,
        round_.community_id,
        None,
        "budget-count",
        round=round_.number,
        funded=sorted(funded),
        spent_cents=outcome.spent,
    )
    return True


@dataclass(frozen=True)
class Results:
    round: BudgetRound
    items: list[ItemView]
    online_ballots: int
    paper_ballots: int
    known_members: int

    @property
    def spent_cents(self) -> int:
        return sum(item.cost_cents for item in self.items if item.funded)

    @property
    def left_cents(self) -> int:
        return self.round.amount_cents - self.spent_cents

    @property
    def turnout(self) -> int:
        """Percent of the known members who voted online."""
        members = max(self.known_members, self.online_ballots)
        return round(100 * self.online_ballots / members) if members else 0


async def results(session: AsyncSession, round_: BudgetRound) -> Results:
    """The ballot with votes and funding (once counted), most votes first, and the turnout
    (against the members known at the count, once counted)."""
    shown = await items(session, round_)
    if round_.counted_at is not None:
        shown.sort(key=lambda item: (not item.funded, -(item.votes or 0), item.number))
    counts = dict(
        (paper, n)
        for paper, n in await session.execute(
            select(BudgetBallot.is_paper, func.count())
            .where(BudgetBallot.round_id == round_.id)
            .group_by(BudgetBallot.is_paper)
        )
    )
    return Results(
        round_,
        shown,
        online_ballots=counts.get(False, 0),
        paper_ballots=counts.get(True, 0),
        known_members=(
            round_.members_at_count
            if round_.members_at_count is not None
            else await polls.known_members(session, round_.community_id)
        ),
    )


@dataclass(frozen=True)
class Deadline:
    round_id: int
    community_id: int
    closes_at: datetime
    remind_at: datetime | None


def reminder_time(round_: BudgetRound, offset: timedelta | None) -> datetime | None:
    """`offset` (the village's poll reminder setting) before the deadline, but never in the
    first half of the voting time, as for polls."""
    if offset is None or round_.closes_at is None or round_.voting_starts_at is None:
        return None
    halfway = round_.voting_starts_at + (round_.closes_at - round_.voting_starts_at) / 2
    return max(round_.closes_at - offset, halfway)


async def deadlines(session: AsyncSession, community_id: int | None = None) -> list[Deadline]:
    """Rounds being voted on in active communities: counted at their deadline, reminded before."""
    query = (
        select(BudgetRound, Community)
        .join(Community, Community.id == BudgetRound.community_id)
        .where(
            BudgetRound.counted_at.is_(None),
            BudgetRound.closes_at.is_not(None),
            Community.active.is_(True),
        )
    )
    if community_id is not None:
        query = query.where(BudgetRound.community_id == community_id)
    found = []
    for round_, community in await session.execute(query):
        assert round_.closes_at is not None
        remind_at = reminder_time(round_, polls.reminder_offset(community))
        found.append(Deadline(round_.id, community.id, round_.closes_at, remind_at))
    return found


async def non_voters(session: AsyncSession, round_: BudgetRound) -> list[User]:
    """Current members of the round's village without an online ballot in it."""
    voted = select(BudgetBallot.user_id).where(
        BudgetBallot.round_id == round_.id, BudgetBallot.user_id.is_not(None)
    )
    people = await session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.community_id == round_.community_id,
            Membership.left_at.is_(None),
            User.id.not_in(voted),
        )
        .order_by(User.id)
    )
    return list(people)


async def as_pabulib(session: AsyncSession, round_: BudgetRound, community: Community) -> str:
    """The round in pabulib's `.pb` format: the ideas (with votes and funding once counted) and
    every ballot by its number."""
    shown = await items(session, round_)
    areas: dict[int, str] = dict(
        (number, area.value)
        for number, area in await session.execute(
            select(Idea.number, Idea.area).where(
                Idea.id.in_(select(BudgetItem.idea_id).where(BudgetItem.round_id == round_.id))
            )
        )
        if area is not None
    )
    election = pabulib.PbElection(
        description=f"{community.title}: {round_.title}",
        country=pabulib.COUNTRIES.get(community.timezone, "unknown"),
        unit=community.title,
        instance=round_.title,
        budget_cents=round_.amount_cents,
        rule=round_.rule,
        language=community.language,
        projects=[
            pabulib.PbProject(
                item.number,
                item.cost_cents,
                item.text,
                category=areas.get(item.number),
                votes=item.votes,
                selected=item.funded,
            )
            for item in shown
        ],
        # Ballots only once counted: numbered in the order they were cast, they could tell
        # whose is whose to one who watched the voting.
        ballots=[
            pabulib.PbBallot(row.number, sorted(row.chosen), row.paper)
            for row in await ballots(session, round_)
        ]
        if round_.counted_at is not None
        else [],
        date_begin=_local_date(round_.voting_starts_at, community),
        date_end=_local_date(round_.closes_at, community),
    )
    return pabulib.write(election)


def _local_date(moment: datetime | None, community: Community) -> date | None:
    return None if moment is None else moment.astimezone(ZoneInfo(community.timezone)).date()
