"""The board's list of ideas: every idea of a village with filters and an order, as the
working group needs to see forty of them at once (the chat pages five open ones)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Community, Idea, IdeaArea, IdeaStatus, IdeaSupport, User
from bot.services.ideas import _comparable

Order = Literal["supports", "newest"]
ORDERS: tuple[Order, ...] = ("supports", "newest")
SEARCH_MAX = 100


@dataclass(frozen=True)
class Filters:
    area: IdeaArea | None = None
    # "none": ideas whose area is not chosen yet.
    no_area: bool = False
    status: IdeaStatus | None = None
    text: str = ""
    order: Order = "supports"


def read_filters(query: dict[str, str]) -> Filters:
    """Filters from a request's query; a value that is not one of the known ones is ignored
    (a stale link shows the whole list rather than an error)."""
    area_word = query.get("area", "")
    areas = {area.value: area for area in IdeaArea}
    statuses = {status.value: status for status in IdeaStatus}
    order = query.get("order", "supports")
    return Filters(
        area=areas.get(area_word),
        no_area=area_word == "none",
        status=statuses.get(query.get("status", "")),
        text=query.get("q", "").strip()[:SEARCH_MAX],
        order=order if order in ORDERS else "supports",
    )


async def listing(
    session: AsyncSession, community: Community, filters: Filters, *, include_hidden: bool
) -> list[Idea]:
    """The village's ideas that pass `filters`; the text search ignores case and diacritics
    (as the chat's similarity check does): "udens" finds "Ūdens"."""
    query = select(Idea).where(Idea.community_id == community.id)
    if not include_hidden:
        query = query.where(Idea.hidden.is_(False))
    if filters.area is not None:
        query = query.where(Idea.area == filters.area)
    elif filters.no_area:
        query = query.where(Idea.area.is_(None))
    if filters.status is not None:
        query = query.where(Idea.status == filters.status)
    if filters.order == "newest":
        query = query.order_by(Idea.number.desc())
    else:
        query = query.order_by(Idea.support_count.desc(), Idea.number)
    found = list(await session.scalars(query))
    if filters.text:
        wanted = _comparable(filters.text)
        found = [idea for idea in found if wanted in _comparable(idea.text)]
    return found


async def supported_by(session: AsyncSession, community: Community, user: User) -> set[int]:
    """The ids of the village's ideas the member supports: their buttons say "take back"
    instead of "support"."""
    rows = await session.scalars(
        select(IdeaSupport.idea_id).where(
            IdeaSupport.community_id == community.id, IdeaSupport.user_id == user.id
        )
    )
    return set(rows)
