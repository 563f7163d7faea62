"""Scheduled work for one community: the job wrapper, sending to the group, and exactly once.

A job reads and writes in short transactions of its own; what it sends is written to the
outbox in the transaction of its claim (`send_once`), so a crash or a second bot process never
sends the same message twice, and a claimed message is never lost.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardMarkup

from bot import logs
from bot.i18n import Translator
from bot.models import Community
from bot.runtime import BotContext, Runtime
from bot.services import Session, communities, once, outbox
from bot.wire import messages

log = logging.getLogger(__name__)

JobCallback = Callable[[BotContext], Coroutine[Any, Any, None]]


@dataclass
class JobTurn:
    """One run of a community's job: the community as it is now, and how to reach its group."""

    context: BotContext
    community: Community
    data: dict[str, Any]

    @property
    def runtime(self) -> Runtime:
        return self.context.runtime

    @property
    def t(self) -> Translator:
        return self.runtime.translator(self.community.language)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Session]:
        """A transaction of its own; what it wrote to the outbox is sent once it commits."""
        async with self.runtime.db.transaction() as session:
            yield session
        self.runtime.outbox.wake()

    async def send_once(self, key: str, *letters: outbox.Message) -> bool:
        """Claim `key` and write `letters` to the outbox in one transaction, so they are sent
        once, across a crash or with a second bot process; False when claimed before."""
        async with self.transaction() as session:
            if not await once.claim(session, key):
                return False
            await outbox.put(session, letters)
        return True

    def to_group(
        self,
        text: str,
        keyboard: InlineKeyboardMarkup | None = None,
        *,
        reply_to: int | None = None,
    ) -> outbox.Message:
        """A message for the community's group (a reply to `reply_to` while it exists)."""
        return messages.post(self.community.chat_id, text, keyboard, reply_to=reply_to)


def community_job(handler: Callable[[JobTurn], Awaitable[None]]) -> JobCallback:
    """Wrap a job whose data holds `community_id`; an inactive community's jobs do nothing,
    and a failure is logged without stopping the scheduler.

    Jobs take turns, JOB_SLOTS at a time. Due together (1,000 villages' digests in the same
    minute), they all became ready at once, and as SQLite runs on the event loop's thread each
    one prepared its message without a pause: the answers of the Bot API to the first digests
    waited for all the others to be prepared (22 s; bench/broadcast.py). Taking turns, the
    first message goes out at once and the rest at the pace the flood limits allow.
    """

    @functools.wraps(handler)
    async def wrapper(context: BotContext) -> None:
        job = context.job
        raw = job.data if job is not None else None
        data: dict[str, Any] = dict(raw) if isinstance(raw, dict) else {}
        raw_id = data.get("community_id")
        community_id = raw_id if isinstance(raw_id, int) else None
        with logs.event(community=community_id):
            try:
                async with context.runtime.job_slots:
                    async with context.runtime.db.transaction() as session:
                        community = (
                            await communities.by_id(session, community_id)
                            if community_id is not None
                            else None
                        )
                    if community is None or not community.active:
                        return
                    await handler(JobTurn(context, community, data))
            except Exception:
                log.exception("job %s failed", job.name if job is not None else handler.__name__)

    return wrapper
