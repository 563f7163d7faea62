"""The group's confirmation of SWOT inputs: during a meeting many people add at once, so a burst
of inputs in a group is confirmed by one message that grows instead of one reply per input.
Each author finds their code in it; once it is BATCH_SECONDS old or lists BATCH_SIZE inputs,
the next input starts a new message.

The message is a live card (`placed.swot_confirmation`): drawn from these rows when it is sent
and redrawn when an input is added, so it survives restarts and any worker can add to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.models import (
    Community,
    SwotConfirmation,
    SwotConfirmedInput,
    SwotItem,
    User,
    utcnow,
)

BATCH_SECONDS = 600
BATCH_SIZE = 10

_LISTED = select(func.count()).where(
    SwotConfirmedInput.confirmation_id == bindparam("confirmation_id")
)
_LANGUAGE = (
    select(Community.language)
    .join(SwotConfirmation, SwotConfirmation.community_id == Community.id)
    .where(SwotConfirmation.id == bindparam("confirmation_id"))
)
_ENTRIES = (
    select(SwotItem.quadrant, SwotItem.number, User.first_name, User.last_name, User.username)
    .select_from(SwotConfirmedInput)
    .join(SwotItem, SwotItem.id == SwotConfirmedInput.item_id)
    .join(User, User.id == SwotConfirmedInput.user_id)
    .where(SwotConfirmedInput.confirmation_id == bindparam("confirmation_id"))
    .order_by(SwotItem.created_at, SwotItem.id)
)


@dataclass(frozen=True)
class Confirming:
    """The message that confirms an input: a new one to post, or one to redraw where it is
    (`message_id` None: not sent yet, and drawn with every input when it is)."""

    confirmation_id: int
    new: bool
    chat_id: int
    message_id: int | None


@dataclass(frozen=True)
class Confirmation:
    """What a confirmation lists: codes and their authors' names (None for a person who asked
    to be forgotten), in the village's language."""

    language: str
    entries: list[tuple[str, str | None]]


async def confirm(
    session: AsyncSession, community_id: int, chat_id: int, item_id: int, user_id: int
) -> Confirming:
    """Add the input `item_id` (by `user_id`) to the chat's open confirmation, or open one. On
    PostgreSQL, inputs added to one confirmation at once take turns (its row is locked), so it
    never lists more than BATCH_SIZE."""
    now = utcnow()
    batch = await session.scalar(
        select(SwotConfirmation)
        .where(
            SwotConfirmation.community_id == community_id,
            SwotConfirmation.chat_id == chat_id,
            SwotConfirmation.opened_at > now - timedelta(seconds=BATCH_SECONDS),
        )
        .order_by(SwotConfirmation.opened_at.desc(), SwotConfirmation.id.desc())
        .limit(1)
        .with_for_update()
    )
    if batch is not None and await _listed(session, batch.id) >= BATCH_SIZE:
        batch = None
    new = batch is None
    if batch is None:
        batch = SwotConfirmation(community_id=community_id, chat_id=chat_id, opened_at=now)
        session.add(batch)
        await session.flush()
    session.add(
        SwotConfirmedInput(
            community_id=community_id, item_id=item_id, confirmation_id=batch.id, user_id=user_id
        )
    )
    await session.flush()
    return Confirming(batch.id, new, batch.chat_id, batch.message_id)


async def _listed(session: AsyncSession, confirmation_id: int) -> int:
    return int(await session.scalar(_LISTED, {"confirmation_id": confirmation_id}) or 0)


async def confirmation(connection: AsyncConnection, confirmation_id: int) -> Confirmation | None:
    """What the message shows now (read when it is drawn); None if it is gone."""
    key = {"confirmation_id": confirmation_id}
    language = await connection.scalar(_LANGUAGE, key)
    if language is None:
        return None
    entries: list[tuple[str, str | None]] = []
    for quadrant, number, first_name, last_name, username in await connection.execute(
        _ENTRIES, key
    ):
        author = User(first_name=first_name, last_name=last_name, username=username)
        entries.append((f"{quadrant.value}{number}", author.display_name or None))
    return Confirmation(language, entries)


async def sent(session: AsyncSession, confirmation_id: int, chat_id: int, message_id: int) -> int:
    """Where the confirmation went (later inputs redraw it there); how many inputs it lists now."""
    await session.execute(
        update(SwotConfirmation)
        .where(SwotConfirmation.id == confirmation_id)
        .values(chat_id=chat_id, message_id=message_id)
    )
    return await _listed(session, confirmation_id)
