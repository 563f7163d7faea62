from __future__ import annotations

from datetime import timedelta

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
