"""A fresh PostgreSQL database per test, when VILLAGEBOT_TEST_POSTGRES_URL names a server.

`.ci/postgres.sh` starts a throwaway cluster and sets the variable; without it the database
tests run on SQLite only.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from sqlalchemy.engine import make_url

ENV = "VILLAGEBOT_TEST_POSTGRES_URL"


def server_url() -> str | None:
    """The URL of a database on the test server that may create others (usually `postgres`)."""
    return os.environ.get(ENV) or None


def dsn(url: str) -> str:
    """The URL as asyncpg takes it (no SQLAlchemy driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@asynccontextmanager
async def fresh_database(url: str) -> AsyncIterator[str]:
    """Create an empty database for one test; drop it afterwards, whoever is still connected."""
    name = f"villagebot_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(dsn(url))
    try:
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        try:
            yield make_url(url).set(database=name).render_as_string(hide_password=False)
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()
