"""Live cards: many changes become few edits, and the last edit shows the latest state."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.testing import BotApiEmulator
from bot.wire.cards import CardContent, CardRefresher


@pytest.fixture
async def ptb(tg: BotApiEmulator, api_url: str) -> AsyncIterator[Bot]:
    async with Bot(tg.token, base_url=f"{api_url}/bot", request=HTTPXRequest()) as bot:
        yield bot


async def test_a_burst_of_changes_is_coalesced(tg: BotApiEmulator, ptb: Bot) -> None:
    alice = tg.user("Alice")
    await tg.private(alice, "/start")
    card = await ptb.send_message(alice.id, "Supports: 0")
    refresher = CardRefresher(interval=0.2)
    count = 0

    async def render() -> CardContent:
        return f"Supports: {count}", None

    for _ in range(30):
        count += 1
        refresher.refresh(ptb, alice.id, card.message_id, render)
        await asyncio.sleep(0.01)
    await refresher.drain()
    assert tg.bot_messages(alice)[-1]["text"] == "Supports: 30"
    assert 1 <= refresher.edits <= 3
    edits = [c for c in tg.calls if c.method == "editMessageText"]
    assert len(edits) == refresher.edits
    assert all(c.ok for c in edits)


async def test_a_card_with_nothing_to_show_is_left_alone(tg: BotApiEmulator, ptb: Bot) -> None:
    alice = tg.user("Alice")
    await tg.private(alice, "/start")
    card = await ptb.send_message(alice.id, "Idea #1")
    refresher = CardRefresher(interval=0.05)

    async def gone() -> CardContent:
        return None

    refresher.refresh(ptb, alice.id, card.message_id, gone)
    await refresher.drain()
    assert refresher.edits == 0
    assert tg.bot_messages(alice)[-1]["text"] == "Idea #1"
