"""Retries: refused connections and 5xx answers are retried; a send after a read timeout is not."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest
from telegram import Bot
from telegram.error import TimedOut

from bot.testing import ApiError, BotApiEmulator, Params, serve
from bot.wire.request import RetryingRequest


def _bot(tg: BotApiEmulator, url: str, **kwargs: Any) -> Bot:
    return Bot(tg.token, base_url=f"{url}/bot", request=RetryingRequest(backoff=0.05, **kwargs))


async def test_bad_gateway_answers_are_retried(tg: BotApiEmulator, api_url: str) -> None:
    failures = iter([ApiError(502, "Bad Gateway"), ApiError(502, "Bad Gateway")])

    def flaky(method: str, _params: Params) -> ApiError | None:
        return next(failures, None) if method == "getMe" else None

    tg.faults.append(flaky)
    async with _bot(tg, api_url) as bot:
        assert bot.username == tg.bot.username
    assert [c.ok for c in tg.calls if c.method == "getMe"] == [False, False, True]


async def test_a_refused_connection_is_retried_until_the_api_is_back(tg: BotApiEmulator) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    bot = _bot(tg, url)

    async def late_server(ready: asyncio.Event, done: asyncio.Event) -> None:
        await asyncio.sleep(0.2)
        async with serve(tg, port=port):
            ready.set()
            await done.wait()

    ready, done = asyncio.Event(), asyncio.Event()
    server = asyncio.create_task(late_server(ready, done))
    try:
        async with bot:
            assert bot.username == tg.bot.username
    finally:
        done.set()
        await server


@pytest.mark.parametrize(("method", "attempts"), [("sendMessage", 1), ("getChat", 2)])
async def test_read_timeouts_are_retried_only_where_repeating_is_harmless(
    tg: BotApiEmulator, api_url: str, method: str, attempts: int
) -> None:
    slow = {"left": 1}

    async def stall(called: str, _params: Params) -> ApiError | None:
        if called == method and slow["left"]:
            slow["left"] -= 1
            await asyncio.sleep(0.5)
        return None

    alice = tg.user("Alice")
    await tg.private(alice, "/start")
    group = tg.group("Lejasciems", admins=[alice])
    group.members[tg.bot.id] = "member"
    tg.faults.append(stall)
    async with _bot(tg, api_url, read_timeout=0.2) as bot:
        if method == "sendMessage":
            with pytest.raises(TimedOut):
                await bot.send_message(alice.id, "hello")
        else:
            await bot.get_chat(group.id)
    await asyncio.sleep(0.5)
    assert len([c for c in tg.calls if c.method == method]) == attempts
