"""Users, memberships, the community a user acts for in private chat, and the working group."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import cast

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from bot.i18n import LANGUAGES, N_
from bot.models import Community, Membership, Role, User, utcnow
from bot.services import audit, flows
from bot.services.errors import InvalidInput, NotFound

NAME_LIMIT = 255
ACTIVE_PRECISION = timedelta(minutes=10)
USERNAME_LIMIT = 64


@dataclass(frozen=True)
class Profile:
    """What Telegram tells about a user, without Telegram's types."""

    telegram_id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None


async def ensure_user(session: AsyncSession, profile: Profile, *, in_private: bool = False) -> User:
    """The user row, created or refreshed with the latest name; writing in private means started."""
    user = await session.scalar(select(User).where(User.telegram_id == profile.telegram_id))
    if user is not None:
        refresh_profile(user, profile, in_private=in_private)
        return user
    user = User(telegram_id=profile.telegram_id)
    refresh_profile(user, profile, in_private=in_private)
    session.add(user)
    await session.flush()
    return user


def refresh_profile(user: User, profile: Profile, *, in_private: bool = False) -> None:
    """Take the latest name and language from Telegram. Only what changed is set: an unchanged
    user stays clean, so the commit has nothing to compare or write for them."""
    latest = {
        "first_name": (profile.first_name or "")[:NAME_LIMIT],
        "last_name": profile.last_name[:NAME_LIMIT] if profile.last_name else None,
        "username": profile.username[:USERNAME_LIMIT] if profile.username else None,
        "telegram_language": profile.language_code[:16] if profile.language_code else None,
    }
    for name, value in latest.items():
        if getattr(user, name) != value:
            setattr(user, name, value)
    if in_private and not user.started_bot:
        user.started_bot = True


async def by_id(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def by_telegram_id(session: AsyncSession, telegram_id: int) -> User | None:
    return await session.scalar(select(User).where(User.telegram_id == telegram_id))


async def by_username(session: AsyncSession, community: Community, username: str) -> User | None:
    """A current member of the community by Telegram username (any letter case)."""
    return await session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.community_id == community.id,
            Membership.left_at.is_(None),
            func.lower(User.username) == username.lower().lstrip("@"),
        )
    )


async def membership(session: AsyncSession, community: Community, user: User) -> Membership | None:
    return await session.scalar(
        select(Membership).where(
            Membership.community_id == community.id, Membership.user_id == user.id
        )
    )


async def is_current(session: AsyncSession, community_id: int, user: User) -> bool:
    """Whether `user` is a current member of the village (one who left is not)."""
    found = await session.scalar(
        select(Membership.id).where(
            Membership.community_id == community_id,
            Membership.user_id == user.id,
            Membership.left_at.is_(None),
        )
    )
    return found is not None


async def ensure_membership(session: AsyncSession, community: Community, user: User) -> Membership:
    """Seen in the group: a known member, active now."""
    member = await membership(session, community, user)
    if member is not None:
        await mark_active(session, member)
        return member
    now = utcnow()
    member = Membership(
        community_id=community.id, user_id=user.id, joined_at=now, last_active_at=now
    )
    session.add(member)
    await session.flush()
    return member


async def mark_active(session: AsyncSession, member: Membership) -> None:
    """Active now, to the nearest ACTIVE_PRECISION: the digest counts who was active in a week
    or a month, and a burst of presses writes once. Written at once by its own statement (most
    group updates come here; flushing a changed object at commit cost several times more)."""
    now = utcnow()
    if now - member.last_active_at < ACTIVE_PRECISION and member.left_at is None:
        return
    await session.execute(_ACTIVE, {"member_id": member.id, "now": now})
    set_committed_value(member, "last_active_at", now)
    set_committed_value(member, "left_at", None)


_MEMBERSHIPS = cast(Table, Membership.__table__)
_ACTIVE = (
    update(_MEMBERSHIPS)
    .where(_MEMBERSHIPS.c.id == bindparam("member_id"))
    .values(last_active_at=bindparam("now"), left_at=None)
)


async def mark_left(session: AsyncSession, community: Community, user: User) -> None:
    """Gone from the group: no longer a current member nor in the working group (a promoted
    role ends; coming back makes a resident), the private chat no longer acts for the
    village, and guided conversations about it end."""
    member = await membership(session, community, user)
    if member is None:
        return
    if member.left_at is None:
        member.left_at = utcnow()
    if member.role == Role.LEADER:
        member.role = Role.RESIDENT
    if user.acting_community_id == community.id:
        user.acting_community_id = None
    await flows.finish_in(session, user, community)


async def communities_of(session: AsyncSession, user: User) -> list[Community]:
    """The active communities the user is a current member of, by title."""
    rows = await session.scalars(
        select(Community)
        .join(Membership, Membership.community_id == Community.id)
        .where(
            Membership.user_id == user.id,
            Membership.left_at.is_(None),
            Community.active.is_(True),
        )
        .order_by(Community.title, Community.id)
    )
    return list(rows)


async def acting_community(session: AsyncSession, user: User) -> Community | list[Community]:
    """The community the user acts for in private chat, or the choices when it is not clear."""
    return choose_acting(user, await communities_of(session, user))


def choose_acting(user: User, choices: list[Community]) -> Community | list[Community]:
    """The one of `choices` the user acts for: the one they chose, or the only one; else all."""
    chosen = next((c for c in choices if c.id == user.acting_community_id), None)
    if chosen is not None:
        return chosen
    if len(choices) == 1:
        user.acting_community_id = choices[0].id
        return choices[0]
    return choices


async def choose_community(session: AsyncSession, user: User, community_id: int) -> Community:
    choice = next((c for c in await communities_of(session, user) if c.id == community_id), None)
    if choice is None:
        raise NotFound(N_("You are not a member of that village group."))
    user.acting_community_id = choice.id
    return choice


async def mark_not_started(session: AsyncSession, user_id: int) -> None:
    """Telegram refused a private message: the user blocked the bot or never started it."""
    await session.execute(update(User).where(User.id == user_id).values(started_bot=False))


# Telegram languages taken as the person's own choice. Telegram has no Latvian interface, so a
# Latvian villager's app mostly says English: English (or a language the bot lacks) is no choice.
CHOSEN_IN_TELEGRAM = frozenset({"lv", "ru"})
FALLBACK_LANGUAGE = "en"


def private_language(user: User | None, village: Community | None, default: str) -> str:
    """The language of private chat: the user's /language choice, else `telegram_language`'s
    (`village`: the one they act for, or were most recently active in)."""
    if user is not None and user.language in LANGUAGES:
        return user.language
    return telegram_language(user.telegram_language if user else None, village, default)


def telegram_language(code: str | None, village: Community | None, default: str) -> str:
    """For one who chose no language: Telegram's when it is Latvian or Russian; else their
    village's; else English for any other Telegram language; else `default`."""
    base = (code or "").replace("_", "-").split("-")[0].lower()
    if base in CHOSEN_IN_TELEGRAM:
        return base
    if village is not None:
        return village.language
    return FALLBACK_LANGUAGE if code else default


async def language_in_private(session: AsyncSession, user: User, default: str) -> str:
    """`private_language` for a user whose village is not loaded yet."""
    acting = await acting_community(session, user)
    if isinstance(acting, Community):
        return private_language(user, acting, default)
    return private_language(user, await latest_village(session, user, acting), default)


async def latest_village(
    session: AsyncSession, user: User, choices: list[Community]
) -> Community | None:
    """Of `choices` (the user's villages), the one they were most recently active in."""
    if not choices:
        return None
    community_id = await session.scalar(
        select(Membership.community_id)
        .where(
            Membership.user_id == user.id,
            Membership.community_id.in_([c.id for c in choices]),
        )
        .order_by(Membership.last_active_at.desc(), Membership.id.desc())
        .limit(1)
    )
    return next((c for c in choices if c.id == community_id), choices[0])


def set_user_language(user: User, language: str) -> None:
    if language not in LANGUAGES:
        raise InvalidInput(N_("Unknown language."))
    user.language = language


async def promote(session: AsyncSession, community: Community, actor: User, target: User) -> bool:
    """Make the target a leader; False when they already were one."""
    member = await ensure_membership(session, community, target)
    if member.role == Role.LEADER:
        return False
    member.role = Role.LEADER
    await audit.record(session, community.id, actor.id, "promote", user_id=target.id)
    return True


async def demote(session: AsyncSession, community: Community, actor: User, target: User) -> bool:
    """Back to resident; False when the target was not a promoted leader."""
    member = await membership(session, community, target)
    if member is None or member.role != Role.LEADER:
        return False
    member.role = Role.RESIDENT
    await audit.record(session, community.id, actor.id, "demote", user_id=target.id)
    return True


async def promoted_leader_ids(session: AsyncSession, community: Community) -> set[int]:
    """Telegram ids of members a leader promoted (admins are found from Telegram)."""
    rows = await session.scalars(
        select(User.telegram_id)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.community_id == community.id,
            Membership.role == Role.LEADER,
            Membership.left_at.is_(None),
            User.telegram_id.is_not(None),
        )
    )
    return {tid for tid in rows if tid is not None}


async def current_members(session: AsyncSession, community: Community) -> list[User]:
    """The village's current members by name: whom a leader may make an idea's owner."""
    rows = await session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.community_id == community.id, Membership.left_at.is_(None))
        .order_by(func.lower(User.first_name), func.lower(User.last_name), User.id)
    )
    return list(rows)
