"""The board's list of ideas: every idea of a village with filters and an order, thirty a
page, as the working group needs to see forty of them at once (the chat pages five open
ones)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Community, Idea, IdeaArea, IdeaStatus, IdeaSupport, User
from bot.services.ideas import _comparable

Order = Literal["supports", "newest"]
ORDERS: tuple[Order, ...] = ("supports", "newest")
SEARCH_MAX = 100
PAGE_SIZE = 30


@dataclass(frozen=True)
class Filters:
    area: IdeaArea | None = None
    # "none": ideas whose area is not chosen yet.
    no_area: bool = False
    status: IdeaStatus | None = None
    text: str = ""
    order: Order = "supports"
    # From 0; the query's `page` counts from 1, as people do.
    page: int = 0

    def query(self, page: int) -> str:
        """These filters on another page, as a view's query string."""
        fields = {
            "area": "none" if self.no_area else self.area.value if self.area else "",
            "status": self.status.value if self.status else "",
            "order": self.order,
            "q": self.text,
            "page": str(page + 1),
        }
        return urlencode({k: v for k, v in fields.items() if v})


@dataclass(frozen=True)
class Listing:
    """One page of the ideas that pass the filters, and how many pass."""

    ideas: list[Idea]
    total: int
    page: int
    pages: int


def read_filters(query: dict[str, str]) -> Filters:
    """Filters from a request's query; a value that is not one of the known ones is ignored
    (a stale link shows the whole list rather than an error)."""
    area_word = query.get("area", "")
    areas = {area.value: area for area in IdeaArea}
    statuses = {status.value: status for status in IdeaStatus}
    order = query.get("order", "supports")
    page = query.get("page", "")
    return Filters(
        area=areas.get(area_word),
        no_area=area_word == "none",
        status=statuses.get(query.get("status", "")),
        text=query.get("q", "").strip()[:SEARCH_MAX],
        order=order if order in ORDERS else "supports",
        page=int(page) - 1 if page.isdigit() and 0 < int(page) < 10**6 else 0,
    )


async def listing(
    session: AsyncSession, community: Community, filters: Filters, *, include_hidden: bool
) -> Listing:
    """The page of the village's ideas that pass `filters` (PAGE_SIZE a page; a page past
    the end shows the last one); the text search ignores case and diacritics (as the chat's
    similarity check does): "udens" finds "Ūdens". Only the ids (and texts, for a search) of
    all matching ideas are read; whole rows only for the page shown."""
    columns = (Idea.id, Idea.text) if filters.text else (Idea.id,)
    query = select(*columns).where(Idea.community_id == community.id)
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
    rows = (await session.execute(query)).all()
    if filters.text:
        wanted = _comparable(filters.text)
        rows = [row for row in rows if wanted in _comparable(row.text)]
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(filters.page, pages - 1)
    shown = [row.id for row in rows[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]]
    loaded = {i.id: i for i in await session.scalars(select(Idea).where(Idea.id.in_(shown)))}
    return Listing([loaded[i] for i in shown], len(rows), page, pages)


async def supported_by(session: AsyncSession, community: Community, user: User) -> set[int]:
    """The ids of the village's ideas the member supports: their buttons say "take back"
    instead of "support"."""
    rows = await session.scalars(
        select(IdeaSupport.idea_id).where(
            IdeaSupport.community_id == community.id, IdeaSupport.user_id == user.id
        )
    )
    return set(rows)
