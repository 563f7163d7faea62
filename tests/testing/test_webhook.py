"""The emulator delivers updates to a webhook as Telegram does: POSTed in order with the secret
header, kept and retried while the bot's server refuses them, the error shown in
getWebhookInfo."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from bot.testing import ApiError, BotApiEmulator, Params, serve
from bot.testing.webhook import SECRET_HEADER


class BotServer:
    """Stands in for the bot's webhook server: records what arrives, answers `status`."""

    def __init__(self) -> None:
        self.received: list[tuple[str | None, dict[str, Any]]] = []
        self.status = 200

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append((request.headers.get(SECRET_HEADER), json.loads(await request.text())))
        return web.Response(status=self.status)


@pytest.fixture
async def bot_server() -> AsyncIterator[tuple[BotServer, str]]:
    server = BotServer()
    app = web.Application()
    app.router.add_post("/hook", server.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield server, f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    await runner.cleanup()


async def test_updates_are_posted_in_order_with_the_secret(
    tg: BotApiEmulator, bot_server: tuple[BotServer, str]
) -> None:
    server, url = bot_server
    async with serve(tg):
        await tg.call("setWebhook", Params({"url": url, "secret_token": "abc_DEF-1"}))
        anna = tg.user("Anna")
        await tg.private(anna, "/start")
        await tg.private(anna, "/help")
        await tg.wait_until(lambda: True if len(server.received) == 2 else None, 5)
        assert [secret for secret, _ in server.received] == ["abc_DEF-1", "abc_DEF-1"]
        assert [u["message"]["text"] for _, u in server.received] == ["/start", "/help"]
        assert tg.pending_updates == 0
        info = await tg.call("getWebhookInfo", Params({}))
        assert info["url"] == url
        assert "last_error_message" not in info


async def test_a_refused_update_stays_and_is_retried(
    tg: BotApiEmulator, bot_server: tuple[BotServer, str]
) -> None:
    server, url = bot_server
    server.status = 500
    async with serve(tg):
        await tg.call("setWebhook", Params({"url": url}))
        anna = tg.user("Anna")
        await tg.private(anna, "/start")
        await tg.wait_until(lambda: True if len(server.received) >= 2 else None, 5)
        info = await tg.call("getWebhookInfo", Params({}))
        assert info["pending_update_count"] == 1
        assert info["last_error_message"] == "Wrong response from the webhook: 500"
        server.status = 200
        await tg.wait_until(lambda: True if tg.pending_updates == 0 else None, 5)
        assert server.received[-1][1]["message"]["text"] == "/start"
        assert server.received[-1][0] is None  # no secret was set


async def test_polling_conflicts_with_a_webhook_until_it_is_deleted(tg: BotApiEmulator) -> None:
    await tg.call("setWebhook", Params({"url": "https://example.org/hook"}))
    with pytest.raises(ApiError) as conflict:
        await tg.call("getUpdates", Params({}))
    assert conflict.value.code == 409
    with pytest.raises(ApiError):
        await tg.call(
            "setWebhook", Params({"url": "https://example.org/hook", "secret_token": "a b"})
        )
    await tg.call("deleteWebhook", Params({}))
    assert await tg.call("getUpdates", Params({})) == []


async def test_update_ids_can_start_where_an_earlier_run_stopped() -> None:
    tg = BotApiEmulator(first_update_id=5_000)
    update = await tg.push_update({"message": {}})
    assert update["update_id"] == 5_000


async def test_each_chat_waits_for_its_answer_while_other_chats_go_at_once(
    tg: BotApiEmulator,
) -> None:
    """As Telegram: several chats' updates are in flight together, but a chat's next update
    is POSTed only once the one before it was answered, so each chat's arrive in order."""
    open_now: dict[int, int] = {}
    peak = 0
    seen: dict[int, list[str]] = {}

    async def slow(request: web.Request) -> web.Response:
        nonlocal peak
        message = json.loads(await request.text())["message"]
        chat = message["chat"]["id"]
        open_now[chat] = open_now.get(chat, 0) + 1
        assert open_now[chat] == 1, "two updates of one chat were in flight together"
        peak = max(peak, sum(open_now.values()))
        await asyncio.sleep(0.05)
        seen.setdefault(chat, []).append(message["text"])
        open_now[chat] -= 1
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post("/hook", slow)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    try:
        async with serve(tg):
            await tg.call("setWebhook", Params({"url": url, "max_connections": 3}))
            people = [tg.user(f"Person {i}") for i in range(5)]
            for n in range(4):
                for person in people:
                    await tg.private(person, f"/help {n}")
            await tg.wait_until(lambda: True if tg.pending_updates == 0 else None, 10)
    finally:
        await runner.cleanup()
    assert peak == 3  # max_connections
    assert all(texts == [f"/help {n}" for n in range(4)] for texts in seen.values())
    assert len(seen) == 5
