"""The board's wall of small victories: a page of them, newest first, each with the idea it
celebrates and whether the reader applauds it (three queries a page)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Community, Idea, User, Victory
from bot.services import victories


@dataclass(frozen=True)
class WallEntry:
    victory: Victory
    idea_number: int | None  # the idea it celebrates
    idea_open: bool  # that idea's page opens for everyone (it is not hidden)
    applauded: bool  # by the reader


@dataclass(frozen=True)
class Wall:
    entries: list[WallEntry]
    page: victories.Page


async def wall(session: AsyncSession, community: Community, user: User, page: int = 0) -> Wall:
    found = await victories.wall(session, community, page)
    listed = found.victories
    idea_ids = sorted({v.idea_id for v in listed if v.idea_id is not None})
    ideas: dict[int, tuple[int, bool]] = {}
    if idea_ids:
        rows = await session.execute(
            select(Idea.id, Idea.number, Idea.hidden).where(
                Idea.community_id == community.id, Idea.id.in_(idea_ids)
            )
        )
        ideas = {idea_id: (number, not hidden) for idea_id, number, hidden in rows}
    applauded = await victories.applauded_by(session, user, [v.id for v in listed])
    entries = []
    for victory in listed:
        number, shown = ideas.get(victory.idea_id or 0, (None, False))
        entries.append(WallEntry(victory, number, shown, victory.id in applauded))
    return Wall(entries, found)
