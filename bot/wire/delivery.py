"""Sending an update's answers while the next updates of the batch are processed.

Processing an update is work for this process; sending its answers is mostly waiting for the
Bot API (and, in a busy group, for the flood limits). Done one after the other, the bot sat idle
through every answer: a sixth of the time at saturation (bench/), and a group at its limit of
20 messages a minute held up every other village. Inside `overlapped()` (the polling loop opens
it for each batch) the answers of each update are handed to a task and processing goes on; the
answers to one chat still go in the order of the updates, and the block ends only when all of
them are sent, so the next getUpdates confirms a batch only after its answers went out, as
before. The webhook server keeps one `Deliveries` for as long as it serves (`joining`): a
request is answered once its update is committed, and the answers follow, in order per chat.
Outside both (jobs, tests calling handlers directly) answers go at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar

log = logging.getLogger(__name__)

Send = Callable[[], Awaitable[None]]


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


@asynccontextmanager
async def overlapped() -> AsyncIterator[Deliveries]:
    """Answers given in the block are sent alongside; all are sent when the block ends."""
    deliveries = Deliveries()
    try:
        with joining(deliveries):
            yield deliveries
    finally:
        await deliveries.drain()


async def deliver(chat_id: int, send: Send) -> None:
    """Send an update's answers (to `chat_id`'s chain): now, or inside `overlapped()` after the
    chat's earlier answers while processing goes on."""
    deliveries = _current.get()
    if deliveries is None:
        await send()
    else:
        deliveries.add(chat_id, send)
