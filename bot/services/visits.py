"""Who wrote or pressed in which village group: the community, the user and their membership
of it; and who wrote in private, with the village they act for.

Every group update needs all three, found together in one query; creating what is missing (a
new village, a new person, a new member) takes a statement each. Only a message in the group
makes someone a member: a press or a poll answer counts as a member's only from a current
member (others are asked of Telegram, see bot/services/presence.py).
"""

from __future__ import annotations

from sqlalchemy import and_, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Community, Membership, User
from bot.services import communities, members
from bot.services.communities import CommunityDefaults, Joined

_IN_GROUP = (
    select(Community, User, Membership)
    .select_from(Community)
    .join(User, User.telegram_id == bindparam("telegram_id"))
    .outerjoin(
        Membership,
        and_(Membership.community_id == Community.id, Membership.user_id == User.id),
    )
    .where(Community.chat_id == bindparam("chat_id"))
)


_OF_COMMUNITY = (
    select(Community, Membership)
    .outerjoin(
        Membership,
        and_(Membership.community_id == Community.id, Membership.user_id == bindparam("user_id")),
    )
    .where(Community.id == bindparam("community_id"))
)


async def of_community(
    session: AsyncSession, community_id: int, user: User
) -> tuple[Community, bool] | None:
    """A community the user acted in without writing in its group (a poll answer), and
    whether they are a current member of it (then marked active); in one query. Acting so
    makes nobody a member: anyone may vote in a forwarded copy of a poll."""
    found = (
        await session.execute(_OF_COMMUNITY, {"community_id": community_id, "user_id": user.id})
    ).first()
    if found is None:
        return None
    community, member = found
    return community, await _current(session, member)


async def _current(session: AsyncSession, member: Membership | None) -> bool:
    """Whether `member` is a current membership; if so it is marked active."""
    if member is None or member.left_at is not None:
        return False
    await members.mark_active(session, member)
    return True


async def _present(
    session: AsyncSession, community: Community, user: User, member: Membership | None
) -> None:
    """The user is a current, active member of the community (`member`: their row, if any)."""
    if member is None:
        await members.ensure_membership(session, community, user)
    else:
        await members.mark_active(session, member)


_IN_PRIVATE = (
    select(User, Community)
    .select_from(User)
    .outerjoin(Membership, and_(Membership.user_id == User.id, Membership.left_at.is_(None)))
    .outerjoin(Community, and_(Community.id == Membership.community_id, Community.active.is_(True)))
    .where(User.telegram_id == bindparam("telegram_id"))
    .order_by(Community.title, Community.id)
)


async def in_private(
    session: AsyncSession, profile: members.Profile
) -> tuple[User, Community | list[Community]]:
    """Who wrote in private (now known to have started the bot, with their latest name) and the
    village they act for, or the villages to choose from (see members.acting_community): in one
    query, as every private SWOT input or vote needs both."""
    rows = (await session.execute(_IN_PRIVATE, {"telegram_id": profile.telegram_id})).all()
    if not rows:
        user = await members.ensure_user(session, profile, in_private=True)
        return user, await members.acting_community(session, user)
    user = rows[0][0]
    members.refresh_profile(user, profile, in_private=True)
    return user, members.choose_acting(user, [c for _u, c in rows if c is not None])


async def pressed_in_group(
    session: AsyncSession,
    chat_id: int,
    title: str,
    profile: members.Profile,
    defaults: CommunityDefaults,
) -> tuple[Joined, User | None, bool]:
    """A button pressed in the group: its community, the presser (None when unknown) and
    whether they are a current member (then marked active); in one query. Pressing makes
    nobody a member: a public group's buttons can be pressed by anyone reading it."""
    found = (
        await session.execute(_IN_GROUP, {"telegram_id": profile.telegram_id, "chat_id": chat_id})
    ).first()
    if found is None:
        joined = await communities.ensure(session, chat_id, title, defaults)
        return joined, await members.by_telegram_id(session, profile.telegram_id), False
    community, user, member = found
    members.refresh_profile(user, profile)
    return communities.seen(community, title), user, await _current(session, member)


async def in_group(
    session: AsyncSession,
    chat_id: int,
    title: str,
    profile: members.Profile,
    defaults: CommunityDefaults,
) -> tuple[Joined, User]:
    """The group's community (created or reactivated on first sight) and the user, now a
    current, active member of it, with their latest name: for messages in the group, which
    only members can write."""
    found = (
        await session.execute(_IN_GROUP, {"telegram_id": profile.telegram_id, "chat_id": chat_id})
    ).first()
    if found is None:
        user = await members.ensure_user(session, profile)
        joined = await communities.ensure(session, chat_id, title, defaults)
        await members.ensure_membership(session, joined.community, user)
        return joined, user
    community, user, member = found
    members.refresh_profile(user, profile)
    joined = communities.seen(community, title)
    await _present(session, community, user, member)
    return joined, user
