"""Telegram's side of a webhook: each pending update is POSTed to the URL the bot set, with its
secret token in `X-Telegram-Bot-Api-Secret-Token`: each chat's one at a time and in order, several
chats' at once.

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

from bot.testing.emulator import BotApiCore, webhook_queue

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
    `core.closing` (the task is told to stop, not cancelled, as getUpdates is). As Telegram
    does, up to the webhook's `max_connections` requests are open at once, each chat's
    updates one at a time and in order: the next only after the one before was answered 2xx;
    a refused one is tried again shortly, the chat's later updates waiting behind it."""
    busy: set[int] = set()  # the queues (chats) with an update in flight
    in_flight: set[asyncio.Task[None]] = set()

    def due() -> list[dict[str, Any]] | None:
        if core.closing:
            return [_STOP]
        room = int(core.webhook.get("max_connections") or 40) - len(busy)
        return core.webhook_due(busy, room) or None

    async def deliver(session: aiohttp.ClientSession, update: dict[str, Any], queue: int) -> None:
        try:
            url, secret = core.webhook["url"], core.webhook.get("secret_token")
            status = await post_update(url, update, secret, session)
            if 200 <= status < 300:
                await core.webhook_answered(update["update_id"], None)
                return
            error = f"Wrong response from the webhook: {status}" if status else "Connection refused"
            await core.webhook_answered(update["update_id"], error)
            await asyncio.sleep(RETRY_SECONDS)
        finally:
            busy.discard(queue)
            await core.notify()

    async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
        try:
            while True:
                ready = await core.wait_until(due, timeout=60.0)
                if ready is None:
                    continue
                if ready[0] is _STOP:
                    return
                for update in ready:
                    queue = webhook_queue(update)
                    busy.add(queue)
                    task = asyncio.create_task(deliver(session, update, queue))
                    in_flight.add(task)
                    task.add_done_callback(in_flight.discard)
        finally:
            await asyncio.gather(*in_flight, return_exceptions=True)


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
