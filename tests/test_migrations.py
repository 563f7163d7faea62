"""Migrations build exactly the models' schema, and go down and up again."""

from __future__ import annotations

import asyncio

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from bot import migrate
from bot.db import create_engine
from bot.models import Base
from tests import postgres


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def _inspect(url: str) -> tuple[list[str], list[object]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda c: sorted(inspect(c).get_table_names()))
            differences = await connection.run_sync(_differences)
    finally:
        await engine.dispose()
    return tables, differences


async def test_upgrade_builds_the_models_schema(database_url: str) -> None:
    await migrate.upgrade(database_url)
    tables, differences = await _inspect(database_url)
    assert differences == []
    assert set(Base.metadata.tables) <= set(tables)
    assert await migrate.current_revision(database_url) == migrate.head_revision()


async def test_downgrade_to_base_and_back(database_url: str) -> None:
    await migrate.upgrade(database_url)
    await migrate.downgrade(database_url, "base")
    tables, _ = await _inspect(database_url)
    assert tables == ["alembic_version"]
    assert await migrate.current_revision(database_url) is None
    await migrate.upgrade(database_url)
    _, differences = await _inspect(database_url)
    assert differences == []


async def test_every_revision_steps_down_and_up(database_url: str) -> None:
    """Each migration's downgrade undoes exactly its upgrade."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    for revision in revisions:
        await migrate.upgrade(database_url, revision)
    for revision in reversed(revisions):
        await migrate.downgrade(database_url, "-1")
        await migrate.upgrade(database_url, revision)
        await migrate.downgrade(database_url, "-1")
    assert await migrate.current_revision(database_url) is None


@pytest.mark.postgres
@pytest.mark.skipif(postgres.server_url() is None, reason=f"{postgres.ENV} is not set")
async def test_workers_starting_together_migrate_once() -> None:
    """Two workers of a region start at once on an empty PostgreSQL database: one migrates,
    the other waits for it (an advisory lock) and finds the database at head."""
    server = postgres.server_url()
    assert server is not None
    async with postgres.fresh_database(server) as url:
        await asyncio.gather(migrate.upgrade(url), migrate.upgrade(url), migrate.upgrade(url))
        tables, differences = await _inspect(url)
        assert differences == []
        assert set(Base.metadata.tables) <= set(tables)
        assert await migrate.current_revision(url) == migrate.head_revision()
