"""The village's public page (opt-in): what a village shows the world, with nobody's name.

A leader publishes it with `/settings public on`. It holds the vision and goals, the announced
small victories, the ideas accepted, in progress and done (with their progress) and the next
meeting dates. Nobody is named on it: there is no setting in which residents or leaders agree
to be named in public, so ideas show "a resident" as their author and no owner, and victories
show no proposer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import N_
from bot.models import Community, Idea, IdeaArea, IdeaStatus
from bot.services import communities, meetings, plan
from bot.services.errors import InvalidInput
from bot.services.plan import Celebrated
from bot.services.text import OFF_WORDS, ON_WORDS

# In progress first, then accepted, then done: what is moving now leads.
SHOWN_STATUSES = (IdeaStatus.PROGRESS, IdeaStatus.ACCEPTED, IdeaStatus.DONE)
IDEAS_SHOWN = 100
VICTORIES_SHOWN = 20
MEETINGS_SHOWN = 5
# Ids are 32-bit integers in the database: a longer number in the address names no village.
ID_LIMIT = 2**31
USAGE = N_("Write on or off, for example: /settings public on")


def set_public(community: Community, values: list[str]) -> None:
    """`on` or `off` (also in Latvian and Russian)."""
    word = values[0].lower() if len(values) == 1 else ""
    if word in ON_WORDS:
        community.public_page = True
    elif word in OFF_WORDS:
        community.public_page = False
    else:
        raise InvalidInput(USAGE)


async def published(session: AsyncSession, village_id: int) -> Community | None:
    """The village whose page may be shown: its group still has the bot and it is published."""
    if not 0 < village_id < ID_LIMIT:
        return None
    community = await communities.by_id(session, village_id)
    if community is None or not community.active or not community.public_page:
        return None
    return community


@dataclass(frozen=True)
class PublicIdea:
    number: int
    text: str
    area: IdeaArea | None
    status: IdeaStatus
    progress: int


@dataclass(frozen=True)
class PublicMeeting:
    title: str
    place: str | None
    starts_at: datetime


@dataclass(frozen=True)
class VillagePage:
    vision: str | None
    goals: list[str]
    victories: list[Celebrated]  # newest first
    ideas: list[PublicIdea]
    meetings: list[PublicMeeting]


async def _ideas(session: AsyncSession, community: Community) -> list[PublicIdea]:
    rows = list(
        await session.scalars(
            select(Idea).where(
                Idea.community_id == community.id,
                Idea.status.in_(SHOWN_STATUSES),
                Idea.hidden.is_(False),
            )
        )
    )
    rows.sort(key=lambda idea: (SHOWN_STATUSES.index(idea.status), idea.number))
    return [
        PublicIdea(idea.number, idea.text, idea.area, idea.status, idea.progress)
        for idea in rows[:IDEAS_SHOWN]
    ]


async def village_page(session: AsyncSession, community: Community, now: datetime) -> VillagePage:
    """Everything the public page shows, read in one transaction."""
    celebrated = await plan.celebrated(session, community)
    coming, _total = await meetings.upcoming(session, community, now, MEETINGS_SHOWN)
    return VillagePage(
        vision=community.vision,
        goals=list(community.goals or []),
        victories=list(reversed(celebrated.rows))[:VICTORIES_SHOWN],
        ideas=await _ideas(session, community),
        meetings=[PublicMeeting(o.meeting.title, o.meeting.place, o.starts_at) for o in coming],
    )
