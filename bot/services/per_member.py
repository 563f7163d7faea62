"""One row per member and item (a support, an applause, an RSVP, a vote), kept by a unique
constraint. Two presses of the same member can race (two bot processes, or PostgreSQL's
concurrent transactions): the constraint decides, and the loser reads the winner's row back.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar, cast

from sqlalchemy import Select, Table, bindparam, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningDelete, ReturningInsert

from bot.db import dialect_insert
from bot.models import Base

Row = TypeVar("Row")


async def find_or_add(
    session: AsyncSession, query: Select[Row], make: Callable[[], Row]
) -> tuple[Row, bool]:
    """The member's row (found, or added by `make`); True when this call added it."""
    found = await session.scalar(query)
    if found is not None:
        return found, False
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
    session: AsyncSession,
    model: type[Base],
    key: dict[str, int],
    extra: dict[str, Any],
    may_add: Callable[[], None] = lambda: None,
) -> tuple[bool, bool]:
    """Remove the member's row (found by its unique `key`), or add it with `extra`:
    (present now, changed). `may_add` raises when adding is not allowed at the moment.

    A press is the commonest update, so this is at most two statements and no row loaded: a
    delete that says what it removed, else an insert that the unique constraint skips when a
    racing twin added the row first (no savepoint needed)."""
    table = cast(Table, model.__table__)
    removed = await session.execute(_remover(table, tuple(key)), key)
    if removed.first() is not None:
        return False, True
    may_add()
    adder = _adder(table, session.get_bind().dialect.name)
    added = await session.execute(adder, {**key, **extra})
    return True, added.first() is not None


@cache
def _remover(table: Table, key: tuple[str, ...]) -> ReturningDelete[tuple[int]]:
    return (
        delete(table)
        .where(*(table.c[name] == bindparam(name) for name in key))
        .returning(table.c.id)
    )


@cache
def _adder(table: Table, dialect: str) -> ReturningInsert[tuple[int]]:
    return dialect_insert(dialect)(table).on_conflict_do_nothing().returning(table.c.id)
