"""HTTP to the Bot API with retries for failures that Telegram's own advice says to retry."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
from telegram._utils.types import ODVInput
from telegram.error import NetworkError
from telegram.request import BaseRequest, HTTPXRequest, RequestData

log = logging.getLogger(__name__)

# Calls that change nothing more when repeated: after a read timeout they are sent again.
# A send* is not, since Telegram may have posted the message before the answer was lost.
_REPEATABLE_PREFIXES = ("get", "edit", "answer", "set", "delete", "stop", "pin", "unpin")
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class RetryingRequest(HTTPXRequest):
    """Retries refused connections, connect timeouts and 5xx answers (and read timeouts of
    repeatable calls) with exponential backoff; 429 is left to the FloodLimiter (bot.ratelimit)."""

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
            try:
                code, payload = await super().do_request(url, method, request_data, **timeouts)
            except NetworkError as exc:
                if attempt >= self._retries or not _may_retry(exc, api_method):
                    raise
                log.warning("%s failed (%s); retrying", api_method, exc)
            else:
                if code < 500 or attempt >= self._retries:
                    return code, payload
                log.warning("%s answered %s; retrying", api_method, code)
            attempt += 1
            await asyncio.sleep(self._backoff * 2 ** (attempt - 1))


def _may_retry(exc: NetworkError, api_method: str) -> bool:
    if isinstance(exc.__cause__, _NOT_SENT):
        return True
    return api_method.startswith(_REPEATABLE_PREFIXES)
