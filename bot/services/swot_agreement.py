"""Residents' agreement with SWOT inputs, and the board ranked by it (Pol.is style).

Ranking: score = agree votes − disagree votes. Ties go to the input more people took a side on
(agree + disagree), then to the older input. "Pass" only means "seen".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import N_
from bot.models import Choice, Quadrant, SwotItem, SwotRound, SwotVote, User, utcnow
from bot.services import members, per_member, swot
from bot.services.errors import NotFound
from bot.services.swot import QUADRANTS

NOT_YOURS = N_("This input is not in your village group's SWOT analysis.")


@dataclass(frozen=True)
class RankedItem:
    id: int
    quadrant: Quadrant
    number: int
    text: str
    created_at: datetime
    agree: int = 0
    disagree: int = 0
    passed: int = 0

    @property
    def code(self) -> str:
        return f"{self.quadrant.value}{self.number}"

    @property
    def score(self) -> int:
        return self.agree - self.disagree


def rank_key(item: RankedItem) -> tuple[int, int, datetime, int]:
    """Most agreement first; then more people who took a side; then older first."""
    return (-item.score, -(item.agree + item.disagree), item.created_at, item.id)


@dataclass(frozen=True)
class Board:
    """One round's live inputs, ranked within each quadrant."""

    round_number: int  # 0 when the community has no round yet
    latest_number: int
    items: dict[Quadrant, list[RankedItem]] = field(default_factory=dict)

    @property
    def archived(self) -> bool:
        return self.round_number < self.latest_number

    @property
    def total(self) -> int:
        return sum(len(found) for found in self.items.values())

    def quadrant(self, quadrant: Quadrant) -> list[RankedItem]:
        return self.items.get(quadrant, [])


# --- agreement ------------------------------------------------------------------------------


async def item_for(session: AsyncSession, item_id: int, user: User) -> SwotItem:
    """An input as a member of its community may see it; NotFound for anyone else."""
    item = await session.get(SwotItem, item_id)
    if item is None or not await members.is_current(session, item.community_id, user):
        raise NotFound(NOT_YOURS)
    return item


@dataclass(frozen=True)
class Rated:
    item: SwotItem  # the input that got the vote (the kept one, for a merged input)
    previous: Choice | None  # the member's rating before, if they had one


async def vote(session: AsyncSession, user: User, item_id: int, choice: Choice) -> Rated | None:
    """Record the member's vote, or replace the one they gave; a merged input's vote goes to
    the kept one.

    Returns None when the input is no longer rated (hidden, or of an archived round).
    """
    item = await swot.replacement(session, await item_for(session, item_id, user))
    current = await swot.current_round(session, item.community_id)
    if not item.live or current is None or item.round_id != current.id:
        return None
    existing, added = await per_member.find_or_add(
        session,
        select(SwotVote).where(SwotVote.item_id == item.id, SwotVote.user_id == user.id),
        lambda: SwotVote(
            community_id=item.community_id, item_id=item.id, user_id=user.id, choice=choice
        ),
    )
    previous = None if added else existing.choice
    existing.choice = choice
    existing.voted_at = utcnow()
    return Rated(item, previous)


async def rating_of(session: AsyncSession, item_id: int, user: User) -> Choice | None:
    """The member's current rating of an input, if any."""
    return await session.scalar(
        select(SwotVote.choice).where(SwotVote.item_id == item_id, SwotVote.user_id == user.id)
    )


@dataclass(frozen=True)
class ToRate:
    item: SwotItem | None
    remaining: int  # including `item`


async def next_to_rate(session: AsyncSession, community_id: int, user: User) -> ToRate:
    """The next input the member has not rated: the least rated first, so all get rated."""
    round_ = await swot.current_round(session, community_id)
    if round_ is None:
        return ToRate(None, 0)
    rated = select(SwotVote.item_id).where(SwotVote.user_id == user.id)
    votes = select(func.count(SwotVote.id)).where(SwotVote.item_id == SwotItem.id).scalar_subquery()
    items = list(
        await session.scalars(
            select(SwotItem)
            .where(SwotItem.round_id == round_.id, *swot.live(), SwotItem.id.not_in(rated))
            .order_by(votes, SwotItem.id)
        )
    )
    return ToRate(items[0] if items else None, len(items))


# --- the board ------------------------------------------------------------------------------


async def board(session: AsyncSession, community_id: int, number: int | None = None) -> Board:
    """A round's live inputs ranked per quadrant: the newest round unless `number` is given."""
    latest = await swot.current_round(session, community_id)
    latest_number = latest.number if latest is not None else 0
    chosen = latest
    if number is not None and number != latest_number:
        chosen = await session.scalar(
            select(SwotRound).where(
                SwotRound.community_id == community_id, SwotRound.number == number
            )
        )
        if chosen is None:
            raise NotFound(N_("There is no SWOT round {number}."), number=number)
    if chosen is None:
        return Board(0, 0)

    items = await _ranked(session, chosen.id, *swot.live())
    return Board(chosen.number, latest_number, items)


async def _ranked(
    session: AsyncSession, round_id: int, *conditions: ColumnElement[bool]
) -> dict[Quadrant, list[RankedItem]]:
    """A round's inputs that meet `conditions`, with their votes counted, ranked per quadrant."""
    rows = await session.execute(
        select(SwotItem, _count(Choice.AGREE), _count(Choice.DISAGREE), _count(Choice.PASS))
        .outerjoin(SwotVote, SwotVote.item_id == SwotItem.id)
        .where(SwotItem.round_id == round_id, *conditions)
        .group_by(SwotItem.id)
    )
    items: dict[Quadrant, list[RankedItem]] = {q: [] for q in QUADRANTS}
    for item, agree, disagree, passed in rows:
        items[item.quadrant].append(
            RankedItem(
                item.id,
                item.quadrant,
                item.number,
                item.text,
                item.created_at,
                int(agree),
                int(disagree),
                int(passed),
            )
        )
    for ranked in items.values():
        ranked.sort(key=rank_key)
    return items


def _count(choice: Choice) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((SwotVote.choice == choice, 1), else_=0)), 0)


async def hidden_items(
    session: AsyncSession, community_id: int
) -> dict[Quadrant, list[RankedItem]]:
    """The current round's hidden inputs per quadrant (the leaders' view of the board, to show
    them again); merged or moved ones are not among them."""
    current = await swot.current_round(session, community_id)
    if current is None:
        return {q: [] for q in QUADRANTS}
    return await _ranked(
        session, current.id, SwotItem.hidden_at.is_not(None), SwotItem.replaced_by_id.is_(None)
    )


async def ratings(session: AsyncSession, community_id: int, user: User) -> dict[int, Choice]:
    """The member's rating of each input of the current round they rated, by the input's id
    (the board marks them)."""
    current = await swot.current_round(session, community_id)
    if current is None:
        return {}
    rows = await session.execute(
        select(SwotVote.item_id, SwotVote.choice)
        .join(SwotItem, SwotItem.id == SwotVote.item_id)
        .where(SwotItem.round_id == current.id, SwotVote.user_id == user.id)
    )
    return {item_id: choice for item_id, choice in rows}


async def latest_board(session: AsyncSession, community_id: int) -> Board:
    """For the development plan (part 1): the newest round, ranked per quadrant."""
    return await board(session, community_id)
