"""The board under test: the real bot polling the emulator, its board on a free port, and a
client signing requests as the village's members."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.db import Database
from bot.models import Community
from bot.runtime import BotApplication
from bot.testing import BotApiEmulator
from bot.testing.board import BoardClient, serve_board
from bot.testing.world import FakeChat

WEB_URL = "https://board.example.org/lejas"


@pytest.fixture
def bot_env() -> dict[str, str]:
    return {"VILLAGEBOT_WEB_URL": WEB_URL}


@pytest.fixture
async def board(tg: BotApiEmulator, bot: BotApplication) -> AsyncIterator[BoardClient]:
    async with serve_board(bot) as url, BoardClient(url, tg.token) as client:
        yield client


async def village_id(database: Database, chat: FakeChat) -> int:
    async with database.transaction() as session:
        found = await session.scalar(select(Community.id).where(Community.chat_id == chat.id))
    assert found is not None
    return found
