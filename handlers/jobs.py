"""Scheduled work for one community: the job wrapper, sending to the group, and at-most-once.

A job reads and writes in short transactions of its own and commits a claim before it sends
(`claim_once`), so a crash or a second bot process never sends the same message twice.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardMarkup, Message
from telegram.error import ChatMigrated, TelegramError

from bot import logs
from bot.i18n import Translator
from bot.models import Community
from bot.runtime import BotContext, Runtime
from bot.services import Session, communities, once

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

    def transaction(self) -> AbstractAsyncContextManager[Session]:
        return self.runtime.db.transaction()

    async def claim_once(self, key: str) -> bool:
        """Commit the claim on `key`; only the first caller ever gets True."""
        async with self.transaction() as session:
            return await once.claim(session, key)

    async def send(
        self,
        text: str,
        keyboard: InlineKeyboardMarkup | None = None,
        *,
        reply_to: int | None = None,
    ) -> Message | None:
        """Post in the community's group (as a reply to `reply_to` while that message exists);
        follows a supergroup upgrade Telegram reports."""
        try:
            return await self.context.bot.send_message(
                self.community.chat_id,
                text,
                reply_markup=keyboard,
                reply_to_message_id=reply_to,
                allow_sending_without_reply=True,
            )
        except ChatMigrated as moved:
            async with self.transaction() as session:
                await communities.migrate_chat(session, self.community.chat_id, moved.new_chat_id)
            self.community.chat_id = moved.new_chat_id
            return await self.send(text, keyboard, reply_to=reply_to)
        except TelegramError as exc:
            log.warning("could not post to community %s: %s", self.community.id, exc)
            return None


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
