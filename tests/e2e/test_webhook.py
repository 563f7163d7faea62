"""The real `villagebot run --webhook` process: it sets its webhook with the secret, the emulator
POSTs updates to it, an update with a wrong or no secret is refused, and polling is refused
while the webhook is set. Its log lines carry the update and community ids."""

from __future__ import annotations

import asyncio
import re
import signal
import socket
import time
from pathlib import Path

import pytest

from bot.testing import ApiError, BotApiEmulator, Params
from bot.testing.webhook import post_update
from tests.e2e.process import villagebot

pytestmark = pytest.mark.e2e

SECRET = "s3cret-Village_token"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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
