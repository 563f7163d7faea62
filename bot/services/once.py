"""Send-at-most-once claims for scheduled messages (see bot.models.delivery.SentOnce)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import SentOnce

CHUNK = 500  # keys per query (SQLite allows 32,766 parameters; PostgreSQL 65,535)


async def claim(session: AsyncSession, key: str) -> bool:
    """True when this caller may send the message named `key`; False when it was claimed before.

    The claim only holds once the caller's transaction commits, so commit before sending.
    """
    if await was_claimed(session, key):
        return False
    try:
        async with session.begin_nested():
            session.add(SentOnce(key=key))
    except IntegrityError:
        return False
    return True


async def was_claimed(session: AsyncSession, key: str) -> bool:
    return await session.scalar(select(SentOnce.key).where(SentOnce.key == key)) is not None


async def claimed_among(session: AsyncSession, keys: Collection[str]) -> set[str]:
    """Which of `keys` were claimed: one query per CHUNK keys, however many there are."""
    ordered = sorted(set(keys))
    found: set[str] = set()
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        found.update(await session.scalars(select(SentOnce.key).where(SentOnce.key.in_(chunk))))
    return found
