"""The database engine and sessions; SQLite gets WAL, foreign keys and a busy timeout."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot import sqlite_driver

SQLITE_BUSY_TIMEOUT_MS = 30_000


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    if not is_sqlite(url):
        # A database server restarts or drops idle connections; check one before using it.
        kwargs.setdefault("pool_pre_ping", True)
    busy_timeout_ms = SQLITE_BUSY_TIMEOUT_MS
    if is_sqlite(url) and make_url(url).get_driver_name() == "aiosqlite":
        # Statements on the loop's thread; the driver itself waits out a busy database.
        kwargs.setdefault("module", sqlite_driver.dbapi())
        busy_timeout_ms = 0
    engine = create_async_engine(url, **kwargs)
    if is_sqlite(url):
        _add_sqlite_pragmas(engine, foreign_keys=True, busy_timeout_ms=busy_timeout_ms)
    return engine


def _add_sqlite_pragmas(
    engine: AsyncEngine, *, foreign_keys: bool, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS
) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.close()


def create_migration_engine(url: str) -> AsyncEngine:
    """Batch migrations copy SQLite tables, which needs foreign keys off (Alembic's advice)."""
    from sqlalchemy.pool import NullPool

    engine = create_async_engine(url, poolclass=NullPool)
    if is_sqlite(url):
        _add_sqlite_pragmas(engine, foreign_keys=False)
    return engine


class Database:
    """One engine and its session factory; a unit of work is `async with db.transaction() as s`."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_engine(url)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        async with self.sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def plain(self) -> AsyncIterator[AsyncConnection]:
        """A transaction on a bare connection, for plain statements that need no session (a
        live card redrawn, where a posted card is): about half the CPU of a session's."""
        async with self.engine.begin() as connection:
            yield connection

    async def dispose(self) -> None:
        await self.engine.dispose()
