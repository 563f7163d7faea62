"""A community's life: created when the bot joins a group, kept when it leaves, moved on upgrade."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo, available_timezones

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import LANGUAGES, N_
from bot.models import Community, Membership, User, utcnow
from bot.services.errors import InvalidInput

TITLE_LIMIT = 255


@dataclass(frozen=True)
class CommunityDefaults:
    language: str
    timezone: str


@dataclass(frozen=True)
class Joined:
    community: Community
    is_new: bool
    reactivated: bool


async def by_chat(session: AsyncSession, chat_id: int) -> Community | None:
    return await session.scalar(select(Community).where(Community.chat_id == chat_id))


async def by_id(session: AsyncSession, community_id: int) -> Community | None:
    return await session.get(Community, community_id)


async def active_ids(session: AsyncSession) -> list[int]:
    """Every community whose group still has the bot: the ones with jobs to run."""
    return list(await session.scalars(select(Community.id).where(Community.active.is_(True))))


async def ensure(
    session: AsyncSession, chat_id: int, title: str, defaults: CommunityDefaults
) -> Joined:
    """The community of a group, created (or reactivated) on first sight."""
    community = await by_chat(session, chat_id)
    if community is None:
        community = Community(
            chat_id=chat_id,
            title=(title or "")[:TITLE_LIMIT],
            language=defaults.language,
            timezone=defaults.timezone,
            active=True,
        )
        session.add(community)
        await session.flush()
        return Joined(community, is_new=True, reactivated=False)
    return seen(community, title)


def seen(community: Community, title: str) -> Joined:
    """A known community's group was seen: active again if it was not, with its latest title
    (only what changed is set, so an unchanged community stays clean)."""
    title = (title or "")[:TITLE_LIMIT]
    reactivated = not community.active
    if reactivated:
        community.active = True
        community.deactivated_at = None
    if title and community.title != title:
        community.title = title
    return Joined(community, is_new=False, reactivated=reactivated)


async def deactivate(session: AsyncSession, chat_id: int) -> Community | None:
    """The bot left or was removed: the community goes quiet, its data stays."""
    community = await by_chat(session, chat_id)
    if community is not None and community.active:
        community.active = False
        community.deactivated_at = utcnow()
    return community


async def migrate_chat(
    session: AsyncSession, old_chat_id: int, new_chat_id: int
) -> Community | None:
    """A group became a supergroup: the community, and so all its data, follows the new chat id.

    Telegram may tell the bot about the new chat before the migration message arrives; a
    community created meanwhile for the new id holds nothing but memberships, which are merged.
    """
    old = await by_chat(session, old_chat_id)
    new = await by_chat(session, new_chat_id)
    if old is None:
        return new
    if new is not None and new.id != old.id:
        known = set(
            await session.scalars(
                select(Membership.user_id).where(Membership.community_id == old.id)
            )
        )
        await session.execute(
            update(Membership)
            .where(Membership.community_id == new.id, Membership.user_id.not_in(known))
            .values(community_id=old.id)
        )
        await session.execute(
            update(User)
            .where(User.acting_community_id == new.id)
            .values(acting_community_id=old.id)
        )
        await session.delete(new)
        await session.flush()
    old.chat_id = new_chat_id
    old.active = True
    old.deactivated_at = None
    await session.flush()
    return old


def set_language(community: Community, language: str) -> None:
    if language not in LANGUAGES:
        raise InvalidInput(N_("Unknown language."))
    community.language = language


def set_timezone(community: Community, name: str) -> None:
    """Accepts a zone name in any letter case, e.g. `europe/riga`."""
    wanted = name.strip().lower()
    match = next((zone for zone in available_timezones() if zone.lower() == wanted), None)
    if match is None:
        raise InvalidInput(
            N_("“{zone}” is not a time zone I know. Write it like Europe/Riga."), zone=name
        )
    community.timezone = match


def zone_of(community: Community) -> ZoneInfo:
    return ZoneInfo(community.timezone)
