"""Send-at-most-once claims for scheduled messages (see bot.models.delivery.SentOnce)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import SentOnce


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
