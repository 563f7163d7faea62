from __future__ import annotations

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
