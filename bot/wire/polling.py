"""Long polling that confirms an update to Telegram only after the bot has processed it.

python-telegram-bot's Updater confirms a batch (asks getUpdates for the next offset) as soon as it
has queued the updates, before they are processed: a crash then loses a resident's message that
was fetched but not yet handled. Here each batch is processed first (`Application.process_update`,
which records the update id in the transaction of its effects) and only the next getUpdates,
with the offset past the processed updates, confirms it. A crash at any point leaves the
unprocessed updates with Telegram, which delivers them again; the processed ones are skipped by
their recorded ids. An update's answers are outbox rows committed with it (`bot.wire.outbox`
sends them), so confirming a batch never waits for sending: a chat held up by its flood limits
holds up no other. What an update still does after its commit in memory (`bot.wire.delivery`)
runs alongside the next batches, in order per chat, bounded in number.

The retry behaviour is the Updater's (`network_retry_loop`): flood control waits `retry_after`,
a timeout retries at once, an invalid token stops, any other Telegram error (no network, 5xx,
409 Conflict) waits 1 s, then 1.5 times longer each time up to 30 s. Webhook mode
(`bot.wire.webhook`) processes each update the same way (`process`), started and stopped by the same
`running` and `run_until_signal`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from telegram import Update
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError, TimedOut

from bot.runtime import RUNTIME_KEY, BotApplication
from bot.wire import delivery
from bot.wire.ratelimit import retry_after

log = logging.getLogger(__name__)

FIRST_BACKOFF = 1.0
BACKOFF_FACTOR = 1.5
MAX_BACKOFF = 30.0
RETRY_AFTER_SLACK = 0.5
BOOTSTRAP_INTERVAL = 1.0
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@dataclass
class Backoff:
    """How long to wait after a failed call: PTB's network_retry_loop rule."""

    first: float = FIRST_BACKOFF
    maximum: float = MAX_BACKOFF
    current: float = 0.0

    def after(self, error: TelegramError) -> float:
        if isinstance(error, RetryAfter):
            self.current = RETRY_AFTER_SLACK + retry_after(error)
        elif isinstance(error, TimedOut):
            self.current = 0.0
        else:
            grown = min(self.maximum, self.current * BACKOFF_FACTOR)
            self.current = self.first if self.current == 0 else grown
        return self.current

    def reset(self) -> None:
        self.current = 0.0


async def retrying(
    action: Callable[[], Awaitable[Any]],
    description: str,
    *,
    max_retries: int,
    interval: float = BOOTSTRAP_INTERVAL,
) -> None:
    """Run `action` until it succeeds; `max_retries` < 0 retries for ever (start-up steps such as
    getMe and deleteWebhook, while the network or the Bot API is down)."""
    attempt = 0
    while True:
        try:
            await action()
            return
        except InvalidToken:
            raise
        except TelegramError as error:
            if 0 <= max_retries <= attempt:
                raise
            wait = retry_after(error) if isinstance(error, RetryAfter) else interval
            log.warning("%s failed (%s); retrying in %.1f s", description, error, wait)
            await asyncio.sleep(wait)
        attempt += 1


async def process(app: BotApplication, update: Update) -> None:
    """Process one update: its effects and its id committed together (handlers.context), its
    answers handed to `bot.wire.delivery`. An error is logged and the update counts as processed
    all the same: an update that fails every time must not come back for ever, nor block the
    others behind it."""
    try:
        await app.process_update(update)
    except Exception:  # process_update hands handler errors to the error handler already
        log.exception("processing update %s failed", update.update_id)


@dataclass
class Poller:
    """Fetches updates, processes each batch, then confirms it with the next offset."""

    app: BotApplication
    allowed_updates: Sequence[str] = field(default_factory=lambda: list(Update.ALL_TYPES))
    timeout: float = 10.0
    backoff: Backoff = field(default_factory=Backoff)
    offset: int | None = None
    processed: int = 0
    _stopping: asyncio.Event = field(default_factory=asyncio.Event, repr=False)
    _task: asyncio.Task[None] | None = field(default=None, repr=False)
    _confirmed: int | None = field(default=None, repr=False)
    deliveries: delivery.Deliveries = field(default_factory=delivery.Deliveries, repr=False)
    # Makes what the processed updates wrote durable (bot.db.Database.sync); run before each
    # confirmation, as updates commit without syncing.
    before_confirm: Callable[[], None] = field(default=lambda: None, repr=False)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="villagebot:polling")

    async def wait(self) -> None:
        """Until polling ends: stopped, or given up on an invalid token."""
        assert self._task is not None, "start() the poller first"
        await self._task

    def request_stop(self) -> None:
        """Finish the update in hand, then stop (a signal handler may call this)."""
        self._stopping.set()

    async def stop(self) -> None:
        """Request the stop and wait for it; an error that ended polling was raised by wait()."""
        self.request_stop()
        if self._task is not None:
            await asyncio.wait((self._task,))
            if not self._task.cancelled():
                self._task.exception()  # logged where it happened; retrieved here

    async def _run(self) -> None:
        try:
            while not self._stopping.is_set():
                await self.deliveries.wait_below(delivery.MAX_PENDING)
                batch = await self._fetch()
                with delivery.joining(self.deliveries):
                    for update in batch or ():
                        if self._stopping.is_set():
                            break
                        await self._process(update)
                if batch:
                    self.before_confirm()  # the batch's changes durable before Telegram is told
        finally:
            self.before_confirm()
            await self._confirm()
            await self.deliveries.drain()

    async def _fetch(self) -> Sequence[Update] | None:
        """One getUpdates call (it confirms what was processed before), or None after an error
        or a stop request."""
        fetch = asyncio.ensure_future(
            self.app.bot.get_updates(
                offset=self.offset,
                timeout=self.timeout,  # type: ignore[arg-type]
                allowed_updates=self.allowed_updates,
            )
        )
        stopping = asyncio.ensure_future(self._stopping.wait())
        try:
            await asyncio.wait((fetch, stopping), return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (fetch, stopping):
                task.cancel()
        if not fetch.done() or fetch.cancelled():
            return None
        try:
            updates = fetch.result()
        except InvalidToken:
            log.error("Telegram does not accept the token: polling stops")
            raise
        except TelegramError as error:
            self._report(error)
            await self._sleep(self.backoff.after(error))
            return None
        except Exception:
            # Data python-telegram-bot cannot read (a Bot API newer than it): as PTB's Updater,
            # say so loudly and keep trying; the updates stay with Telegram.
            log.exception("could not read the updates Telegram sent; they were not processed")
            await self._sleep(self.backoff.after(TelegramError("unreadable updates")))
            return None
        self._confirmed = self.offset
        self.backoff.reset()
        return updates

    def _report(self, error: TelegramError) -> None:
        if isinstance(error, Conflict):
            log.error("another instance of the bot is polling with the same token: %s", error)
        elif not isinstance(error, TimedOut):
            log.warning("getUpdates failed (%s); retrying", error)

    async def _sleep(self, seconds: float) -> None:
        """Wait, unless a stop is requested meanwhile."""
        if seconds > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), seconds)

    async def _process(self, update: Update) -> None:
        await process(self.app, update)
        # Confirmed by the next getUpdates whatever happened (see `process`).
        self.offset = update.update_id + 1
        self.processed += 1

    async def _confirm(self) -> None:
        """At a stop, tell Telegram which updates were processed since the last getUpdates."""
        if self.offset is None or self.offset == self._confirmed:
            return
        try:
            await self.app.bot.get_updates(
                offset=self.offset, timeout=0, limit=1, allowed_updates=self.allowed_updates
            )
            self._confirmed = self.offset
        except TelegramError as error:
            # Not fatal: the processed updates come again and are skipped by their ids.
            log.warning("could not confirm the last updates (%s)", error)


@asynccontextmanager
async def running(app: BotApplication, *, bootstrap_retries: int = 0) -> AsyncIterator[None]:
    """Initialise and start the application for the block; then stop it (jobs) and shut it
    down. The same sequence as PTB's `run_polling` and `run_webhook`, with the `post_*` hooks."""
    await retrying(app.initialize, "starting (getMe)", max_retries=bootstrap_retries)
    try:
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        try:
            yield
        finally:
            if app.running:
                await app.stop()
                if app.post_stop is not None:
                    await app.post_stop(app)
    finally:
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)


@asynccontextmanager
async def polling(
    app: BotApplication,
    *,
    bootstrap_retries: int = 0,
    timeout: float = 10.0,
) -> AsyncIterator[Poller]:
    """Run the application and poll for updates until the block ends; then stop in order:
    polling (the update in hand is finished), the application (jobs), shutdown."""
    async with running(app, bootstrap_retries=bootstrap_retries):
        await retrying(
            lambda: app.bot.delete_webhook(drop_pending_updates=False),
            "deleteWebhook",
            max_retries=bootstrap_retries,
        )
        runtime = app.bot_data.get(RUNTIME_KEY)
        poller = Poller(app, timeout=timeout)
        if runtime is not None:
            poller.before_confirm = runtime.db.sync
        poller.start()
        try:
            yield poller
        finally:
            await poller.stop()


class Intake(Protocol):
    """What brings updates in (the poller, the webhook server), as `run_until_signal` drives it."""

    def request_stop(self) -> None: ...

    async def wait(self) -> None: ...


def run_until_signal(
    intake: Callable[[], AbstractAsyncContextManager[Intake]],
    *,
    stop_signals: Sequence[int] = STOP_SIGNALS,
) -> None:
    """Take updates until SIGINT or SIGTERM (or until the intake ends by itself, e.g. on an
    invalid token), then stop cleanly. Start-up steps retry for ever while the network or the
    Bot API is down; a signal meanwhile gives up starting."""

    async def main() -> None:
        loop = asyncio.get_running_loop()
        starting = asyncio.current_task()
        running: list[Intake] = []

        def on_signal() -> None:
            if running:
                running[0].request_stop()
            elif starting is not None:
                starting.cancel()

        for sig in stop_signals:
            loop.add_signal_handler(sig, on_signal)
        async with intake() as taking:
            running.append(taking)
            await taking.wait()

    with contextlib.suppress(asyncio.CancelledError):
        asyncio.run(main())


def run(app: BotApplication, *, stop_signals: Sequence[int] = STOP_SIGNALS) -> None:
    """`villagebot run`: poll until SIGINT or SIGTERM (or an invalid token)."""
    run_until_signal(lambda: polling(app, bootstrap_retries=-1), stop_signals=stop_signals)
