"""The working group's vision and numbered goals: part 2 of the village development plan."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import N_, n_
from bot.models import Community, User
from bot.services import audit
from bot.services.errors import InvalidInput, NotFound
from bot.services.text import checked, whole_number

VISION_MIN, VISION_MAX = 10, 2000
GOAL_MIN, GOAL_MAX = 5, 300
GOALS_MAX = 20
# What `/vision` and `/goal` take to remove: the same in every language.
CLEAR_WORD = "-"

GOALS_FULL = n_(
    "There is {n} goal already, the most I keep. Remove one first: /goal -1",
    "There are {n} goals already, the most I keep. Remove one first: /goal -1",
)
NO_SUCH_GOAL = N_("There is no goal {number}. See the goals with /vision.")


async def _locked(session: AsyncSession, community: Community) -> Community:
    """The community row re-read for update: two leaders changing the goals at once are
    applied one after the other, so neither change is lost (PostgreSQL; SQLite serialises
    writers anyway)."""
    await session.refresh(community, ["vision", "goals"], with_for_update=True)
    return community


async def set_vision(
    session: AsyncSession, community: Community, actor: User, raw: str
) -> str | None:
    """The new vision (10-2000 characters), or None when `-` cleared it."""
    await _locked(session, community)
    if raw.strip() == CLEAR_WORD:
        community.vision = None
        await audit.record(session, community.id, actor.id, "vision-clear")
        return None
    community.vision = checked(raw, minimum=VISION_MIN, maximum=VISION_MAX)
    await audit.record(session, community.id, actor.id, "vision")
    return community.vision


def parse_removal(raw: str) -> int | None:
    """`-2` (goal 2 to remove) → 2; anything else is a goal's text → None."""
    word = raw.strip()
    return whole_number(word[1:]) if word.startswith("-") and len(word) <= 4 else None


async def add_goal(session: AsyncSession, community: Community, actor: User, raw: str) -> int:
    """Append a goal; returns its number."""
    text = checked(raw, minimum=GOAL_MIN, maximum=GOAL_MAX)
    await _locked(session, community)
    goals = list(community.goals or [])
    if len(goals) >= GOALS_MAX:
        raise InvalidInput(GOALS_FULL, n=GOALS_MAX)
    goals.append(text)
    community.goals = goals
    await audit.record(session, community.id, actor.id, "goal-add", number=len(goals))
    return len(goals)


async def remove_goal(session: AsyncSession, community: Community, actor: User, number: int) -> str:
    """Remove goal `number` (the later ones move up); returns its text."""
    await _locked(session, community)
    goals = list(community.goals or [])
    if not 1 <= number <= len(goals):
        raise NotFound(NO_SUCH_GOAL, number=number)
    removed = goals.pop(number - 1)
    community.goals = goals
    await audit.record(session, community.id, actor.id, "goal-remove", number=number)
    return removed
