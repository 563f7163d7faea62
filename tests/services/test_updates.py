from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from typing import Any

import pytest
import time_machine

from bot.db import Database
from bot.models import utcnow
from bot.services import updates


async def test_an_update_is_claimed_once(db: Database) -> None:
    async with db.transaction() as session:
        assert await updates.claim_update(session, 41)
    async with db.transaction() as session:
        assert not await updates.claim_update(session, 41)
        assert await updates.claim_update(session, 42)


async def test_a_rolled_back_claim_is_not_kept(db: Database) -> None:
    class Boom(Exception):
        pass

    try:
        async with db.transaction() as session:
            await updates.claim_update(session, 41)
            raise Boom
    except Boom:
        pass
    async with db.transaction() as session:
        assert await updates.claim_update(session, 41)


async def test_old_claims_are_pruned(db: Database) -> None:
    with time_machine.travel(utcnow() - timedelta(days=3), tick=False):
        async with db.transaction() as session:
            await updates.claim_update(session, 1)
    async with db.transaction() as session:
        await updates.claim_update(session, 2)
        assert await updates.prune_processed(session, utcnow() - timedelta(days=2)) == 1
        assert await updates.claim_update(session, 1)
        assert not await updates.claim_update(session, 2)


def _postgres_only(db: Database) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("several workers share a PostgreSQL database")


async def _still_waiting(task: asyncio.Task[Any]) -> bool:
    await asyncio.sleep(0.3)
    return not task.done()


@pytest.mark.parametrize("first_commits", [True, False])
async def test_two_workers_given_the_same_update_run_it_once(
    db: Database, first_commits: bool
) -> None:
    """Telegram sends an update again (the first worker was slow to answer) and the load
    balancer hands it to another worker: that one waits for the first one's transaction, and
    runs the update only if the first one's was rolled back."""
    _postgres_only(db)

    async def second_worker() -> bool:
        async with db.transaction() as session:
            return await updates.claim_update(session, 77)

    class Crash(Exception):
        pass

    with contextlib.suppress(Crash):
        async with db.transaction() as session:
            assert await updates.claim_update(session, 77)
            second = asyncio.create_task(second_worker())
            assert await _still_waiting(second)
            if not first_commits:
                raise Crash
    assert await asyncio.wait_for(second, 5) is not first_commits


async def test_updates_of_one_chat_wait_for_each_other(db: Database) -> None:
    """Two workers with updates of the same chat apply them one after the other; another
    chat's update does not wait."""
    _postgres_only(db)

    async def worker(chat_id: int, update_id: int) -> None:
        async with db.transaction() as session:
            assert await updates.claim_update(session, update_id)
            await updates.hold_chat(session, chat_id)

    async with db.transaction() as session:
        assert await updates.claim_update(session, 1)
        await updates.hold_chat(session, -100123)
        same_chat = asyncio.create_task(worker(-100123, 2))
        other_chat = asyncio.create_task(worker(-100456, 3))
        await asyncio.wait_for(other_chat, 5)
        assert await _still_waiting(same_chat)
    await asyncio.wait_for(same_chat, 5)


async def test_holding_a_chat_on_sqlite_does_nothing(db: Database) -> None:
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    async with db.transaction() as session:
        await updates.hold_chat(session, -100123)
        await updates.hold_chat(session, -100123)
