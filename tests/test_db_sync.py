"""Batched commits: SQLite syncs to the disk when the bot says so, not at every commit of an
update; every other transaction is durable when it ends, as with a sync at every commit."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from bot import db as db_module
from bot.db import Database
from bot.models import Base, User


async def _database(tmp_path: Path, *, batched: bool) -> Database:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'v.db'}", batched_commits=batched)
    async with database.engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    return database


def _count_syncs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    synced: list[int] = []
    real = db_module.os.fsync

    def fsync(descriptor: int) -> None:
        synced.append(descriptor)
        real(descriptor)

    monkeypatch.setattr(db_module.os, "fsync", fsync)
    return synced


async def _synchronous(database: Database) -> int:
    async with database.transaction() as session:
        return int((await session.execute(text("PRAGMA synchronous"))).scalar_one())


async def test_batched_commits_sync_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = await _database(tmp_path, batched=True)
    try:
        assert await _synchronous(database) == 1  # NORMAL: a commit does not wait for the disk
        synced = _count_syncs(monkeypatch)
        async with database.transaction(sync=False) as session:  # an update's
            session.add(User(telegram_id=1, first_name="Ilze"))
        assert synced == []
        database.sync()  # the polling loop, before it confirms the batch
        assert len(synced) == 1
        async with database.transaction() as session:  # a job's, or anything else
            await session.execute(text("UPDATE users SET first_name = 'Ilze B.'"))
        assert len(synced) == 2
    finally:
        await database.dispose()


async def test_without_batching_every_commit_is_synced_by_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = await _database(tmp_path, batched=False)
    try:
        assert await _synchronous(database) == 2  # FULL
        synced = _count_syncs(monkeypatch)
        async with database.transaction() as session:
            await session.execute(text("SELECT 1"))
        database.sync()
        assert synced == []
    finally:
        await database.dispose()


def test_only_a_sqlite_file_has_a_log_to_sync() -> None:
    assert db_module._sqlite_log("sqlite+aiosqlite:////srv/v.db") == "/srv/v.db-wal"
    assert db_module._sqlite_log("sqlite+aiosqlite://") is None
    assert db_module._sqlite_log("postgresql+asyncpg://u@h/villagebot") is None
    Database("sqlite+aiosqlite:///" + "/nonexistent/dir/v.db", batched_commits=True).sync()
