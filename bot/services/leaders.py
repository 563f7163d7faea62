"""Who leads: the group's Telegram admins (cached briefly) plus members a leader promoted."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import N_
from bot.models import Community, Role, User
from bot.services import members
from bot.services.errors import NotAllowed

log = logging.getLogger(__name__)

AdminFetcher = Callable[[int], Awaitable[set[int]]]

RIGHTS_UNKNOWN = N_(
    "Telegram did not tell me just now who the group's admins are, so I can't check whether "
    "you may do this. Please try again in a few minutes."
)


class RightsUnknown(NotAllowed):
    """Telegram did not say who the group's admins are, and the list the bot has is older
    than it may be trusted: nobody is taken for an admin."""

    def __init__(self) -> None:
        super().__init__(RIGHTS_UNKNOWN)


class AdminDirectory:
    """Telegram admins per chat, fetched at most once per `ttl` seconds per chat.

    The fetcher is the Telegram layer's getChatAdministrators. When a fetch fails, a list
    fetched less than `ttl` ago still answers; an older one (or none) does not: the call
    raises RightsUnknown, since a removed admin must not keep their rights through an outage.
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
            if cached is not None and now - cached[0] < self._ttl:
                return cached[1]
            raise RightsUnknown() from None
        self._cache[chat_id] = (now, ids)
        return ids

    def forget(self, chat_id: int) -> None:
        """Drop a chat's cached admins (an admin was added or removed)."""
        self._cache.pop(chat_id, None)


# A member just made admin is refused at most this long, not for the whole cache lifetime.
RECHECK_AFTER = 60.0


async def known_admins(directory: AdminDirectory, community: Community) -> frozenset[int]:
    """The admins, or none while Telegram cannot say (for messages to leaders, never rights)."""
    try:
        return await directory.admins(community.chat_id)
    except RightsUnknown:
        return frozenset()


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
    """Leaders the bot can write to in private: admins and promoted members who started it
    (only the promoted ones while Telegram cannot say who the admins are)."""
    ids = await members.promoted_leader_ids(session, community)
    ids |= await known_admins(directory, community)
    if not ids:
        return []
    rows = await session.scalars(
        select(User).where(User.telegram_id.in_(ids), User.started_bot.is_(True)).order_by(User.id)
    )
    return list(rows)
