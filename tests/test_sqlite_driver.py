"""SQLite on the event loop's thread: statements work as through aiosqlite, another program's
write lock is waited out without blocking the loop, and long database work lets others run."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from bot import sqlite_driver
from bot.db import Database


@pytest.fixture
async def database(tmp_path: Path) -> Database:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'driver.db'}")
    async with db.transaction() as session:
        await session.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    return db


async def test_statements_rows_and_rollback(database: Database) -> None:
    async with database.transaction() as session:
        await session.execute(text("INSERT INTO notes (body) VALUES ('a'), ('b')"))

    async def fail_midway() -> None:
        async with database.transaction() as session:
            await session.execute(text("INSERT INTO notes (body) VALUES ('lost')"))
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        await fail_midway()
    async with database.transaction() as session:
        rows = (await session.execute(text("SELECT body FROM notes ORDER BY id"))).all()
    assert [row.body for row in rows] == ["a", "b"]
    await database.dispose()


async def test_a_held_write_lock_is_waited_out_while_the_loop_runs(
    database: Database, tmp_path: Path
) -> None:
    locked, release = threading.Event(), threading.Event()

    def hold_lock() -> None:
        other = sqlite3.connect(tmp_path / "driver.db", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO notes (body) VALUES ('other')")
        locked.set()
        release.wait()
        other.execute("COMMIT")
        other.close()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    locked.wait()
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    ticker = asyncio.create_task(tick())
    asyncio.get_running_loop().call_later(0.5, release.set)
    started = time.monotonic()
    async with database.transaction() as session:
        await session.execute(text("INSERT INTO notes (body) VALUES ('mine')"))
    waited = time.monotonic() - started
    ticker.cancel()
    holder.join()
    async with database.transaction() as session:
        bodies = set((await session.scalars(text("SELECT body FROM notes"))).all())
    assert bodies == {"other", "mine"}
    assert waited >= 0.45
    assert ticks >= 20  # the loop kept running while the insert waited
    await database.dispose()


async def test_long_database_work_lets_other_tasks_run(database: Database) -> None:
    seen: list[float] = []

    async def other() -> None:
        seen.append(time.monotonic())

    started = time.monotonic()
    async with database.transaction() as session:
        waiting = asyncio.ensure_future(other())  # ready: runs at the database work's first pause
        # Long enough that "at the end" and "at the first pause" stay apart on a busy machine.
        while time.monotonic() - started < 40 * sqlite_driver.FAIR_SHARE:
            await session.execute(text("SELECT count(*) FROM notes"))
    assert seen, "the other task never ran during the database work"
    await waiting
    assert seen[0] - started < 10 * sqlite_driver.FAIR_SHARE
    await database.dispose()
