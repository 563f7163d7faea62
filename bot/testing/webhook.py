"""Telegram's side of a webhook: each pending update is POSTed to the URL the bot set, with its
secret token in `X-Telegram-Bot-Api-Secret-Token`, one at a time and in order.

An update leaves the queue when the bot's server answers 2xx; otherwise it stays, the error
shows in getWebhookInfo, and it is tried again shortly (as Telegram does, only faster).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp

from bot.testing.emulator import BotApiCore

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
RETRY_SECONDS = 0.2
TIMEOUT = aiohttp.ClientTimeout(total=30)
_STOP: dict[str, Any] = {}


async def post_update(
    url: str,
    update: dict[str, Any],
    secret: str | None,
    session: aiohttp.ClientSession | None = None,
) -> int:
    """POST one update as Telegram does; returns the HTTP status (0 if nothing answered)."""
    headers = {"Content-Type": "application/json"}
    if secret:
        headers[SECRET_HEADER] = secret
    body = json.dumps(update, ensure_ascii=False).encode()
    own = session is None
    client = session or aiohttp.ClientSession(timeout=TIMEOUT)
    try:
        async with client.post(url, data=body, headers=headers) as response:
            await response.read()
            return response.status
    except (aiohttp.ClientError, TimeoutError):
        return 0
    finally:
        if own:
            await client.close()


async def deliver_forever(core: BotApiCore) -> None:
    """Run beside the emulator's server: deliver updates while a webhook is set, until
    `core.closing` (the task is told to stop, not cancelled, as getUpdates is)."""

    def due() -> dict[str, Any] | None:
        return _STOP if core.closing else core.webhook_due()

    async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
        while True:
            update = await core.wait_until(due, timeout=60.0)
            if update is _STOP:
                return
            if update is None:
                continue
            url, secret = core.webhook["url"], core.webhook.get("secret_token")
            status = await post_update(url, update, secret, session)
            if 200 <= status < 300:
                await core.webhook_answered(update["update_id"], None)
                continue
            error = f"Wrong response from the webhook: {status}" if status else "Connection refused"
            await core.webhook_answered(update["update_id"], error)
            await asyncio.sleep(RETRY_SECONDS)


@contextlib.asynccontextmanager
async def delivering(core: BotApiCore) -> AsyncIterator[asyncio.Task[None]]:
    """Deliver webhook updates while the block runs; at its end the emulator is closing."""
    task = asyncio.create_task(deliver_forever(core), name="emulator-webhook-delivery")
    try:
        yield task
    finally:
        core.closing = True
        await core.notify()
        await task
