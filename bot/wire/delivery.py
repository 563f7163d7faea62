"""What an update does after its commit in memory (actions not yet outbox rows, button
answers), run alongside the next updates: in order per chat, each chat's chain independent of
the others'. The polling loop and the webhook server each keep one `Deliveries` for as long as
they serve (`joining`); before taking an update they wait while MAX_PENDING are unfinished.
Outside both (jobs, tests calling handlers directly) the actions run at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

log = logging.getLogger(__name__)

Send = Callable[[], Awaitable[None]]
MAX_PENDING = 1000  # unfinished actions past which the next update waits (and Telegram with it)


class Deliveries:
    """The answers of one batch: a chain of tasks per chat, each after the chat's previous."""

    def __init__(self) -> None:
        self._last: dict[int, asyncio.Task[None]] = {}
        self._pending: set[asyncio.Task[None]] = set()

    def add(self, chat_id: int, send: Send) -> None:
        task = asyncio.create_task(_after(self._last.get(chat_id), send))
        self._last[chat_id] = task
        self._pending.add(task)

        def done(finished: asyncio.Task[None]) -> None:
            self._pending.discard(finished)
            if self._last.get(chat_id) is finished:  # the chat's chain is empty again
                del self._last[chat_id]

        task.add_done_callback(done)

    @property
    def pending(self) -> int:
        """Answers handed over and not yet sent."""
        return len(self._pending)

    async def wait_below(self, limit: int) -> None:
        """Until fewer than `limit` answers wait to be sent (a bound on what piles up)."""
        while len(self._pending) >= limit:
            await asyncio.wait(set(self._pending), return_when=asyncio.FIRST_COMPLETED)

    async def drain(self) -> None:
        """Until every answer handed over so far is sent (or failed and was logged)."""
        while self._pending:
            await asyncio.wait(set(self._pending))
        self._last.clear()


_current: ContextVar[Deliveries | None] = ContextVar("villagebot_deliveries", default=None)


async def _after(previous: asyncio.Task[None] | None, send: Send) -> None:
    _current.set(None)  # this task's own context: what it sends goes at once
    if previous is not None:
        await asyncio.wait((previous,))
    try:
        await send()
    except Exception:
        log.exception("sending the answers of an update failed")


@contextmanager
def joining(deliveries: Deliveries) -> Iterator[Deliveries]:
    """Answers given in the block join `deliveries` (sent alongside; its owner drains it)."""
    token = _current.set(deliveries)
    try:
        yield deliveries
    finally:
        _current.reset(token)


async def deliver(chat_id: int, send: Send) -> None:
    """Run an update's after-commit actions (in `chat_id`'s chain): now, or inside `joining()`
    after the chat's earlier ones while processing goes on."""
    deliveries = _current.get()
    if deliveries is None:
        await send()
    else:
        deliveries.add(chat_id, send)
