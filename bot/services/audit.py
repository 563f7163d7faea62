"""The audit log of leader actions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import AuditEntry


async def record(
    session: AsyncSession, community_id: int, actor_id: int | None, action: str, **details: Any
) -> AuditEntry:
    entry = AuditEntry(community_id=community_id, actor_id=actor_id, action=action, details=details)
    session.add(entry)
    await session.flush()
    return entry


async def latest(session: AsyncSession, community_id: int, limit: int = 20) -> list[AuditEntry]:
    rows = await session.scalars(
        select(AuditEntry)
        .where(AuditEntry.community_id == community_id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return list(rows)


async def page(
    session: AsyncSession, community_id: int, number: int, size: int
) -> tuple[list[AuditEntry], int]:
    """Page `number` (from 0) of the log, newest first, and how many entries there are."""
    total = await session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.community_id == community_id)
    )
    rows = await session.scalars(
        select(AuditEntry)
        .where(AuditEntry.community_id == community_id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .offset(number * size)
        .limit(size)
    )
    return list(rows), int(total or 0)
