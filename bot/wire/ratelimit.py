"""The bot's own flood control: Telegram's limits as sliding windows, so a broadcast goes out as
fast as they allow and never meets a 429.

PTB's AIORateLimiter is a leaky bucket: with 30 messages per second it lets 30 go at once and
30 more within the same second, twice what a strict "at most 30 in any second" allows, and a
429 then pauses every request. Here each limit is "at most N messages in any window of T
seconds": overall (30 per second), per group (20 per minute) and per chat (1 per second). A
message counts from the moment its request leaves until its answer arrives plus T, so however
the network delays it, Telegram never sees N + 1 in one window. A 429 that comes anyway (another
process with the same token) pauses every message for `retry_after`, then the request is
retried, up to `max_retries` times.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

JSONDict = dict[str, Any]
Result = bool | JSONDict | list[JSONDict]
RETRY_SLACK = 0.1
IN_FLIGHT_POLL = 0.05  # seconds between looks at a window full of unanswered messages
SWEEP_FIRST = 1000  # chats remembered before the windows of quiet ones are forgotten

# Requests that put or change a message in a chat: what Telegram's flood limits count.
_COUNTED_PREFIXES = ("send", "edit", "copy", "forward")
_COUNTED_EXTRA = frozenset({"stoppoll"})
_NOT_COUNTED = frozenset({"sendchataction"})


def retry_after(error: RetryAfter) -> float:
    """Seconds to wait. PTB keeps them as a timedelta (and gives them as an int unless
    PTB_TIMEDELTA is set, with a deprecation warning): read what it keeps, as PTB itself does."""
    value = getattr(error, "_retry_after", None) or error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def counted(endpoint: str) -> bool:
    name = endpoint.lower()
    if name in _NOT_COUNTED:
        return False
    return name.startswith(_COUNTED_PREFIXES) or name in _COUNTED_EXTRA


@dataclass
class _Slot:
    """One message in a window: in flight (`done` is None) or answered at `done`."""

    done: float | None = None


@dataclass
class Window:
    """At most `limit` messages in any `period` seconds."""

    limit: int
    period: float
    slots: deque[_Slot] = field(default_factory=deque)

    def wait(self, now: float) -> float:
        """Seconds until one more message fits (0: it fits now)."""
        slots = self.slots
        while slots and slots[0].done is not None and slots[0].done + self.period <= now:
            slots.popleft()
        if len(slots) < self.limit:
            return 0.0
        # Full: the first slot to leave decides; if all are still in flight, look again soon.
        ends = [s.done + self.period for s in self.slots if s.done is not None]
        return max(min(ends) - now, 0.001) if ends else min(self.period, IN_FLIGHT_POLL)

    def take(self, slot: _Slot) -> None:
        self.slots.append(slot)

    def expired(self, now: float) -> bool:
        """Nothing in the window any more: it may be forgotten."""
        self.wait(now)
        return not self.slots


def window(rate: float, period: float) -> Window:
    """A window from a rate (messages per `period`); fractions round down, at least one."""
    return Window(max(1, math.floor(rate)), period)


class FloodLimiter(BaseRateLimiter[int]):
    """Sliding-window limits overall, per group and per chat, applied to counted requests."""

    def __init__(
        self,
        *,
        per_second: float = 30.0,
        group_per_minute: float = 20.0,
        chat_per_second: float = 1.0,
        max_retries: int = 5,
        group_period: float = 60.0,
    ) -> None:
        self._overall = window(per_second, 1.0)
        self._group_rate = group_per_minute * group_period / 60.0
        self._group_period = group_period  # a minute; shorter only in tests
        self._chat_rate = chat_per_second
        self._chats: dict[int | str, list[Window]] = {}
        self._chat_locks: dict[int | str, asyncio.Lock] = {}
        self._overall_lock = asyncio.Lock()
        self._max_retries = max_retries
        self._paused_until = 0.0
        self._sweep_at = SWEEP_FIRST
        self.waited = 0.0  # seconds spent waiting for a window, for benchmarks

    def _now(self) -> float:
        return asyncio.get_running_loop().time()

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    def _windows_of(self, chat_id: int | str) -> list[Window]:
        windows = self._chats.get(chat_id)
        if windows is None:
            if len(self._chats) >= self._sweep_at:
                self._sweep()
            windows = [window(self._chat_rate, 1.0)]
            if _is_group(chat_id):
                windows.append(window(self._group_rate, self._group_period))
            self._chats[chat_id] = windows
        return windows

    def ready_in(self, chat_id: int) -> float:
        """Seconds until a message to `chat_id` would be let through (0: now), without taking
        a place: the outbox claims a chat's next row only once it can go at once."""
        now = self._now()
        windows: list[Window] = self._chats.get(chat_id) or []
        waits: list[float] = [w.wait(now) for w in (self._overall, *windows)]
        return max([self._paused_until - now, *waits])

    async def _wait_for(self, windows: list[Window]) -> None:
        while True:
            now = self._now()
            pause = max([self._paused_until - now, *(w.wait(now) for w in windows)])
            if pause <= 0:
                return
            self.waited += pause
            await asyncio.sleep(pause)

    async def _admit(self, chat_id: int | str) -> _Slot:
        """Wait until the chat's windows and then the overall window have room; the chat's own
        wait (a group's minute) never holds up messages to other chats."""
        lock = self._chat_locks.setdefault(chat_id, asyncio.Lock())
        async with lock:
            windows = self._windows_of(chat_id)
            await self._wait_for(windows)
            async with self._overall_lock:
                await self._wait_for([self._overall, *windows])
                slot = _Slot()
                for w in (self._overall, *windows):
                    w.take(slot)
                return slot

    def _sweep(self) -> None:
        """Forget the chats with nothing left in their windows (amortised: the threshold
        doubles with the chats still remembered)."""
        now = self._now()
        for chat_id, windows in list(self._chats.items()):
            lock = self._chat_locks.get(chat_id)
            if all(w.expired(now) for w in windows) and (lock is None or not lock.locked()):
                del self._chats[chat_id]
                self._chat_locks.pop(chat_id, None)
        self._sweep_at = max(SWEEP_FIRST, 2 * len(self._chats))

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        chat_id = _chat_id(data.get("chat_id")) if counted(endpoint) else None
        attempts = (rate_limit_args or self._max_retries) + 1
        for attempt in range(attempts):
            slot = await self._admit(chat_id) if chat_id is not None else None
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == attempts - 1:
                    log.error("flood control: still refused after %s retries", attempt)
                    raise
                pause = retry_after(exc) + RETRY_SLACK
                log.warning("flood control: Telegram asks to wait %.1f s", pause)
                self._paused_until = max(self._paused_until, self._now() + pause)
            finally:
                if slot is not None:
                    slot.done = self._now()
        raise AssertionError("unreachable")  # pragma: no cover


def _chat_id(raw: object) -> int | str | None:
    if raw is None:
        return None
    try:
        return int(str(raw))
    except ValueError:
        return str(raw)  # @channelusername


def _is_group(chat_id: int | str) -> bool:
    return isinstance(chat_id, str) or chat_id < 0
