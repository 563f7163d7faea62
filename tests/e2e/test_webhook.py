"""The real `villagebot run --webhook` process: it sets its webhook with the secret, the emulator
POSTs updates to it, an update with a wrong or no secret is refused, and polling is refused
while the webhook is set. Its log lines carry the update and community ids. Big bodies without
the secret do not reach its memory; every update it answered 200 is stored, even when the
process is killed right after."""

from __future__ import annotations

import asyncio
import hashlib
import re
import signal
import time
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select

from bot.db import Database
from bot.models import Idea, ProcessedUpdate
from bot.testing import ApiError, BotApiEmulator, Params
from bot.testing.webhook import post_update
from bot.wire.webhook import MAX_CONNECTIONS, SECRET_HEADER
from tests.e2e.process import villagebot
from tests.wire.test_webhook import command, free_port, raw_post

pytestmark = pytest.mark.e2e

SECRET = "s3cret-Village_token"


async def test_webhook_mode_end_to_end(
    tg: BotApiEmulator, api_url: str, tmp_path: Path, database_url: str
) -> None:
    anna = tg.user("Anna", language_code="en")
    janis = tg.user("Jānis", language_code="en")
    village = tg.group("Lejasciems", admins=[anna], members=[janis])
    port = free_port()
    url = f"http://127.0.0.1:{port}/villagebot"
    args = ("run", "--webhook", url, "--listen", "127.0.0.1", "--port", str(port))
    extra = {"TELEGRAM_WEBHOOK_SECRET": SECRET, "VILLAGEBOT_LANGUAGE": "en"}

    async with villagebot(tg, api_url, tmp_path, database_url, *args, extra=extra) as bot:
        set_webhook = await tg.wait_for(lambda c: c.method == "setWebhook" and c.ok, timeout=60)
        assert set_webhook.params["url"] == url
        assert set_webhook.params["secret_token"] == SECRET
        assert "chat_member" in str(set_webhook.params["allowed_updates"])
        assert int(set_webhook.params["max_connections"]) == 40
        assert not Params(set_webhook.params).flag("drop_pending_updates")

        cursor = tg.mark()
        await tg.add_bot(village, by=anna)
        greeting = await tg.next_message(village, after=cursor)
        assert greeting["text"].startswith("Hello, Lejasciems!")
        help_text = (await tg.ask(village, janis, "/help"))["text"]
        assert "/language" in help_text
        await tg.wait_until(lambda: True if tg.pending_updates == 0 else None, 10)

        # Someone who is not Telegram posts an update: refused, and the bot does nothing.
        forged = {
            "update_id": 900_000,
            "message": {
                "message_id": 900,
                "date": int(time.time()),
                "chat": village.to_api(),
                "from": janis.to_api(),
                "text": "/help",
                "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
            },
        }
        cursor = tg.mark()
        assert await post_update(url, forged, "not-the-secret") == 403
        assert await post_update(url, forged, None) == 403
        await asyncio.sleep(0.5)
        assert [c.method for c in tg.calls[cursor:]] == []
        # The same update with the right secret is taken.
        assert await post_update(url, forged, SECRET) == 200
        assert "/language" in (await tg.next_message(village, after=cursor))["text"]

        # Long polling is refused while the webhook is set, as Telegram does.
        with pytest.raises(ApiError) as conflict:
            await tg.call("getUpdates", Params({}))
        assert conflict.value.code == 409

        assert await bot.stop(signal.SIGTERM) == 0, bot.output()

    output = bot.output()
    assert "villagebot stopped" in output
    assert "Traceback" not in output
    handled = [line for line in output.splitlines() if "help_command handled" in line]
    assert len(handled) == 2
    assert all(re.search(r" update=\d+ community=\d+: ", line) for line in handled)


async def test_webhook_mode_needs_its_secret(
    tg: BotApiEmulator, api_url: str, tmp_path: Path, sqlite_url: str
) -> None:
    args = ("run", "--webhook", "https://example.org/villagebot")
    async with villagebot(tg, api_url, tmp_path, sqlite_url, *args) as bot:
        assert await asyncio.wait_for(bot.process.wait(), 60) == 2
    assert "TELEGRAM_WEBHOOK_SECRET is not set" in bot.output()
    assert tg.calls == []


def memory_kb(pid: int, field: str) -> int:
    """A line of /proc/<pid>/status, in kB (VmRSS: resident now; VmHWM: the peak of it)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(field)


async def test_big_bodies_without_the_secret_never_reach_the_bots_memory(
    tg: BotApiEmulator, api_url: str, tmp_path: Path, sqlite_url: str
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/villagebot"
    args = ("run", "--webhook", url, "--listen", "127.0.0.1", "--port", str(port))
    extra = {"TELEGRAM_WEBHOOK_SECRET": SECRET}
    async with villagebot(tg, api_url, tmp_path, sqlite_url, *args, extra=extra) as bot:
        await tg.wait_for(lambda c: c.method == "setWebhook" and c.ok, timeout=60)
        pid = bot.process.pid
        try:  # the peak starts over from here
            Path(f"/proc/{pid}/clear_refs").write_text("5")  # noqa: ASYNC240
        except OSError:
            pytest.skip("this kernel cannot reset a process's peak memory")
        before = memory_kb(pid, "VmRSS")
        five_mb = b'{"update_id": 1, "pad": "' + b"x" * (5 * 1024 * 1024) + b'"}'
        for secret in ("not-the-secret", None, "not-the-secret", "not-the-secret"):
            headers = {SECRET_HEADER: secret} if secret else {}
            # 403, or the connection closed under the body before the answer could be read.
            assert await raw_post(url, headers, five_mb) in (403, 0)
        # With the secret, a declared 5 MB is refused as too large, before it is sent.
        assert await raw_post(url, {SECRET_HEADER: SECRET}, b"{", declared=len(five_mb)) == 413
        peak = memory_kb(pid, "VmHWM")
        assert peak - before < 2048, f"grew from {before} kB to a peak of {peak} kB"
        assert await bot.stop(signal.SIGTERM) == 0, bot.output()
    assert "Traceback" not in bot.output()


def idea_text(number: int) -> str:
    """Texts no two of which look alike (the bot would ask whether a similar idea is meant)."""
    digest = hashlib.sha256(str(number).encode()).hexdigest()
    letters = "".join(chr(ord("a") + int(c, 16)) for c in digest)
    return " ".join(letters[i : i + 8] for i in range(0, 32, 8))


async def stored(database_url: str) -> tuple[set[int], list[str]]:
    """The update ids the bot recorded and the texts of its ideas."""
    database = Database(database_url)
    try:
        async with database.transaction() as session:
            ids = set(await session.scalars(select(ProcessedUpdate.update_id)))
            texts = list(await session.scalars(select(Idea.text)))
    finally:
        await database.dispose()
    return ids, texts


async def test_every_update_answered_200_is_stored_when_the_process_is_killed(
    tg: BotApiEmulator, api_url: str, tmp_path: Path, database_url: str
) -> None:
    """Telegram never sends again an update it got 200 for: 100 ideas posted as Telegram would
    (up to 40 requests at once), the process SIGKILLed after the 20th 200. Every acknowledged
    idea is in the database; the restarted bot takes the others, and nothing is stored twice."""
    anna = tg.user("Anna", language_code="en")
    village = tg.group("Lejasciems", admins=[anna])
    port = free_port()
    url = f"http://127.0.0.1:{port}/villagebot"
    args = ("run", "--webhook", url, "--listen", "127.0.0.1", "--port", str(port))
    extra = {"TELEGRAM_WEBHOOK_SECRET": SECRET, "VILLAGEBOT_LANGUAGE": "en"}
    texts = [idea_text(i) for i in range(100)]
    updates = [command(700_000 + i, tg, village, anna, f"/idea {t}") for i, t in enumerate(texts)]
    acknowledged: set[int] = set()
    kill_after = 20

    async with villagebot(tg, api_url, tmp_path, database_url, *args, extra=extra) as first:
        await tg.wait_for(lambda c: c.method == "setWebhook" and c.ok, timeout=60)
        cursor = tg.mark()
        await tg.add_bot(village, by=anna)
        await tg.next_message(village, after=cursor)
        enough = asyncio.Event()
        connector = aiohttp.TCPConnector(limit=MAX_CONNECTIONS)
        async with aiohttp.ClientSession(connector=connector) as session:

            async def post(update: dict[str, Any]) -> None:
                if await post_update(url, update, SECRET, session) == 200:
                    acknowledged.add(update["update_id"])
                    if len(acknowledged) >= kill_after:
                        enough.set()

            posting = [asyncio.create_task(post(update)) for update in updates]
            await asyncio.wait_for(enough.wait(), 60)
            first.process.kill()
            await first.process.wait()
            await asyncio.gather(*posting)
    assert kill_after <= len(acknowledged) < len(updates)

    ids, stored_texts = await stored(database_url)
    assert acknowledged <= ids
    by_id = {u["update_id"]: t for u, t in zip(updates, texts, strict=True)}
    assert {by_id[i] for i in acknowledged} <= set(stored_texts)

    # Telegram sends the unanswered updates again; here all of them, the answered ones too.
    restarted = tg.mark()
    async with villagebot(tg, api_url, tmp_path, database_url, *args, extra=extra) as second:
        await tg.wait_for(lambda c: c.method == "setWebhook" and c.ok, after=restarted, timeout=60)
        for update in updates:
            assert await post_update(url, update, SECRET) == 200
        assert await second.stop(signal.SIGTERM) == 0, second.output()
    ids, stored_texts = await stored(database_url)
    assert set(by_id) <= ids
    assert sorted(stored_texts) == sorted(texts)  # each idea once
