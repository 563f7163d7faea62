"""Another program holds SQLite's write lock for a few seconds (a backup tool, a hand-run
query): the residents' updates wait for it and then succeed, none lost, each answered once."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import runtime_of
from bot.models import Idea
from bot.runtime import BotApplication
from bot.testing import BotApiEmulator, running_bot, settings_for

pytestmark = pytest.mark.faults

HOLD = 3.0
IDEAS = (
    "Jauns rotaļu laukums pie skolas",
    "Apgaismojums gar upes taku",
    "Velosipēdu novietne pie veikala",
    "Soliņi parkā pie baznīcas",
    "Nojume autobusa pieturā",
)


@pytest.fixture
async def sqlite_bot(
    tg: BotApiEmulator, api_url: str, tmp_path: Path
) -> AsyncIterator[BotApplication]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'busy.db'}"
    async with running_bot(settings_for(tg, api_url, url)) as app:
        yield app


def _hold_write_lock(path: Path, seconds: float, taken: threading.Event) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")  # the write lock, until COMMIT
        taken.set()
        time.sleep(seconds)
        connection.execute("COMMIT")
    finally:
        connection.close()


async def test_updates_wait_for_the_lock_and_succeed(
    tg: BotApiEmulator, sqlite_bot: BotApplication, tmp_path: Path
) -> None:
    anna = tg.user("Anna")
    people = [tg.user(f"Iedzīvotājs {n}") for n in range(len(IDEAS))]
    village = tg.group("Lejasciems", admins=[anna], members=people)
    cursor = tg.mark()
    await tg.add_bot(village, by=anna)
    await tg.next_message(village, after=cursor)
    await tg.settle(quiet=0.3)

    taken = threading.Event()
    holder = asyncio.create_task(
        asyncio.to_thread(_hold_write_lock, tmp_path / "busy.db", HOLD, taken)
    )
    await asyncio.to_thread(taken.wait, 10)
    locked_at = time.monotonic()
    cursor = tg.mark()
    for person, idea in zip(people, IDEAS, strict=True):
        await tg.send(village, person, f"/idea {idea}")
    await holder
    released_at = time.monotonic()
    await tg.settle(quiet=0.5, timeout=30)

    cards = [
        c
        for c in tg.calls[cursor:]
        if c.ok and c.method == "sendMessage" and c.result["text"].startswith("💡")
    ]
    assert len(cards) == len(IDEAS)
    assert all(idea in c.result["text"] for idea, c in zip(IDEAS, cards, strict=True))
    # Nothing was answered while the lock was held: the updates waited for it.
    assert min(c.at for c in cards) >= released_at - 0.2
    assert released_at - locked_at >= HOLD - 0.1
    async with runtime_of(sqlite_bot).db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Idea)) == len(IDEAS)
