"""Rows numbered within a scope (idea #12 of a village, SWOT input S4 of a round), inserted in
one statement.

The insert takes the scope's highest number plus one; a unique constraint on the scope and
the number decides races: an insert whose number a racing transaction took meanwhile is
skipped (no error, so no savepoint is needed) and tried again with the next number. Ideas and
SWOT inputs are among the commonest updates, so the statement is built once per shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, TypeVar, cast

from sqlalchemy import Table, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.sql.dml import ReturningInsert

from bot.db import dialect_insert
from bot.models import Base

Numbered = TypeVar("Numbered", bound=Base)

# Each racing transaction takes one number per round: more rounds than connections can race
# (the engine's pool holds at most 15).
ATTEMPTS = 32
# The scope's values are bound twice, under two names: PostgreSQL wants one type per parameter
# and would see a TEXT and a VARCHAR in one.
_IN_SCOPE = "scope_"


async def insert_numbered(
    session: AsyncSession,
    model: type[Numbered],
    scope: Mapping[str, Any],
    values: Mapping[str, Any],
) -> Numbered:
    """Insert a `model` row with `values` and the next free `number` among the rows that share
    `scope`; returns the row, loaded into the session."""
    statement = _statement(model, tuple(scope), tuple(values), session.get_bind().dialect.name)
    parameters = {**scope, **values, **{_IN_SCOPE + name: value for name, value in scope.items()}}
    for _attempt in range(ATTEMPTS):
        row = (await session.execute(statement, parameters)).first()
        if row is not None:
            return _loaded(session, model(**row._mapping))
    raise RuntimeError(f"could not number a new {model.__name__}")


def _loaded(session: AsyncSession, row: Numbered) -> Numbered:
    """The inserted row as an object of the session, as if just read: an ORM-enabled insert
    returns the same, but at twice the CPU of the plain insert and this."""
    make_transient_to_detached(row)
    session.add(row)
    return row


@cache
def _statement(
    model: type[Base], scope: tuple[str, ...], values: tuple[str, ...], dialect: str
) -> ReturningInsert[Any]:
    table = cast(Table, model.__table__)
    columns = table.c
    next_number = (
        select(func.coalesce(func.max(columns.number), 0) + 1)
        .where(*(columns[name] == bindparam(_IN_SCOPE + name) for name in scope))
        .scalar_subquery()
    )
    return (
        dialect_insert(dialect)(table)
        .values(number=next_number, **{name: bindparam(name) for name in (*scope, *values)})
        .on_conflict_do_nothing()
        .returning(*columns)
    )
