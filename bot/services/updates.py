"""At-most-once processing: an update id is claimed in the transaction that holds its effects."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import ProcessedUpdate, utcnow


async def claim_update(session: AsyncSession, update_id: int) -> bool:
    """False when the update was processed before (Telegram redelivered it after a crash).

    One statement: the insert is skipped when the id is there. A second process racing on the
    same update waits for the first one's transaction and then finds the id taken.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(ProcessedUpdate)
        .values(update_id=update_id, processed_at=utcnow())
        .on_conflict_do_nothing(index_elements=[ProcessedUpdate.update_id])
    )
    result = await session.execute(statement)
    return bool(getattr(result, "rowcount", 0))


async def prune_processed(session: AsyncSession, before: datetime) -> int:
    """Telegram keeps unconfirmed updates for 24 hours; older claims can go."""
    result = await session.execute(
        delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < before)
    )
    return int(getattr(result, "rowcount", 0) or 0)
