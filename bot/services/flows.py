"""Guided conversations in private chat, step by step, stored so that a restart loses nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Community, PrivateFlow, User, utcnow

# A flow left alone this long is forgotten: the next message is not taken as its answer.
FLOW_LIFETIME = timedelta(hours=24)


async def current(session: AsyncSession, user: User) -> PrivateFlow | None:
    flow = await session.get(PrivateFlow, user.id)
    if flow is not None and utcnow() - flow.updated_at > FLOW_LIFETIME:
        await session.delete(flow)
        return None
    return flow


async def is_open(session: AsyncSession, telegram_id: int) -> bool:
    """Whether the Telegram user has a flow waiting for their next message (read only)."""
    found = await session.scalar(
        select(PrivateFlow.user_id)
        .join(User, User.id == PrivateFlow.user_id)
        .where(User.telegram_id == telegram_id, PrivateFlow.updated_at > utcnow() - FLOW_LIFETIME)
    )
    return found is not None


async def start(
    session: AsyncSession,
    user: User,
    community: Community,
    kind: str,
    step: str,
    data: dict[str, Any] | None = None,
) -> PrivateFlow:
    """Begin a flow, replacing any other the user had open."""
    flow = await session.get(PrivateFlow, user.id)
    if flow is None:
        flow = PrivateFlow(user_id=user.id)
        session.add(flow)
    flow.community_id = community.id
    flow.kind = kind
    flow.step = step
    flow.data = dict(data or {})
    flow.updated_at = utcnow()
    await session.flush()
    return flow


def advance(flow: PrivateFlow, step: str, **changes: Any) -> None:
    """Move to `step`, merging `changes` into the data (a new dict, so the change is saved)."""
    flow.step = step
    flow.data = {**flow.data, **changes}
    flow.updated_at = utcnow()


async def finish(session: AsyncSession, user: User) -> bool:
    flow = await session.get(PrivateFlow, user.id)
    if flow is None:
        return False
    await session.delete(flow)
    await session.flush()
    return True


async def finish_in(session: AsyncSession, user: User, community: Community) -> None:
    """End the user's open flow about this community (they left its group)."""
    await session.execute(
        delete(PrivateFlow).where(
            PrivateFlow.user_id == user.id, PrivateFlow.community_id == community.id
        )
    )
