"""Our webhook server: the secret is checked first and a request without it is refused with its
body unread; bodies over 1 MB are refused; a 200 comes only after the update is committed; a
repeated, unreadable or failing update ends without Telegram trying it for ever; a stop
finishes the update in hand and refuses the waiting ones."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import func, select
from yarl import URL

from bot.app import build_application, runtime_of
from bot.config import ConfigError
from bot.models import Idea, ProcessedUpdate
from bot.runtime import BotApplication
from bot.testing import BotApiEmulator, FakeChat, FakeUser, Params, settings_for
from bot.testing.webhook import post_update
from bot.wire.webhook import MAX_BODY, MAX_CONNECTIONS, SECRET_HEADER, WebhookServer, serving

SECRET = "s3cret-Village_token"
PATH = "/villagebot"


def free_port() -> int:
    return free_ports(1)[0]


def free_ports(count: int) -> list[int]:
    """`count` different free ports: each probe stays bound until all are chosen (one after
    another, the system may give the same port twice)."""
    with contextlib.ExitStack() as stack:
        probes = [stack.enter_context(socket.socket()) for _ in range(count)]
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [int(probe.getsockname()[1]) for probe in probes]


@asynccontextmanager
async def webhook_bot(
    tg: BotApiEmulator, api_url: str, database_url: str
) -> AsyncIterator[tuple[BotApplication, WebhookServer, str]]:
    """The bot serving its webhook in this loop, as `villagebot run --webhook` does; the
    emulator POSTs its updates to it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}{PATH}"
    settings = settings_for(tg, api_url, database_url, {"TELEGRAM_WEBHOOK_SECRET": SECRET})
    app = build_application(settings, batched_commits=False)
    async with serving(app, url=url, secret=SECRET, port=port, path=PATH) as server:
        yield app, server, url


def command(
    update_id: int, tg: BotApiEmulator, where: FakeChat | FakeUser, sender: FakeUser, text: str
) -> dict[str, Any]:
    """An update with a command, as Telegram would POST it (not queued in the emulator)."""
    name = text.split()[0]
    chat = where.private_chat if isinstance(where, FakeUser) else where.to_api()
    message = tg.store(
        {
            "message_id": tg.next_message_id(chat["id"]),
            "date": int(time.time()),
            "chat": chat,
            "from": sender.to_api(),
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(name)}],
        }
    )
    return {"update_id": update_id, "message": dict(message)}


async def raw_post(
    url: str, headers: dict[str, str], body: bytes, *, declared: int | None = None
) -> int:
    """Send a POST's head and `body`, declaring `declared` bytes (default: len(body)), and
    return the status the server answers without waiting for the rest of the body (0 when it
    closed the connection under a body it did not read before the answer could be read)."""
    parts = URL(url)
    reader, writer = await asyncio.open_connection(parts.host, parts.port)
    length = len(body) if declared is None else declared
    head = [f"POST {parts.path} HTTP/1.1", f"Host: {parts.host}", f"Content-Length: {length}"]
    head += [f"{name}: {value}" for name, value in headers.items()]
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
    try:
        status_line = await asyncio.wait_for(reader.readline(), 5)
    except ConnectionError:
        return 0
    finally:
        writer.close()
    return int(status_line.split()[1]) if status_line else 0


async def idea_count(app: BotApplication) -> int:
    async with runtime_of(app).db.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(Idea)) or 0)


async def test_a_request_without_the_secret_is_refused_before_its_body_is_read(
    tg: BotApiEmulator, api_url: str, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[int] = []
    real_read = web.BaseRequest.read

    async def counted(request: web.BaseRequest) -> bytes:
        if request.path == PATH:  # the emulator's own server reads its requests too
            reads.append(1)
        return await real_read(request)

    monkeypatch.setattr(web.BaseRequest, "read", counted)
    async with webhook_bot(tg, api_url, sqlite_url) as (_app, server, url):
        started = tg.mark()
        five_mb = 5 * 1024 * 1024
        # The head and a first kilobyte of a 5 MB body: answered without waiting for the rest.
        wrong = {SECRET_HEADER: "not-the-secret", "Content-Type": "application/json"}
        assert await raw_post(url, wrong, b"{" + b" " * 1023, declared=five_mb) == 403
        assert await raw_post(url, {}, b"{" + b" " * 1023, declared=five_mb) == 403
        # A secret that is the right one with more after it, or non-ASCII, is wrong too.
        assert await raw_post(url, {SECRET_HEADER: SECRET + "x"}, b"{}") == 403
        assert await raw_post(url, {SECRET_HEADER: "šķ"}, b"{}") == 403
        # The whole 5 MB sent: refused all the same, the connection closed under it.
        assert await post_update(url, {"update_id": 1, "pad": "x" * five_mb}, "nope") in (403, 0)
        assert reads == []
        assert server.processed == 0
        assert tg.calls[started:] == []
        # The right secret: read and taken.
        assert await post_update(url, {"update_id": 1}, SECRET) == 200
        assert reads == [1]


async def test_a_body_over_one_megabyte_is_refused(
    tg: BotApiEmulator, api_url: str, sqlite_url: str
) -> None:
    async with webhook_bot(tg, api_url, sqlite_url) as (_app, server, url):
        headers = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}
        # Declared too long: refused at once, the body unread.
        assert await raw_post(url, headers, b"{", declared=MAX_BODY + 1) == 413

        # No length declared (chunked): reading stops at the limit.
        async def chunks() -> AsyncIterator[bytes]:
            yield b'{"update_id": 5, "pad": "'
            for _ in range(20):
                yield b"x" * 65536
            yield b'"}'

        async with aiohttp.ClientSession() as session:
            try:
                async with session.post(url, data=chunks(), headers=headers) as response:
                    status = response.status
            except aiohttp.ClientError:
                status = 0  # the server closed the connection while the body was still coming
        assert status in (413, 0)
        assert server.processed == 0
        # Just under the limit is an update like any other.
        padded = {"update_id": 6, "pad": "x" * (MAX_BODY - 100)}
        assert await post_update(url, padded, SECRET) == 200
        assert server.processed == 1


async def test_the_200_comes_after_the_update_is_committed(
    tg: BotApiEmulator, api_url: str, sqlite_url: str
) -> None:
    anna = tg.user("Anna", language_code="en")
    village = tg.group("Lejasciems", admins=[anna])
    async with webhook_bot(tg, api_url, sqlite_url) as (app, _server, url):
        set_webhook = await tg.wait_for(lambda c: c.method == "setWebhook" and c.ok)
        assert set_webhook.params["url"] == url
        assert set_webhook.params["secret_token"] == SECRET
        assert int(set_webhook.params["max_connections"]) == MAX_CONNECTIONS
        assert not Params(set_webhook.params).flag("drop_pending_updates")
        assert "chat_member" in str(set_webhook.params["allowed_updates"])
        cursor = tg.mark()
        await tg.add_bot(village, by=anna)  # delivered by the emulator through the webhook
        await tg.next_message(village, after=cursor)

        update = command(800_001, tg, village, anna, "/idea A bench by the pond")
        assert await post_update(url, update, SECRET) == 200
        async with runtime_of(app).db.transaction() as session:
            assert await session.get(ProcessedUpdate, 800_001) is not None
            assert await session.scalar(select(Idea.text)) == "A bench by the pond"

        # Telegram sends it again (say its answer was lost): 200, nothing done twice.
        assert await post_update(url, update, SECRET) == 200
        assert await idea_count(app) == 1


async def test_what_is_no_update_gets_400_and_a_failing_update_200(
    tg: BotApiEmulator,
    api_url: str,
    sqlite_url: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with webhook_bot(tg, api_url, sqlite_url) as (app, server, url):
        headers = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}
        assert await raw_post(url, headers, b'{"update_id": 1,') == 400
        assert await raw_post(url, headers, b"\xff\xfe") == 400
        assert await raw_post(url, headers, b"[1, 2]") == 400
        assert await raw_post(url, headers, b'{"update_id": "7"}') == 400
        assert server.processed == 0

        # A bug while processing: logged, and answered 200 so that Telegram does not send the
        # update again for ever (the polling loop confirms such an update too).
        async def broken(_update: object) -> None:
            raise RuntimeError("a bug")

        monkeypatch.setattr(app, "process_update", broken)
        with caplog.at_level(logging.ERROR, logger="bot.wire.polling"):
            assert await post_update(url, {"update_id": 9}, SECRET) == 200
        assert "processing update 9 failed" in caplog.text


async def test_a_stop_finishes_the_update_in_hand_and_refuses_the_waiting_ones(
    tg: BotApiEmulator, api_url: str, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = tg.user("Ilze")
    entered, release = asyncio.Event(), asyncio.Event()
    async with webhook_bot(tg, api_url, sqlite_url) as (app, server, url):
        original = app.process_update

        async def held(update: object) -> None:
            entered.set()
            await release.wait()
            await original(update)

        monkeypatch.setattr(app, "process_update", held)

        def help_update(update_id: int) -> dict[str, Any]:
            return command(update_id, tg, person, person, "/help")

        first = asyncio.create_task(
            post_update(url, command(1, tg, person, person, "/help"), SECRET)
        )
        await asyncio.wait_for(entered.wait(), 10)
        second = asyncio.create_task(
            post_update(url, command(2, tg, person, person, "/help"), SECRET)
        )
        await asyncio.sleep(0.2)  # the second waits for its turn
        server.request_stop()
        release.set()
    assert await first == 200
    assert await second == 503  # not processed: Telegram sends it again
    assert server.processed == 1
    # The first one's answer went out before the bot stopped.
    assert [c.method for c in tg.calls if c.method == "sendMessage"] == ["sendMessage"]


async def test_a_port_in_use_is_refused_in_one_sentence(
    tg: BotApiEmulator, api_url: str, sqlite_url: str
) -> None:
    settings = settings_for(tg, api_url, sqlite_url, {"TELEGRAM_WEBHOOK_SECRET": SECRET})
    app = build_application(settings, batched_commits=False)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ConfigError, match=f"cannot listen on 127.0.0.1:{port}"):
            async with serving(app, url="http://127.0.0.1/x", secret=SECRET, port=port):
                pass
    assert [c.method for c in tg.calls if c.method == "setWebhook"] == []
