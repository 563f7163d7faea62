"""Whether a person is in a village group now, as Telegram says (getChatMember), cached.

Only messages in the group, joins and chat_member updates make someone a member. A button
press or a poll answer can come from anyone (a public group is readable without joining, and
a vote in a forwarded copy of a poll counts on the original), so one from a person the
database does not hold as a current member is asked of Telegram first.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

PresenceFetcher = Callable[[int, int], Awaitable[bool]]
# Answers kept at most, the oldest dropped first: presses by passers-by must not grow memory.
CACHE_LIMIT = 10_000


class PresenceDirectory:
    """Telegram's answer per (chat, user), kept for at most `ttl` seconds; a failed call is
    not kept, and says None (unknown)."""

    def __init__(
        self,
        fetch: PresenceFetcher,
        ttl: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._ttl = ttl
        self._clock = clock
        self._cache: OrderedDict[tuple[int, int], tuple[float, bool]] = OrderedDict()

    async def is_member(
        self, chat_id: int, user_id: int, *, max_age: float | None = None
    ) -> bool | None:
        """Whether the user is in the chat, as Telegram said at most `max_age` (else `ttl`)
        seconds ago; None when Telegram could not be asked."""
        key = (chat_id, user_id)
        now = self._clock()
        limit = self._ttl if max_age is None else min(max_age, self._ttl)
        cached = self._cache.get(key)
        if cached is not None and now - cached[0] < limit:
            return cached[1]
        try:
            present = await self._fetch(chat_id, user_id)
        except Exception:
            log.warning("could not ask whether %s is in chat %s", user_id, chat_id, exc_info=True)
            return None
        self._cache[key] = (now, present)
        self._cache.move_to_end(key)
        while len(self._cache) > CACHE_LIMIT:
            self._cache.popitem(last=False)
        return present

    def forget(self, chat_id: int, user_id: int) -> None:
        """The person joined or left: the next question goes to Telegram."""
        self._cache.pop((chat_id, user_id), None)
