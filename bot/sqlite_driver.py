"""SQLite statements run on the event loop's own thread, in one step each.

SQLAlchemy's aiosqlite adapter opens a cursor, executes, fetches and closes it as four separate
calls, each a round trip between the event loop and aiosqlite's worker thread (about 55 µs of
wall time and much of it CPU: a queue, a thread wake-up, a wake-up of the loop). SQLite itself
answers a typical query of the bot in about 5 µs, so those trips were most of the time an update
spent in the database, and the first limit on throughput. Measured on the benchmark machine: a
transaction with one ORM query took 485 µs this way; the same on the loop's thread, 142 µs.

Here every call aiosqlite would hand to its thread runs at once on the loop's thread instead,
and a cursor's whole statement (execute, fetch, close) is one call. The thread still opens and
closes the connection. What must not block the loop is waiting for another program's write lock:
the connection's own busy timeout is 0, and a statement SQLite refuses as busy is tried again
after an asynchronous sleep, for as long as the busy timeout a connection would otherwise have
(`BUSY_PATIENCE`), so the bot keeps answering and sending meanwhile. Retrying the statement is
sound: Python's sqlite3 begins a transaction at its first write, so the statement refused is
the one that would begin it, and it sees the other program's committed changes once it runs.
The adapter, transactions, pooling and error translation stay SQLAlchemy's (the same private
aiosqlite attributes it uses).

What this costs: a statement holds the event loop while it runs (for the bot's statements,
microseconds; for the export's long reads, milliseconds), and work that only reads and writes
the database would never pause for other tasks: it pauses after FAIR_SHARE of it in a row.
Scheduled jobs due together also take turns (`handlers.jobs.community_job`), or the first
ones' messages would wait while all the others are prepared.

Use: `create_async_engine(url, module=dbapi())` for a `sqlite+aiosqlite` URL, with
`PRAGMA busy_timeout=0` on each connection (`bot.db` does both).
"""

from __future__ import annotations

import asyncio
import collections
import sqlite3
from collections.abc import Callable
from functools import partial
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT, await_

Row = tuple[Any, ...]

BUSY_PATIENCE = 30.0  # seconds a statement waits for another connection's write lock
FIRST_BUSY_WAIT = 0.005
LONGEST_BUSY_WAIT = 0.25
FAIR_SHARE = 0.005  # seconds of database work in a row before other tasks get a turn


class _Turn:
    """Which task has been doing database work without a pause, and since when."""

    task: asyncio.Task[Any] | None = None
    since = 0.0


async def _take_turns(loop: asyncio.AbstractEventLoop) -> None:
    """Let other tasks run when the current one has done database work for FAIR_SHARE without
    pausing (a job planning 10,000 meetings, a long export), as the thread trips once did."""
    task, now = asyncio.current_task(), loop.time()
    if task is not _Turn.task:
        _Turn.task, _Turn.since = task, now
    elif now - _Turn.since > FAIR_SHARE:
        await asyncio.sleep(0)
        _Turn.since = loop.time()


def _is_busy(error: sqlite3.OperationalError) -> bool:
    """Another connection holds the lock (plain SQLITE_BUSY: a retry can succeed; not e.g.
    BUSY_SNAPSHOT, where only a new transaction can)."""
    return getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY


class InlineConnection(aiosqlite.Connection):
    """aiosqlite's connection, but each call runs on the calling (event loop) thread."""

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        loop = asyncio.get_running_loop()
        await _take_turns(loop)
        give_up = loop.time() + BUSY_PATIENCE
        wait = FIRST_BUSY_WAIT
        while True:
            try:
                return fn(*args, **kwargs)
            except sqlite3.OperationalError as error:
                if not _is_busy(error) or loop.time() + wait > give_up:
                    raise
            await asyncio.sleep(wait)
            wait = min(wait * 2, LONGEST_BUSY_WAIT)


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    """A cursor that exists only for one statement, run in one call."""

    __slots__ = ("_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: AsyncAdapt_aiosqlite_connection) -> None:
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._soft_closed_memoized = EMPTY_DICT
        self._rows: collections.deque[Row] = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> Any:
        return self._lastrowid

    @property
    def arraysize(self) -> int:
        return 1

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        pass

    async def _async_soft_close(self) -> None:
        pass

    def close(self) -> None:
        self._rows.clear()

    async def _run(self, execute: Any) -> Any:
        connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]
        raw: sqlite3.Connection = connection._conn

        def statement() -> tuple[Any, list[Row], int, int | None]:
            cursor = raw.cursor()
            try:
                execute(cursor)
                description = cursor.description
                rows = cursor.fetchall() if description else []
                return description, rows, cursor.rowcount, cursor.lastrowid
            finally:
                cursor.close()

        async with self._adapt_connection._execute_mutex:
            outcome = await connection._execute(statement)  # type: ignore[no-untyped-call]
        self._description, rows, self._rowcount, self._lastrowid = outcome
        self._rows = collections.deque(rows)

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        if parameters is None:
            await self._run(lambda cursor: cursor.execute(operation))
        else:
            await self._run(lambda cursor: cursor.execute(operation, parameters))

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> Any:
        await self._run(lambda cursor: cursor.executemany(operation, seq_of_parameters))

    def nextset(self) -> None:
        raise NotImplementedError


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = OneTripCursor  # type: ignore[assignment]


class OneTripDbapi(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        kw.pop("async_creator_fn", None)
        # Opened on aiosqlite's thread, used on the loop's: never at the same time.
        kw["check_same_thread"] = False
        connection = InlineConnection(partial(sqlite3.connect, *arg, **kw), iter_chunk_size=64)
        connection._thread.daemon = True
        return OneTripConnection(self, await_(connection))  # type: ignore[arg-type]


def dbapi() -> OneTripDbapi:
    return OneTripDbapi(aiosqlite, sqlite3)
