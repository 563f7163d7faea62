"""The database engine and sessions; SQLite gets WAL, foreign keys and a busy timeout."""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.dialects import postgresql, sqlite
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


def dialect_insert(dialect: str) -> Callable[..., postgresql.Insert | sqlite.Insert]:
    """The dialect's INSERT, which has ON CONFLICT (both databases the bot runs on do)."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def lock_key(name: str) -> int:
    """The PostgreSQL advisory lock key of a named piece of work (`"migrate"`, `"poll-close:7"`):
    from 2**62 up, clear of the chat ids that key the per-chat locks (bot.services.updates)."""
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    return 2**62 | (int.from_bytes(digest, "big") & (2**62 - 1))


def create_engine(url: str, *, synchronous: str = "FULL", **kwargs: Any) -> AsyncEngine:
    """`synchronous`: SQLite's PRAGMA of that name (FULL: every commit synced to the disk)."""
    if not is_sqlite(url):
        # A database server restarts or drops idle connections; check one before using it.
        kwargs.setdefault("pool_pre_ping", True)
    # A failed statement's error shows its SQL, not the values: those are residents' texts.
    kwargs.setdefault("hide_parameters", True)
    busy_timeout_ms = SQLITE_BUSY_TIMEOUT_MS
    if is_sqlite(url) and make_url(url).get_driver_name() == "aiosqlite":
        # Statements on the loop's thread; the driver itself waits out a busy database.
        kwargs.setdefault("module", sqlite_driver.dbapi())
        busy_timeout_ms = 0
    engine = create_async_engine(url, **kwargs)
    if is_sqlite(url):
        _add_sqlite_pragmas(
            engine, foreign_keys=True, busy_timeout_ms=busy_timeout_ms, synchronous=synchronous
        )
    return engine


def _sqlite_log(url: str) -> str | None:
    """The write-ahead log of a SQLite database file (None for other databases)."""
    parsed = make_url(url)
    if not is_sqlite(url) or not parsed.database or parsed.database == ":memory:":
        return None
    return f"{parsed.database}-wal"


def _add_sqlite_pragmas(
    engine: AsyncEngine,
    *,
    foreign_keys: bool,
    busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS,
    synchronous: str = "FULL",
) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
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
    """One engine and its session factory; a unit of work is `async with db.transaction() as s`.

    `batched_commits` (SQLite, under the polling loop): SQLite syncs its log to the disk at
    every commit, about 0.15 ms during which the event loop waits, a sixth of the bot's
    throughput at saturation (bench/). With it, commits are atomic and survive the process
    dying at once (the operating system has them), but reach the disk at the next `sync()`:
    after every transaction, as before, except an update's (`transaction(sync=False)`), which
    the polling loop makes durable for a whole batch before it confirms the batch to Telegram.
    An update lost with its sync (power cut) was therefore never confirmed, and Telegram sends
    it again. Webhook mode, where Telegram counts an update done when its request is answered,
    keeps a sync at every commit.
    """

    def __init__(self, url: str, *, batched_commits: bool = False) -> None:
        self.url = url
        self._log = _sqlite_log(url) if batched_commits else None
        self.engine = create_engine(url, synchronous="NORMAL" if self._log else "FULL")
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def transaction(self, *, sync: bool = True) -> AsyncIterator[AsyncSession]:
        """A session in a transaction, committed at the end (rolled back on an error) and
        durable then; `sync=False`: durable at the caller's next `sync()`."""
        async with self.sessions() as session, session.begin():
            yield session
        if sync:
            self.sync()

    def sync(self) -> None:
        """Make every commit so far durable: with batched commits, SQLite's log to the disk
        (one fsync, as SQLite itself does at a commit); otherwise they already are."""
        if self._log is None:
            return
        try:
            descriptor = os.open(self._log, os.O_RDONLY)
        except FileNotFoundError:  # no log: nothing written since the last checkpoint
            return
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

    @asynccontextmanager
    async def plain(self) -> AsyncIterator[AsyncConnection]:
        """A transaction on a bare connection, for plain statements that need no session (a
        live card redrawn, where a posted card is): about half the CPU of a session's. Not
        synced: its writes belong to an update's answers, made durable with the update's batch."""
        async with self.engine.begin() as connection:
            yield connection

    @asynccontextmanager
    async def exclusive(self, name: str) -> AsyncIterator[bool]:
        """Whether this process alone does `name` now. On PostgreSQL, an advisory lock tried
        (never waited for) on a connection of its own and held until the block ends: the
        other workers of a region get False meanwhile; it goes with the connection if the
        process dies. SQLite serves one process: always True."""
        if is_sqlite(self.url):
            yield True
            return
        key = {"key": lock_key(name)}
        async with self.engine.connect() as connection:
            taken = bool(await connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), key))
            await connection.commit()  # a session's lock: it outlives the transaction
            try:
                yield taken
            finally:
                if taken:
                    await connection.execute(text("SELECT pg_advisory_unlock(:key)"), key)
                    await connection.commit()

    async def dispose(self) -> None:
        await self.engine.dispose()
