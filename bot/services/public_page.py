"""The village's public page (opt-in): what a village shows the world, with nobody's name.

A leader publishes it with `/settings public on`. It holds the vision and goals, the announced
small victories, the ideas accepted, in progress and done (with their progress) and the next
meeting dates. Residents are never named on it: ideas show "a resident" as their author and
victories no proposer. A leader (a Telegram admin of the group or a promoted member) who agreed
with `/publicname on` is named as the one responsible for the ideas they own; nobody else is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import N_
from bot.models import Community, Idea, IdeaArea, IdeaStatus, Membership, User
from bot.services import communities, meetings, members, plan
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
NAME_USAGE = N_("Write on or off, for example: /publicname on")


def _on_or_off(values: list[str], usage: str) -> bool:
    """`on` or `off` (also in Latvian and Russian)."""
    word = values[0].lower() if len(values) == 1 else ""
    if word in ON_WORDS:
        return True
    if word in OFF_WORDS:
        return False
    raise InvalidInput(usage)


def set_public(community: Community, values: list[str]) -> None:
    community.public_page = _on_or_off(values, USAGE)


def set_public_name(user: User, values: list[str]) -> None:
    """Whether the user, as a leader, agrees to be named on their villages' public pages."""
    user.public_name = _on_or_off(values, NAME_USAGE)


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
    owner: str | None  # the name of a leader responsible for it who agreed to be named


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


def _agreed(community: Community) -> Select[User]:
    """The village's current members who agreed to be named in public."""
    return (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.community_id == community.id,
            Membership.left_at.is_(None),
            User.public_name.is_(True),
        )
    )


async def anyone_agreed(session: AsyncSession, community: Community) -> bool:
    """Whether a current member agreed to be named (else who leads need not be asked)."""
    return await session.scalar(_agreed(community).limit(1)) is not None


async def named_leaders(
    session: AsyncSession, community: Community, admins: frozenset[int]
) -> dict[int, str]:
    """The village's leaders who agreed to be named in public (user id: name): its promoted
    members and its group's Telegram admins (`admins`, Telegram ids) who are current members."""
    leaders = await members.promoted_leader_ids(session, community) | admins
    if not leaders:
        return {}
    rows = await session.scalars(_agreed(community).where(User.telegram_id.in_(leaders)))
    return {user.id: user.display_name for user in rows}


async def _ideas(
    session: AsyncSession, community: Community, named: dict[int, str]
) -> list[PublicIdea]:
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
        PublicIdea(
            idea.number,
            idea.text,
            idea.area,
            idea.status,
            idea.progress,
            named.get(idea.owner_id) if idea.owner_id is not None else None,
        )
        for idea in rows[:IDEAS_SHOWN]
    ]


async def village_page(
    session: AsyncSession,
    community: Community,
    now: datetime,
    admins: frozenset[int] = frozenset(),
) -> VillagePage:
    """Everything the public page shows, read in one transaction; `admins`: the group's
    Telegram admins (Telegram ids), who are leaders (see `named_leaders`)."""
    celebrated = await plan.celebrated(session, community)
    coming, _total = await meetings.upcoming(session, community, now, MEETINGS_SHOWN)
    return VillagePage(
        vision=community.vision,
        goals=list(community.goals or []),
        victories=list(reversed(celebrated.rows))[:VICTORIES_SHOWN],
        ideas=await _ideas(session, community, await named_leaders(session, community, admins)),
        meetings=[PublicMeeting(o.meeting.title, o.meeting.place, o.starts_at) for o in coming],
    )
