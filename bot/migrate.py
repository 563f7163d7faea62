"""Alembic run from inside the bot: the connection-sharing recipe works in a running loop."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection, make_url

from bot.db import create_migration_engine, is_sqlite, lock_key
from bot.resources import migrations_dir


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["connection"] = connection
    return config


def ensure_sqlite_directory(url: str) -> None:
    """SQLite creates the file but not its folder."""
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


MIGRATION_LOCK = lock_key("migrate")


def _hold_migrations(connection: Connection) -> None:
    """On PostgreSQL, wait for any other process's migration to end, and keep others waiting
    until this transaction ends: workers starting together would otherwise both create the
    same tables. The lock goes with the commit. SQLite takes its own write lock."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})


def _migrate(connection: Connection, action: Any, *args: Any) -> None:
    _hold_migrations(connection)
    action(alembic_config(connection), *args)


async def _run(url: str, action: Any, *args: Any) -> None:
    """Run an Alembic command in one transaction: on PostgreSQL (transactional DDL) a
    migration that fails leaves nothing behind, and the lock covers all of it."""
    ensure_sqlite_directory(url)
    engine = create_migration_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_migrate, action, *args)
    finally:
        await engine.dispose()


async def upgrade(url: str, revision: str = "head") -> None:
    await _run(url, command.upgrade, revision)


async def downgrade(url: str, revision: str = "base") -> None:
    await _run(url, command.downgrade, revision)


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def current_revision(url: str) -> str | None:
    engine = create_migration_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_revision()
            )
    finally:
        await engine.dispose()
