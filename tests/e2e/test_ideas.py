"""The real process: an idea submitted, supported twice and unsupported once in the chat and
once on the village board, accepted and done; the author hears of it privately; after a
restart the counts are still right."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bot.testing import BotApiEmulator, buttons
from bot.testing.board import BoardClient
from tests.e2e.process import villagebot
from tests.wire.test_webhook import free_port

pytestmark = pytest.mark.e2e


async def _card(tg: BotApiEmulator, card: dict[str, Any]) -> dict[str, Any]:
    await tg.settle(quiet=0.5)
    return tg.message(card["chat"]["id"], card["message_id"])


async def test_ideas_end_to_end(
    tg: BotApiEmulator, api_url: str, tmp_path: Path, database_url: str
) -> None:
    leader = tg.user("Anna", language_code="lv")
    author = tg.user("Jānis", language_code="lv")
    neighbour = tg.user("Ilze", language_code="lv")
    village = tg.group("Lejasciems", admins=[leader], members=[author, neighbour])
    port = free_port()
    extra = {
        "VILLAGEBOT_CARD_EDIT_SECONDS": "0.3",
        "VILLAGEBOT_WEB_URL": "https://board.example.org",
        "VILLAGEBOT_WEB_PORT": str(port),
    }

    async with villagebot(tg, api_url, tmp_path, database_url, extra=extra) as bot:
        await tg.wait_for(lambda c: c.method == "deleteWebhook", timeout=60)
        cursor = tg.mark()
        await tg.add_bot(village, by=leader)
        await tg.next_message(village, after=cursor)
        await tg.ask(author, author, "/start")

        card = await tg.ask(village, author, "/idea Jauns rotaļu laukums pie skolas")
        assert card["text"].startswith("💡 Ideja #1")
        await tg.answer_of(await tg.press(card, "🏷 Infrastruktūra", author))
        await tg.answer_of(await tg.press(card, "👍", neighbour))
        await tg.answer_of(await tg.press(card, "👍", leader))
        await tg.answer_of(await tg.press(card, "👍", neighbour))
        card = await _card(tg, card)
        assert "👍 1 atbalsts" in card["text"]
        assert buttons(card)[0]["text"] == "👍 Atbalstīt (1)"

        # The author supports it on the board too: the group's card counts it.
        async with BoardClient(f"http://127.0.0.1:{port}", tg.token) as board:
            frame = await board.get(author, "/board/api/frame")
            opened = re.search(r'data-village="(\d+)"', frame.text)
            assert opened is not None, frame.text
            path = f"/board/api/v/{opened[1]}/ideas/1/support"
            assert (await board.post(author, path)).status == 200
        card = await _card(tg, card)
        assert "👍 2 atbalsti" in card["text"]

        cursor = tg.mark()
        accepted = await tg.ask(village, leader, "/status 1 accepted")
        assert accepted["text"].startswith("✅ Darba grupa pieņēma ideju #1")
        notice = await tg.next_message(author, after=cursor)
        assert notice["text"].endswith("tagad: Pieņemta.")
        cursor = tg.mark()
        done = await tg.ask(village, leader, "/status 1 done")
        assert done["text"].startswith("🎉 Ideja #1 ir īstenota")
        assert "un 1 iedzīvotājam" in done["text"]
        notice = await tg.next_message(author, after=cursor)
        assert notice["text"].endswith("tagad: Īstenota.")
        assert await bot.stop() == 0, bot.output()

    restart = tg.mark()
    async with villagebot(tg, api_url, tmp_path, database_url, extra=extra) as bot:
        await tg.wait_for(lambda c: c.method == "deleteWebhook", after=restart, timeout=60)
        detail = await tg.ask(village, neighbour, "/idea 1")
        assert "👍 2 atbalsti" in detail["text"]
        assert "Statuss: Īstenota" in detail["text"]
        await tg.answer_of(await tg.press(card, "👍", neighbour))
        card = await _card(tg, card)
        assert "👍 3 atbalsti" in card["text"]
        assert await bot.stop() == 0, bot.output()
