"""Shared fixtures: a database for service tests, and the emulator with the real bot running."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.app import runtime_of
from bot.db import Database
from bot.models import Base
from bot.runtime import BotApplication
from bot.testing import BotApiEmulator, FakeChat, FakeUser, running_bot, serve, settings_for
from tests import postgres

# The `browser` fixture and the browser tests' marking (tests/browser/support.py).
pytest_plugins = ["tests.browser.support"]

BACKENDS = [
    "sqlite",
    *([pytest.param("postgresql", marks=pytest.mark.postgres)] if postgres.server_url() else []),
]


@pytest.fixture(autouse=True)
def english_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The program speaks the terminal's locale (bot.terminal): tests read it in English
    unless they set another."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'villagebot.db'}"


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, sqlite_url: str) -> AsyncIterator[str]:
    """Every test that uses the database runs on SQLite, and on PostgreSQL as well when
    VILLAGEBOT_TEST_POSTGRES_URL names a server (CI starts one: .ci/postgres.sh)."""
    server = postgres.server_url()
    if request.param == "sqlite" or server is None:
        yield sqlite_url
        return
    async with postgres.fresh_database(server) as url:
        yield url


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """A fresh database with the models' schema, for service tests."""
    database = Database(database_url)
    async with database.engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    yield database
    await database.dispose()


@pytest.fixture
def tg() -> BotApiEmulator:
    return BotApiEmulator()


@pytest.fixture
async def api_url(tg: BotApiEmulator) -> AsyncIterator[str]:
    async with serve(tg) as url:
        yield url


@pytest.fixture
def bot_env() -> dict[str, str]:
    """Extra settings for the bot under test; override in a module to change them."""
    return {}


@pytest.fixture
async def bot(
    tg: BotApiEmulator, api_url: str, database_url: str, bot_env: dict[str, str]
) -> AsyncIterator[BotApplication]:
    """The real bot, polling the emulator over HTTP."""
    async with running_bot(settings_for(tg, api_url, database_url, bot_env)) as app:
        yield app


@dataclass
class Village:
    """A village group with the bot in it: an admin (a leader) and a resident."""

    chat: FakeChat
    admin: FakeUser
    resident: FakeUser


@pytest.fixture
async def village(tg: BotApiEmulator, bot: BotApplication) -> Village:
    return await new_village(tg)


async def new_village(tg: BotApiEmulator, admin_last_name: str | None = "Ozola") -> Village:
    """Lejasciems with its leader Anna and resident Jānis, the bot added and greeted (for a
    test that starts the bot itself)."""
    admin = tg.user("Anna", last_name=admin_last_name, language_code="lv")
    resident = tg.user("Jānis", language_code="lv")
    chat = tg.group("Lejasciems", admins=[admin], members=[resident])
    cursor = tg.mark()
    await tg.add_bot(chat, by=admin)
    await tg.next_message(chat, after=cursor)
    return Village(chat, admin, resident)


@pytest.fixture
def database(bot: BotApplication) -> Database:
    """The running bot's database, for checking what it stored."""
    return runtime_of(bot).db
