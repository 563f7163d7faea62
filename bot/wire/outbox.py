"""Sends the outbox (`bot.services.outbox`): the one way an update's answers reach Telegram.

An update is confirmed once its changes and its outbox rows are committed; sending is this
sender's work, never the confirmation's. Each chat is a lane: its rows go one at a time, in
order, while lanes go side by side (up to `concurrency` calls at once), each call through the
bot's flood limits (bot.wire.ratelimit), so a chat held up by its limits holds up no other.

Telegram's refusals are settled here once for every kind of message: a group that became a
supergroup takes its lane along (the community follows it, the row is sent again there); a
person who blocked the bot is remembered as such; an edit that changes nothing is done; any
other refusal is logged and the row dropped. A row may name what to record once Telegram
answered (`after_send`, with Telegram's whole answer) and what to record when it refuses the
call for good (`on_refused`, with the refusal): both in the transaction that finishes the row,
before the next row of its lane is taken. A call that failed on the network goes again
after a pause, still in its lane's order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection
from telegram import Bot, InputFile
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.db import Database
from bot.models import utcnow
from bot.services import Session, communities, members, outbox, placed
from bot.wire import lean_calls
from bot.wire.messages import Drawn, View
from bot.wire.ratelimit import FloodLimiter

log = logging.getLogger(__name__)

CONCURRENCY = 64  # calls in flight at once, over all lanes
GATHER_SECONDS = 0.02  # after a wake-up, how long to let more rows come before one claim
POLL_SECONDS = 1.0  # how often to look for rows other processes wrote
CARD_MEMORY = 10_000  # cards whose last edit time is remembered before the old ones are forgotten
FIRST_PAUSE = 1.0  # seconds before a failed call goes again; doubles, up to MAX_PAUSE
MAX_PAUSE = 30.0


@dataclass
class _Finished:
    row: outbox.Claimed
    message: dict[str, Any] | None  # Telegram's answer, when one was sent and is recorded
    refusal: dict[str, Any] | None = None  # why the call was given up: error_code, description


class Sender:
    """Claims rows and sends them; `wake()` after a commit that wrote rows."""

    def __init__(
        self,
        bot: Bot,
        db: Database,
        *,
        concurrency: int = CONCURRENCY,
        poll_seconds: float = POLL_SECONDS,
        lease: timedelta = outbox.LEASE,
        card_edit_seconds: float = 3.0,
    ) -> None:
        self.bot = bot
        self.db = db
        self.worker = f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.concurrency = concurrency
        self.poll_seconds = poll_seconds
        self.lease = lease
        # A live card is edited at most once in this time; changes meanwhile wait (`pace`).
        self.card_edit_seconds = card_edit_seconds
        self.sent = 0  # rows Telegram answered, for tests and benchmarks
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._in_flight: set[asyncio.Task[None]] = set()
        self._finished: list[int] = []  # rows sent, with nothing to record: done next round
        self._returned: list[int] = []  # rows to put back in their lanes (network failures)
        self.views: dict[str, View] = {}  # filled by the handlers (handlers.register)
        # When each live card (chat, message) was last edited, for `pace`.
        self._card_edits: dict[tuple[int, int], float] = {}
        # On PostgreSQL, an advisory lock held while this sender lives (see `start`).
        self._life = contextlib.AsyncExitStack()

    def wake(self) -> None:
        self._wake.set()

    def pace(self, letters: Sequence[outbox.Message]) -> list[outbox.Message]:
        """Live-card edits of a card edited less than `card_edit_seconds` ago wait for the rest
        of that time (the changes meanwhile coalesce into one edit, drawn when it is sent);
        the rest of their lane does not wait for them."""
        loop = asyncio.get_running_loop()
        now, interval = loop.time(), self.card_edit_seconds
        if len(self._card_edits) > CARD_MEMORY:
            self._card_edits = {
                card: at for card, at in self._card_edits.items() if now - at < interval
            }
        paced = []
        for letter in letters:
            card = _card_of(letter.chat_id, letter.method, letter.params, letter.view)
            last = self._card_edits.get(card) if card is not None else None
            wait = interval - (now - last) if last is not None else 0.0
            if wait > 0:
                letter = replace(letter, not_before=utcnow() + timedelta(seconds=wait))
                loop.call_later(wait, self.wake)
            paced.append(letter)
        return paced

    async def put(self, *letters: outbox.Message) -> None:
        """Write `letters` in a transaction of their own (for what no update's or job's
        transaction carries) and send them."""
        async with self.db.transaction() as session:
            await outbox.put(session, letters)
        self.wake()

    async def write(
        self, session: Session, letters: Sequence[outbox.Message], lane: int
    ) -> list[outbox.Claimed]:
        """Write `letters` (paced) in an update's transaction, which holds `lane`'s chat in
        order (bot.services.updates.hold_chat). The lane's first row is claimed as it is
        written when the lane is empty and its call may leave now: `take` it after the commit,
        and it goes without a claim of its own, which at saturation cost as much as the rest
        of sending."""
        claim = None
        if self._running and len(self._in_flight) < self.concurrency and self._ready(lane):
            claim = outbox.ClaimAtOnce(self.worker, lane, utcnow(), tuple(self._finished))
        written = await outbox.put(session, self.pace(letters), claim)
        return written.claimed

    def take(self, rows: Sequence[outbox.Claimed]) -> None:
        """Send rows `write` claimed, now that they are committed."""
        for row in rows:
            self._start_lane(row)

    @property
    def _running(self) -> bool:
        return self._task is not None and not self._stopping

    @property
    def _shared(self) -> bool:
        """Whether other processes may send from this database (PostgreSQL)."""
        return self.db.engine.dialect.name != "sqlite"

    async def start(self) -> None:
        """Take over what a process that is gone left claimed: on SQLite, which one process
        serves, every claim at once; on PostgreSQL, those of senders whose life lock is free
        (their connection went with their process), and any older than the lease."""
        self._life = contextlib.AsyncExitStack()
        if self._shared:
            await self._life.enter_async_context(self.db.exclusive(_life_lock(self.worker)))
            await self._abandon_the_gone()
        else:
            async with self.db.transaction() as session:
                _report(await outbox.abandon(session, utcnow()))
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name="villagebot:outbox")

    async def stop(self, grace: float = 5.0) -> None:
        """Send what is in flight (up to `grace` seconds), record it, give up the rest's
        claims; unsent rows wait in the database for the next start."""
        self._stopping = True
        self.wake()
        if self._task is not None:
            await asyncio.wait((self._task,))
            self._task = None
        if self._in_flight:
            await asyncio.wait(set(self._in_flight), timeout=grace)
        for task in list(self._in_flight):
            task.cancel()
        if self._in_flight:
            await asyncio.wait(set(self._in_flight))
        async with self.db.transaction() as session:
            await self._settle(await session.connection())
            _report(await outbox.abandon(session, utcnow() + timedelta(days=1), self.worker))
        await self._life.aclose()

    async def drain(self, timeout: float = 10.0) -> None:
        """Until the outbox is empty or `timeout` passed (tests, and a clean stop)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            async with self.db.transaction(sync=False) as session:
                if await outbox.waiting(session) == 0 and not self._in_flight:
                    return
            self.wake()
            await asyncio.sleep(0.01)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        renew_at = loop.time() + self.lease.total_seconds() / 3
        while not self._stopping:
            self._wake.clear()
            try:
                free = self.concurrency - len(self._in_flight)
                claimed = await self._settle_and_claim(free)
                if loop.time() >= renew_at:
                    await self._renew()
                    renew_at = loop.time() + self.lease.total_seconds() / 3
            except Exception:
                log.exception("the outbox could not be read; trying again")
                claimed = []
                await asyncio.sleep(self.poll_seconds)
            for row in claimed:
                self._start_lane(row)
            if claimed and len(claimed) == free:
                continue  # there may be more
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
            # What else commits or finishes meanwhile goes in the same round (one transaction).
            await asyncio.sleep(GATHER_SECONDS)

    def _start_lane(self, row: outbox.Claimed) -> None:
        task = asyncio.create_task(self._lane(row), name=f"outbox:{row.chat_id}")
        self._in_flight.add(task)
        task.add_done_callback(self._on_done)

    def _on_done(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        self.wake()

    async def _settle_and_claim(self, limit: int) -> list[outbox.Claimed]:
        """In one transaction: record the finished rows (`_settle`), then claim the next rows
        of lanes whose chat the flood limits let through now; the soonest other lane is
        looked at again when its limits allow."""
        waits: list[float] = []
        async with self.db.plain() as connection:
            await self._settle(connection)
            claimed = await outbox.claim(
                connection, self.worker, limit, utcnow(), lambda chat: self._ready(chat, waits)
            )
        if waits:
            asyncio.get_running_loop().call_later(min(waits), self.wake)
        return claimed

    def _ready(self, chat_id: int, waits: list[float] | None = None) -> bool:
        """Whether the flood limits let a message to `chat_id` go now (else how long to wait
        is added to `waits`; a lane left waiting is picked up by the sender's rounds)."""
        limiter = getattr(self.bot, "rate_limiter", None)
        if not isinstance(limiter, FloodLimiter):
            return True
        wait = limiter.ready_in(chat_id)
        if wait > 0:
            if waits is not None:
                waits.append(wait)
            else:
                asyncio.get_running_loop().call_later(wait, self.wake)
        return wait <= 0

    async def _renew(self) -> None:
        async with self.db.plain() as connection:
            await outbox.renew(connection, self.worker, utcnow())
        if self._shared:
            await self._abandon_the_gone()

    async def _abandon_the_gone(self) -> None:
        """Settle the claims of senders that are gone: their life lock is free, or their claims
        are older than the lease (a process alive but stuck)."""
        async with self.db.transaction() as session:
            others = await outbox.claimers(session, self.worker)
        far = utcnow() + timedelta(days=1)
        for other in others:
            async with self.db.exclusive(_life_lock(other)) as gone:
                if gone:
                    async with self.db.transaction() as session:
                        _report(await outbox.abandon(session, far, other))
        async with self.db.transaction() as session:
            _report(await outbox.abandon(session, utcnow() - self.lease))

    async def _settle(self, connection: AsyncConnection) -> None:
        """The rows sent meanwhile are done, those that failed on the network go back to their
        places: the next row of each of their lanes becomes claimable."""
        finished, self._finished = self._finished, []
        returned, self._returned = self._returned, []
        if finished:
            await outbox.done(connection, finished)
        for row_id in returned:
            await outbox.release(connection, row_id)

    async def _finish_with_records(self, finished: _Finished) -> None:
        """The row is done, and what it names is recorded, in one transaction."""
        row = finished.row
        async with self.db.transaction(sync=False) as session:
            await outbox.done(session, [row.id])
            if row.after_send is not None and finished.message is not None:
                await _record(session, row.after_send, finished.message)
            if row.on_refused is not None and finished.refusal is not None:
                await _record(session, row.on_refused, finished.refusal)

    async def _lane(self, row: outbox.Claimed) -> None:
        """Send `row`. A row with something to record (where a card went) is finished at once,
        in a transaction of its own, so that a press on the new card finds it; the others are
        finished with the sender's next round, which records every row finished meanwhile in
        one transaction and claims the next rows of their lanes."""
        finished = await self._send(row)
        if finished is None:
            return
        if row.after_send is None and row.on_refused is None:
            self._finished.append(row.id)
            return
        await self._finish_with_records(finished)

    async def _send(self, row: outbox.Claimed) -> _Finished | None:
        """Make the row's call; what to record of it (None: the row went back to its lane)."""
        message: dict[str, Any] | None = None
        refusal: dict[str, Any] | None = None
        if row.send_by is not None and utcnow() > row.send_by:
            log.info("%s to chat %s is too late to mean anything; dropped", row.method, row.chat_id)
            return _Finished(row, None)
        try:
            call = await self._call(row)
            if call is None:  # a card whose item is gone
                return _Finished(row, None)
            if any(isinstance(value, InputFile) for value in call.values()):
                result = await self.bot.do_api_request(row.method, call)
            else:
                result = await lean_calls.call_json(self.bot, row.method, call)
            message = result if isinstance(result, dict) else None
            self.sent += 1
            card = _card_of(row.chat_id, row.method, row.params, row.view)
            if card is not None:
                self._card_edits[card] = asyncio.get_running_loop().time()
        except ChatMigrated as moved:
            await self._follow(row, moved.new_chat_id)
            return None
        except Forbidden as exc:
            log.info("chat %s does not take messages from the bot: %s", row.chat_id, exc)
            await self._not_started(row.chat_id)
            refusal = _refusal(403, exc)
        except BadRequest as exc:
            if "not modified" not in str(exc):
                log.warning("Telegram refused %s to chat %s: %s", row.method, row.chat_id, exc)
                refusal = _refusal(400, exc)
        except (RetryAfter, NetworkError) as exc:  # TimedOut is a NetworkError
            # The lane waits, however long Telegram is out of reach: nothing is lost.
            pause = min(MAX_PAUSE, FIRST_PAUSE * 2 ** min(row.attempts - 1, 10))
            log.warning(
                "%s to chat %s failed (%s); again in %.0f s", row.method, row.chat_id, exc, pause
            )
            await asyncio.sleep(pause)
            self._returned.append(row.id)
            return None
        except TelegramError as exc:
            log.warning("Telegram refused %s to chat %s: %s", row.method, row.chat_id, exc)
            refusal = _refusal(None, exc)
        except Exception as exc:
            log.exception("%s to chat %s could not be made; dropped", row.method, row.chat_id)
            refusal = _refusal(None, exc)
        return _Finished(row, message, refusal)

    async def _call(self, row: outbox.Claimed) -> dict[str, Any] | None:
        """The row's parameters: its file as an upload, its card or whole call drawn now."""
        call = row.call()
        if row.file is not None:
            call[row.file.field] = InputFile(row.file.content, filename=row.file.name)
        if row.view is not None:
            kind, _, argument = row.view.partition(":")
            content = await self.views[kind](argument)
            if content is None:
                return None
            if isinstance(content, Drawn):
                call.update(content.params)
                if content.file is not None:
                    file = content.file
                    call[file.field] = InputFile(file.content, filename=file.name)
                return call
            text, keyboard = content
            call["text"] = text
            if keyboard is not None:
                call["reply_markup"] = lean_calls.plain_markup(keyboard)
        return call

    async def _follow(self, row: outbox.Claimed, new_chat_id: int) -> None:
        """The group is a supergroup now: the community and the lane move there, and the row
        is sent again, first in its new lane (unless it acted on a message of the old group:
        bot.services.outbox.move_lane)."""
        async with self.db.transaction() as session:
            await communities.migrate_chat(session, row.chat_id, new_chat_id)
            await outbox.release(session, row.id)
            await outbox.move_lane(session, row.chat_id, new_chat_id)

    async def _not_started(self, chat_id: int) -> None:
        if chat_id <= 0:
            return
        async with self.db.transaction(sync=False) as session:
            user = await members.by_telegram_id(session, chat_id)
            if user is not None:
                await members.mark_not_started(session, user.id)


async def _record(session: Session, hook: str, answer: dict[str, Any]) -> None:
    """A record that fails (an answer not as expected) is logged and undone alone: the row is
    finished all the same, and its lane and the others go on."""
    try:
        async with session.begin_nested():
            await placed.record(session, hook, answer)
    except Exception:
        log.exception("%s could not be recorded", hook)


def _refusal(code: int | None, exc: Exception) -> dict[str, Any]:
    """What an `on_refused` record is given."""
    return {"error_code": code, "description": str(exc)}


def _report(abandoned: outbox.Abandoned) -> None:
    if abandoned.resent:
        log.warning("%s edits in flight when a sender stopped are made again", abandoned.resent)
    if abandoned.dropped:
        log.warning(
            "%s messages were on their way to Telegram when a sender stopped; Telegram may have "
            "them, so they are not sent again",
            abandoned.dropped,
        )


def _life_lock(worker: str) -> str:
    """The name of the lock a sender holds for as long as its process lives."""
    return f"outbox-sender:{worker}"


def _card_of(
    chat_id: int, method: str, params: dict[str, Any], view: str | None
) -> tuple[int, int] | None:
    """The live card (chat, message) a redraw is of; None for anything else."""
    message_id = params.get("message_id")
    if view is None or method != "editMessageText" or not isinstance(message_id, int):
        return None
    return (chat_id, message_id)
