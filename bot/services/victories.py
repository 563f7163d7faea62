"""Small victories: proposed, approved by the first leader who decides, announced, applauded."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import N_
from bot.models import (
    Applause,
    Community,
    Idea,
    IdeaStatus,
    User,
    Victory,
    VictoryReview,
    VictoryStatus,
    utcnow,
)
from bot.services import audit, ideas, per_member, text
from bot.services.errors import InvalidInput, NotFound
from bot.services.people import People

VICTORY_MIN, VICTORY_MAX = 10, 500
PAGE_SIZE = 5
WALL_PAGE_SIZE = 20


@dataclass(frozen=True)
class Decided:
    victory: Victory
    won: bool  # False when another leader had decided first
    decided_by_id: int | None


@dataclass(frozen=True)
class CardView:
    """What a victory's card shows now."""

    victory: Victory
    language: str  # the village's
    idea: Idea | None  # the idea it celebrates
    proposer: str | None  # None for nobody and for people who asked to be forgotten
    supporters: int  # of the idea, besides its author


async def by_id(session: AsyncSession, victory_id: int) -> Victory | None:
    return await session.get(Victory, victory_id)


async def card_view(session: AsyncSession, victory_id: int) -> CardView | None:
    """The victory with its village's language, its idea and the names its card shows."""
    victory = await by_id(session, victory_id)
    if victory is None:
        return None
    community = await session.get(Community, victory.community_id)
    assert community is not None
    idea = await ideas.by_id(session, victory.idea_id) if victory.idea_id else None
    people = await People.load(session, [victory.proposer_id])
    supporters = await ideas.other_supporters(session, idea) if idea is not None else 0
    return CardView(
        victory, community.language, idea, people.known(victory.proposer_id), supporters
    )


async def propose(
    session: AsyncSession, community: Community, proposer: User, raw: str, *, by_leader: bool
) -> Victory:
    """A leader's victory is approved at once; a resident's waits for a leader."""
    cleaned = text.checked(raw, minimum=VICTORY_MIN, maximum=VICTORY_MAX)
    victory = Victory(
        community_id=community.id,
        text=cleaned,
        proposer_id=proposer.id,
        status=VictoryStatus.APPROVED if by_leader else VictoryStatus.PENDING,
        decided_by_id=proposer.id if by_leader else None,
        decided_at=utcnow() if by_leader else None,
    )
    session.add(victory)
    await session.flush()
    if by_leader:
        await audit.record(session, community.id, proposer.id, "victory", victory=victory.id)
    return victory


async def decide(
    session: AsyncSession, victory_id: int, community: Community, leader: User, approve: bool
) -> Decided:
    """The first leader's decision wins: a conditional update, safe when two press at once."""
    status = VictoryStatus.APPROVED if approve else VictoryStatus.REJECTED
    result = await session.execute(
        update(Victory)
        .where(
            Victory.id == victory_id,
            Victory.community_id == community.id,
            Victory.status == VictoryStatus.PENDING,
        )
        .values(status=status, decided_by_id=leader.id, decided_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    victory = await session.get(Victory, victory_id, populate_existing=True)
    if victory is None or victory.community_id != community.id:
        raise NotFound(N_("This victory is no longer here."))
    won = getattr(result, "rowcount", 0) == 1
    if won:
        await audit.record(
            session, community.id, leader.id, "victory-" + status.value, victory=victory_id
        )
    return Decided(victory, won, victory.decided_by_id)


async def from_idea(session: AsyncSession, idea: Idea, leader: User) -> Victory:
    """An idea that is done, celebrated as a victory (once per idea)."""
    if idea.status != IdeaStatus.DONE:
        raise InvalidInput(N_("Only an idea that is done can be celebrated."))
    existing = await session.scalar(select(Victory).where(Victory.idea_id == idea.id))
    if existing is not None:
        raise InvalidInput(N_("This idea was celebrated already."))
    victory = Victory(
        community_id=idea.community_id,
        text=idea.text[:VICTORY_MAX],
        proposer_id=idea.author_id,
        status=VictoryStatus.APPROVED,
        decided_by_id=leader.id,
        decided_at=utcnow(),
        idea_id=idea.id,
    )
    session.add(victory)
    await session.flush()
    await audit.record(session, idea.community_id, leader.id, "victory", victory=victory.id)
    return victory


async def announced(session: AsyncSession, victory_id: int, chat_id: int, message_id: int) -> None:
    await session.execute(
        update(Victory)
        .where(Victory.id == victory_id)
        .values(card_chat_id=chat_id, card_message_id=message_id, announced_at=utcnow())
    )


async def toggle_applause(session: AsyncSession, victory: Victory, user: User) -> bool:
    """👏 or take it back; returns whether the member now applauds."""
    if victory.status != VictoryStatus.APPROVED:
        raise NotFound(N_("This victory is no longer here."))
    applauds, changed = await per_member.toggle(
        session,
        Applause,
        {"victory_id": victory.id, "user_id": user.id},
        {"community_id": victory.community_id},
    )
    if changed:
        await session.execute(
            update(Victory)
            .where(Victory.id == victory.id)
            .values(applause_count=Victory.applause_count + (1 if applauds else -1))
            .execution_options(synchronize_session=False)
        )
        await session.refresh(victory, ["applause_count"])
    return applauds


async def add_review(
    session: AsyncSession, victory: Victory, chat_id: int, message_id: int
) -> None:
    session.add(
        VictoryReview(
            community_id=victory.community_id,
            victory_id=victory.id,
            chat_id=chat_id,
            message_id=message_id,
        )
    )
    await session.flush()


async def reviews(session: AsyncSession, victory_id: int) -> list[VictoryReview]:
    rows = await session.scalars(
        select(VictoryReview).where(VictoryReview.victory_id == victory_id)
    )
    return list(rows)


async def pending(session: AsyncSession, community: Community, limit: int = 5) -> list[Victory]:
    rows = await session.scalars(
        select(Victory)
        .where(Victory.community_id == community.id, Victory.status == VictoryStatus.PENDING)
        .order_by(Victory.created_at)
        .limit(limit)
    )
    return list(rows)


@dataclass(frozen=True)
class Page:
    victories: list[Victory]
    total: int
    page: int
    pages: int


def year_start(now: datetime, zone: ZoneInfo) -> datetime:
    local = now.astimezone(zone)
    return local.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)


async def this_year(
    session: AsyncSession, community: Community, zone: ZoneInfo, page: int = 0
) -> Page:
    """This year's announced victories, newest first."""
    return await _announced(
        session, community, page, PAGE_SIZE, Victory.decided_at >= year_start(utcnow(), zone)
    )


async def wall(
    session: AsyncSession, community: Community, page: int = 0, size: int = WALL_PAGE_SIZE
) -> Page:
    """Every announced victory, newest first: the board's wall."""
    return await _announced(session, community, page, size)


async def _announced(
    session: AsyncSession,
    community: Community,
    page: int,
    size: int,
    *since: ColumnElement[bool],
) -> Page:
    """One page of the village's approved victories, newest first (a page past the last is
    the last)."""
    conditions = [
        Victory.community_id == community.id,
        Victory.status == VictoryStatus.APPROVED,
        *since,
    ]
    total = await session.scalar(select(func.count()).select_from(Victory).where(*conditions)) or 0
    pages = max(1, -(-total // size))
    page = min(max(page, 0), pages - 1)
    rows = await session.scalars(
        select(Victory)
        .where(*conditions)
        .order_by(Victory.decided_at.desc(), Victory.id.desc())
        .offset(page * size)
        .limit(size)
    )
    return Page(list(rows), total, page, pages)


async def applauded_by(session: AsyncSession, user: User, victory_ids: Collection[int]) -> set[int]:
    """Which of these victories the member applauds."""
    if not victory_ids:
        return set()
    rows = await session.scalars(
        select(Applause.victory_id).where(
            Applause.user_id == user.id, Applause.victory_id.in_(sorted(victory_ids))
        )
    )
    return set(rows)


async def approved_between(
    session: AsyncSession, community: Community, since: datetime, until: datetime
) -> list[Victory]:
    rows = await session.scalars(
        select(Victory)
        .where(
            Victory.community_id == community.id,
            Victory.status == VictoryStatus.APPROVED,
            Victory.decided_at >= since,
            Victory.decided_at < until,
        )
        .order_by(Victory.decided_at)
    )
    return list(rows)
