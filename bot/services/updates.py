"""At-most-once processing: an update id is claimed in the transaction that holds its effects."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import ProcessedUpdate


async def claim_update(session: AsyncSession, update_id: int) -> bool:
    """False when the update was processed before (Telegram redelivered it after a crash).

    Two processes racing on one update both pass the check; the second one's commit then fails
    on the primary key and its whole transaction is rolled back, which is the same outcome.
    """
    seen = await session.scalar(
        select(ProcessedUpdate.update_id).where(ProcessedUpdate.update_id == update_id)
    )
    if seen is not None:
        return False
    session.add(ProcessedUpdate(update_id=update_id))
    await session.flush()
    return True


async def prune_processed(session: AsyncSession, before: datetime) -> int:
    """Telegram keeps unconfirmed updates for 24 hours; older claims can go."""
    result = await session.execute(
        delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < before)
    )
    return int(getattr(result, "rowcount", 0) or 0)
