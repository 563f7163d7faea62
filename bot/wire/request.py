"""HTTP to the Bot API with retries for failures that Telegram's own advice says to retry."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from telegram._utils.types import ODVInput
from telegram.error import NetworkError
from telegram.request import BaseRequest, RequestData

from bot.models import utcnow
from bot.wire.transport import NOT_SENT, AiohttpRequest

log = logging.getLogger(__name__)

# Calls that change nothing more when repeated: after a read timeout they are sent again.
# A send* is not, since Telegram may have posted the message before the answer was lost.
_REPEATABLE_PREFIXES = ("get", "edit", "answer", "set", "delete", "stop", "pin", "unpin")
# While patient, a retry waits at most this long, so a stopping bot is not held up.
PATIENT_WAIT = timedelta(seconds=5)


@dataclass(frozen=True)
class Patience:
    """A scheduled message may wait out a Bot API outage until `until` (its grace period),
    unless `giving_up()` says the bot is stopping."""

    until: datetime
    giving_up: Callable[[], bool]

    def allows(self, wait: float) -> bool:
        return not self.giving_up() and utcnow() + timedelta(seconds=wait) < self.until


_patience: ContextVar[Patience | None] = ContextVar("villagebot_patience", default=None)


@contextmanager
def patient(patience: Patience) -> Iterator[None]:
    """Requests made inside the block keep retrying while `patience` allows."""
    token = _patience.set(patience)
    try:
        yield
    finally:
        _patience.reset(token)


class RetryingRequest(AiohttpRequest):
    """Retries refused connections, connect timeouts and 5xx answers (and read timeouts of
    repeatable calls) with exponential backoff; 429 is left to the FloodLimiter
    (bot.wire.ratelimit). A scheduled message tries for as long as its grace lasts, no longer
    (`patient`)."""

    def __init__(self, *args: Any, retries: int = 4, backoff: float = 0.5, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._retries = retries
        self._backoff = backoff

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        timeouts = {
            "read_timeout": read_timeout,
            "write_timeout": write_timeout,
            "connect_timeout": connect_timeout,
            "pool_timeout": pool_timeout,
        }
        api_method = url.rsplit("/", 1)[-1]
        attempt = 0
        while True:
            wait = self._wait(attempt + 1)
            try:
                code, payload = await super().do_request(url, method, request_data, **timeouts)
            except NetworkError as exc:
                if not self._again(attempt, wait) or not _may_retry(exc, api_method):
                    raise
                log.warning("%s failed (%s); retrying", api_method, exc)
            else:
                if code < 500 or not self._again(attempt, wait):
                    return code, payload
                log.warning("%s answered %s; retrying", api_method, code)
            attempt += 1
            await asyncio.sleep(wait)

    def _wait(self, attempt: int) -> float:
        wait = float(self._backoff * 2 ** (attempt - 1))
        return min(wait, PATIENT_WAIT.total_seconds()) if attempt > self._retries else wait

    def _again(self, attempt: int, wait: float) -> bool:
        """Another try: within the retries; for a scheduled message, while its grace lasts."""
        patience = _patience.get()
        if patience is not None:
            return patience.allows(wait)
        return attempt < self._retries


def _may_retry(exc: NetworkError, api_method: str) -> bool:
    if isinstance(exc.__cause__, NOT_SENT):
        return True
    return api_method.startswith(_REPEATABLE_PREFIXES)
