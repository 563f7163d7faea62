"""Telegram delivers again every update the bot has not confirmed, and the outbox keeps every
answer the bot has not sent. The real process is killed right after it committed an update —
while its answer was on its way, or after answering but before confirming — and started
again: the answer goes once, and an update that comes again changes nothing twice."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.db import Database
from bot.models import Idea, IdeaSupport, OutboxMessage
from bot.testing import BotApiEmulator, FakeChat, FakeUser, Params, buttons
from tests.e2e.process import BotProcess, villagebot

pytestmark = [pytest.mark.e2e, pytest.mark.faults]

IDEA = "/idea Jauns rotaļu laukums pie skolas"


class Crash:
    """Holds the bot at one Bot API call, as if the process died there: the call never ends."""

    def __init__(self, method: str, *, offset_above: int = 0) -> None:
        self.method = method
        self.offset_above = offset_above
        self.reached = asyncio.Event()

    async def __call__(self, method: str, params: Params) -> None:
        if method != self.method:
            return
        if method == "getUpdates" and (params.integer("offset", 0) or 0) <= self.offset_above:
            return
        self.reached.set()
        await asyncio.Event().wait()


async def _ready(tg: BotApiEmulator, bot: BotProcess, cursor: int) -> None:
    await tg.wait_for(lambda c: c.method == "deleteWebhook", after=cursor, timeout=60)


async def _count(database_url: str, model: Any) -> int:
    database = Database(database_url)
    try:
        async with database.transaction() as session:
            return int(await session.scalar(select(func.count()).select_from(model)) or 0)
    finally:
        await database.dispose()


async def _village(tg: BotApiEmulator) -> tuple[FakeChat, FakeUser, FakeUser]:
    anna = tg.user("Anna", language_code="lv")
    janis = tg.user("Jānis", language_code="lv")
    chat = tg.group("Lejasciems", admins=[anna], members=[janis])
    cursor = tg.mark()
    await tg.add_bot(chat, by=anna)
    await tg.next_message(chat, after=cursor)
    return chat, anna, janis


async def _restarted(
    tg: BotApiEmulator,
    api_url: str,
    tmp_path: Path,
    database_url: str,
    chat: FakeChat,
    janis: FakeUser,
) -> tuple[BotProcess, dict[str, Any], int]:
    """Start the bot again, let it take what Telegram kept, and ask for the ideas; the stopped
    process, the list and the cursor of the restart."""
    restart = tg.mark()
    async with villagebot(tg, api_url, tmp_path, database_url) as bot:
        await _ready(tg, bot, restart)
        await tg.wait_until(lambda: True if tg.pending_updates == 0 else None, 30)
        listed = await tg.ask(chat, janis, "/ideas")
        assert await bot.stop() == 0, bot.output()
    return bot, listed, restart


def _cards(tg: BotApiEmulator, chat: FakeChat, after: int) -> list[Any]:
    return [
        c
        for c in tg.calls[after:]
        if c.ok and c.method == "sendMessage" and str(c.params["chat_id"]) == str(chat.id)
    ]


async def _outbox_empty(database_url: str) -> bool | None:
    return True if await _count(database_url, OutboxMessage) == 0 else None


async def test_killed_while_posting_the_card_nothing_is_stored_or_shown_twice(
    tg: BotApiEmulator, api_url: str, tmp_path: Path, database_url: str
) -> None:
    """The card's call was on its way when the process died. Telegram may have it (here it
    does not), so the next start does not send it again: it says so in the log. Whether or
    not the update was confirmed meanwhile, the idea is stored once and listed."""
    async with villagebot(tg, api_url, tmp_path, database_url) as bot:
        await _ready(tg, bot, 0)
        chat, _anna, janis = await _village(tg)
        await tg.settle(quiet=0.3)
        cursor = tg.mark()
        crash = Crash("sendMessage")
        tg.faults.append(crash)
        await tg.send(chat, janis, IDEA)
        await asyncio.wait_for(crash.reached.wait(), 30)
        assert await bot.stop(signal.SIGKILL) == -signal.SIGKILL
        tg.faults.remove(crash)
    assert _cards(tg, chat, cursor) == []
    assert await _count(database_url, OutboxMessage) == 1

    bot, listed, restart = await _restarted(tg, api_url, tmp_path, database_url, chat, janis)
    assert "1 messages were on their way to Telegram when a sender stopped" in bot.output()
    assert await _count(database_url, Idea) == 1
    assert [c for c in _cards(tg, chat, restart) if c.result["text"].startswith("💡")] == []
    assert "#1" in listed["text"]
    assert "#2" not in listed["text"]
    assert await _count(database_url, OutboxMessage) == 0


async def test_killed_before_confirming_the_update_comes_again_and_changes_nothing(
    tg: BotApiEmulator, api_url: str, tmp_path: Path, database_url: str
) -> None:
    """Committed, its card posted (the outbox empty), then killed while asking for the next
    updates, which would have confirmed it: Telegram delivers it again and it is skipped."""
    async with villagebot(tg, api_url, tmp_path, database_url) as bot:
        await _ready(tg, bot, 0)
        chat, _anna, janis = await _village(tg)
        await tg.settle(quiet=0.3)
        cursor = tg.mark()
        crash = Crash("getUpdates", offset_above=tg.history[-1]["update_id"] + 1)
        tg.faults.append(crash)
        await tg.send(chat, janis, IDEA)
        update_id = tg.history[-1]["update_id"]
        await asyncio.wait_for(crash.reached.wait(), 30)
        await tg.wait_for(lambda c: c.ok and c.method == "sendMessage", after=cursor)
        for _ in range(300):
            if await _outbox_empty(database_url):
                break
            await asyncio.sleep(0.01)
        assert await bot.stop(signal.SIGKILL) == -signal.SIGKILL
        tg.faults.remove(crash)
    assert len(_cards(tg, chat, cursor)) == 1
    assert tg.pending_updates == 1  # not confirmed: Telegram delivers it again

    bot, listed, restart = await _restarted(tg, api_url, tmp_path, database_url, chat, janis)
    assert f"update={update_id}: update was processed before; skipped" in bot.output()
    assert await _count(database_url, Idea) == 1
    assert "#1" in listed["text"]
    assert "#2" not in listed["text"]
    assert [c for c in _cards(tg, chat, restart) if c.result["text"].startswith("💡")] == []


async def test_a_support_pressed_once_counts_once(
    tg: BotApiEmulator, api_url: str, tmp_path: Path, database_url: str
) -> None:
    async with villagebot(tg, api_url, tmp_path, database_url) as bot:
        await _ready(tg, bot, 0)
        chat, anna, janis = await _village(tg)
        card = await tg.ask(chat, janis, IDEA)
        support = next(b["callback_data"] for b in buttons(card) if b["text"].startswith("👍"))
        await tg.settle(quiet=0.3)
        await tg.press_data(card, support, anna)
        crash = Crash("answerCallbackQuery")
        tg.faults.append(crash)
        await asyncio.wait_for(crash.reached.wait(), 30)
        assert await bot.stop(signal.SIGKILL) == -signal.SIGKILL
        tg.faults.remove(crash)

    restart = tg.mark()
    async with villagebot(tg, api_url, tmp_path, database_url) as bot:
        await _ready(tg, bot, restart)
        await tg.wait_until(lambda: True if tg.pending_updates == 0 else None, 30)
        shown = await tg.ask(chat, janis, "/idea 1")
        assert await bot.stop() == 0, bot.output()
    # Pressed once: supported once (a second run of the press would have taken it back).
    assert await _count(database_url, IdeaSupport) == 1
    assert "👍 1 atbalsts" in shown["text"]
