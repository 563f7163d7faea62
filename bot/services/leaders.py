"""Who leads: the group's Telegram admins (cached briefly) plus members a leader promoted."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Community, Role, User
from bot.services import members

log = logging.getLogger(__name__)

AdminFetcher = Callable[[int], Awaitable[set[int]]]


class AdminDirectory:
    """Telegram admins per chat, fetched at most once per `ttl` seconds per chat.

    The fetcher is the Telegram layer's getChatAdministrators; a failed fetch counts as "no
    admins" for this call and is not cached, so a passing outage does not lock leaders out
    for long.
    """

    def __init__(
        self, fetch: AdminFetcher, ttl: float = 600.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._fetch = fetch
        self._ttl = ttl
        self._clock = clock
        self._cache: dict[int, tuple[float, frozenset[int]]] = {}

    async def admins(self, chat_id: int, max_age: float | None = None) -> frozenset[int]:
        """The admins' user ids; `max_age` asks for a list fetched at most that long ago."""
        cached = self._cache.get(chat_id)
        now = self._clock()
        limit = self._ttl if max_age is None else min(max_age, self._ttl)
        if cached is not None and now - cached[0] < limit:
            return cached[1]
        try:
            ids = frozenset(await self._fetch(chat_id))
        except Exception:
            log.warning("could not fetch the admins of chat %s", chat_id, exc_info=True)
            return cached[1] if cached is not None else frozenset()
        self._cache[chat_id] = (now, ids)
        return ids

    def forget(self, chat_id: int) -> None:
        """Drop a chat's cached admins (an admin was added or removed)."""
        self._cache.pop(chat_id, None)


# A member just made admin is refused at most this long, not for the whole cache lifetime.
RECHECK_AFTER = 60.0


async def is_admin(directory: AdminDirectory, community: Community, user: User) -> bool:
    if user.telegram_id is None:
        return False
    if user.telegram_id in await directory.admins(community.chat_id):
        return True
    return user.telegram_id in await directory.admins(community.chat_id, max_age=RECHECK_AFTER)


async def is_leader(
    session: AsyncSession, directory: AdminDirectory, community: Community, user: User
) -> bool:
    member = await members.membership(session, community, user)
    if member is not None and member.left_at is None and member.role == Role.LEADER:
        return True
    return await is_admin(directory, community, user)


async def reachable(
    session: AsyncSession, directory: AdminDirectory, community: Community
) -> list[User]:
    """Leaders the bot can write to in private: admins and promoted members who started it."""
    ids = set(await directory.admins(community.chat_id))
    ids |= await members.promoted_leader_ids(session, community)
    if not ids:
        return []
    rows = await session.scalars(
        select(User).where(User.telegram_id.in_(ids), User.started_bot.is_(True)).order_by(User.id)
    )
    return list(rows)
