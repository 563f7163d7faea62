"""The real `villagebot run` process with the board on: long polling serves the board on its
own port (VILLAGEBOT_WEB_PORT), webhook mode on the webhook's port. The page answers, a signed
member gets the village's frame, an unsigned request 401; the group's welcome and /board carry
the bot's direct Mini App link, and the private chat's menu button opens the board."""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest

from bot.testing import BotApiEmulator, FakeUser, buttons
from bot.testing.board import signed
from tests.e2e.process import BotProcess, villagebot
from tests.wire.test_webhook import free_port, free_ports

pytestmark = pytest.mark.e2e

SECRET = "s3cret-Village_token"


async def _wait_listening(port: int, bot: BotProcess, timeout: float = 60) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        try:
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            assert bot.process.returncode is None, bot.output()
            assert loop.time() < deadline, bot.output()
            await asyncio.sleep(0.1)
            continue
        writer.close()
        await writer.wait_closed()
        return


async def _check_board(tg: BotApiEmulator, web_url: str, start: str, member: FakeUser) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{web_url}/board") as page:
            assert page.status == 200
            assert page.headers["Content-Type"].startswith("text/html")
            assert "board.js" in await page.text()
        frame_url = f"{web_url}/board/api/frame?start={start}"
        headers = {"Authorization": f"tma {signed(tg.token, member, start)}"}
        async with http.get(frame_url, headers=headers) as frame:
            assert frame.status == 200
            assert "Lejasciems" in await frame.text()
        async with http.get(frame_url) as unsigned:
            assert unsigned.status == 401


def _start_of(link: str) -> str:
    assert link.startswith("https://t.me/villagebot_test?startapp="), link
    return parse_qs(urlsplit(link).query)["startapp"][0]


async def test_the_board_with_long_polling(
    tg: BotApiEmulator, api_url: str, tmp_path: Path, database_url: str
) -> None:
    anna = tg.user("Anna", language_code="lv")
    janis = tg.user("Jānis", language_code="lv")
    village = tg.group("Lejasciems", admins=[anna], members=[janis])
    port = free_port()
    web_url = f"http://127.0.0.1:{port}"
    extra = {"VILLAGEBOT_WEB_URL": web_url, "VILLAGEBOT_WEB_PORT": str(port)}

    async with villagebot(tg, api_url, tmp_path, database_url, extra=extra) as bot:
        await tg.wait_for(lambda c: c.method == "deleteWebhook", timeout=60)
        await _wait_listening(port, bot)
        assert tg.menu_buttons[0]["web_app"] == {"url": f"{web_url}/board"}

        cursor = tg.mark()
        await tg.add_bot(village, by=anna)
        greeting = await tg.next_message(village, after=cursor)
        start = _start_of(buttons(greeting)[-1]["url"])
        assert start.startswith("v")
        reply = await tg.ask(village, janis, "/board")
        assert _start_of(buttons(reply)[0]["url"]) == start

        await _check_board(tg, web_url, start, janis)

        assert await bot.stop() == 0, bot.output()
        assert "serving the board on 127.0.0.1:" in bot.output()
        assert "Traceback" not in bot.output()


async def test_the_board_on_the_webhooks_port(
    tg: BotApiEmulator, api_url: str, tmp_path: Path, database_url: str
) -> None:
    """One server for both: VILLAGEBOT_WEB_PORT is not listened on in webhook mode."""
    anna = tg.user("Anna", language_code="lv")
    janis = tg.user("Jānis", language_code="lv")
    village = tg.group("Lejasciems", admins=[anna], members=[janis])
    port, unused = free_ports(2)
    web_url = f"http://127.0.0.1:{port}"
    url = f"{web_url}/villagebot"
    args = ("run", "--webhook", url, "--listen", "127.0.0.1", "--port", str(port))
    extra = {
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "VILLAGEBOT_WEB_URL": web_url,
        "VILLAGEBOT_WEB_PORT": str(unused),
    }

    async with villagebot(tg, api_url, tmp_path, database_url, *args, extra=extra) as bot:
        await tg.wait_for(lambda c: c.method == "setWebhook" and c.ok, timeout=60)
        cursor = tg.mark()
        await tg.add_bot(village, by=anna)
        greeting = await tg.next_message(village, after=cursor)
        start = _start_of(buttons(greeting)[-1]["url"])

        await _check_board(tg, web_url, start, janis)
        with pytest.raises(ConnectionRefusedError):
            await asyncio.open_connection("127.0.0.1", unused)

        assert await bot.stop() == 0, bot.output()
        assert "Traceback" not in bot.output()
