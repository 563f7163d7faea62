"""What is recorded once a message is sent: where a card now is, so that it can be kept up to
date. An outbox row names its record as `kind:argument` (`after_send`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import digest, ideas, meetings, victories

Record = Callable[[AsyncSession, str, int, int], Awaitable[None]]


async def _idea_card(session: AsyncSession, argument: str, chat_id: int, message_id: int) -> None:
    await ideas.set_card(await session.connection(), int(argument), chat_id, message_id)


async def _victory_card(
    session: AsyncSession, argument: str, chat_id: int, message_id: int
) -> None:
    await victories.announced(session, int(argument), chat_id, message_id)


async def _victory_review(
    session: AsyncSession, argument: str, chat_id: int, message_id: int
) -> None:
    victory = await victories.by_id(session, int(argument))
    if victory is not None:
        await victories.add_review(session, victory, chat_id, message_id)


async def _meeting_card(
    session: AsyncSession, argument: str, _chat_id: int, message_id: int
) -> None:
    occurrence_id, stage = (int(part) for part in argument.split(":"))
    await meetings.remember_card(session, occurrence_id, message_id, stage)


async def _digest_post(
    session: AsyncSession, argument: str, _chat_id: int, message_id: int
) -> None:
    await digest.posted(session, int(argument), message_id)


IDEA_CARD = "idea_card"
DIGEST_POST = "digest_post"
MEETING_CARD = "meeting_card"
VICTORY_CARD = "victory_card"
VICTORY_REVIEW = "victory_review"
_RECORDS: dict[str, Record] = {
    IDEA_CARD: _idea_card,
    VICTORY_CARD: _victory_card,
    VICTORY_REVIEW: _victory_review,
    MEETING_CARD: _meeting_card,
    DIGEST_POST: _digest_post,
}


def idea_card(idea_id: int) -> str:
    """The idea's card: the view that draws it and the record of where it is."""
    return f"{IDEA_CARD}:{idea_id}"


async def record(session: AsyncSession, after_send: str, message: dict[str, Any]) -> None:
    """Record where `message` (Telegram's answer to the send) went."""
    kind, _, argument = after_send.partition(":")
    await _RECORDS[kind](session, argument, message["chat"]["id"], message["message_id"])


def victory_card(victory_id: int) -> str:
    return f"{VICTORY_CARD}:{victory_id}"


def victory_review(victory_id: int) -> str:
    """A leader's private message asking to approve the victory."""
    return f"{VICTORY_REVIEW}:{victory_id}"


def meeting_card(occurrence_id: int, stage: int) -> str:
    """A meeting date's card at a stage (announced, a reminder, starting)."""
    return f"{MEETING_CARD}:{occurrence_id}:{stage}"


def digest_post(post_id: int) -> str:
    """A posted digest (the period's claim `post_id`)."""
    return f"{DIGEST_POST}:{post_id}"
