from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from bot.db import Database
from bot.models import SentOnce
from bot.services import once


async def test_a_key_is_claimed_once(db: Database) -> None:
    async with db.transaction() as session:
        assert await once.claim(session, "digest:1:2026-11")
        assert not await once.claim(session, "digest:1:2026-11")
    async with db.transaction() as session:
        assert not await once.claim(session, "digest:1:2026-11")
        assert await once.claim(session, "digest:1:2026-12")


async def test_a_lost_race_leaves_the_transaction_usable(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with db.transaction() as session:
        await once.claim(session, "poll-close:7")

    async def looks_free(_session: object, _key: str) -> bool:
        return False  # another process claimed it between our check and our insert

    monkeypatch.setattr(once, "was_claimed", looks_free)
    async with db.transaction() as session:
        assert not await once.claim(session, "poll-close:7")
        assert await once.claim(session, "poll-close:8")
    async with db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(SentOnce)) == 2


async def test_two_workers_running_the_same_job_send_once(db: Database) -> None:
    """Every worker of a region runs every scheduled job: both claim the reminder's key at
    once; the second waits for the first one's commit and gets False."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("several workers share a PostgreSQL database")

    async def other_worker() -> bool:
        async with db.transaction() as session:
            return await once.claim(session, "meeting-reminder:3:3600")

    async with db.transaction() as session:
        assert await once.claim(session, "meeting-reminder:3:3600")
        second = asyncio.create_task(other_worker())
        await asyncio.sleep(0.3)
        assert not second.done()  # it waits for this transaction
    assert not await asyncio.wait_for(second, 5)
