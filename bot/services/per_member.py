"""One row per member and item (a support, an applause, an RSVP, a vote), kept by a unique
constraint. Two presses of the same member can race (two bot processes, or PostgreSQL's
concurrent transactions): the constraint decides, and the loser reads the winner's row back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

Row = TypeVar("Row")


async def find_or_add(
    session: AsyncSession, query: Select[Row], make: Callable[[], Row]
) -> tuple[Row, bool]:
    """The member's row (found, or added by `make`); True when this call added it."""
    found = await session.scalar(query)
    if found is not None:
        return found, False
    return await add(session, query, make)


async def add(
    session: AsyncSession, query: Select[Row], make: Callable[[], Row]
) -> tuple[Row, bool]:
    """Add the row `query` did not find just now; a racing twin's row if it came first."""
    row = make()
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:
        winner = await session.scalar(query)
        assert winner is not None, "the unique constraint fired, so the row exists"
        return winner, False
    return row, True


async def toggle(
    session: AsyncSession, query: Select[Any], make: Callable[[], Any]
) -> tuple[bool, bool]:
    """Add the member's row, or remove it: (present now, changed)."""
    return await toggle_found(session, await session.scalar(query), query, make)


async def toggle_found(
    session: AsyncSession, found: Any, query: Select[Any], make: Callable[[], Any]
) -> tuple[bool, bool]:
    """`toggle` for a caller that has just looked the row up (`found`, or None)."""
    if found is not None:
        await session.delete(found)
        await session.flush()
        return False, True
    _row, added = await add(session, query, make)
    return True, added
