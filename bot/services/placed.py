"""What is recorded once a message is sent: where a card now is, so that it can be kept up to
date. An outbox row names its record as `kind:argument` (`after_send`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import ideas

Record = Callable[[AsyncSession, str, int, int], Awaitable[None]]


async def _idea_card(session: AsyncSession, argument: str, chat_id: int, message_id: int) -> None:
    await ideas.set_card(await session.connection(), int(argument), chat_id, message_id)


_RECORDS: dict[str, Record] = {"idea_card": _idea_card}


def idea_card(idea_id: int) -> str:
    return f"idea_card:{idea_id}"


async def record(session: AsyncSession, after_send: str, message: dict[str, Any]) -> None:
    """Record where `message` (Telegram's answer to the send) went."""
    kind, _, argument = after_send.partition(":")
    await _RECORDS[kind](session, argument, message["chat"]["id"], message["message_id"])
