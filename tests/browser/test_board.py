"""The board in a real Chromium: opened as Telegram opens it (init data in the URL's hash),
the views on the screen, what a click does in the village's chat, and axe-core on each view."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from urllib.parse import quote

import pytest
from selenium import webdriver

from bot.db import Database
from bot.runtime import BotApplication
from bot.testing import BotApiEmulator, FakeUser
from bot.testing.board import serve_board, signed
from tests.board.conftest import WEB_URL, village_id
from tests.browser.support import assert_accessible, console_errors, wait_for, wait_for_text
from tests.conftest import Village


@pytest.fixture
def bot_env() -> dict[str, str]:
    return {"VILLAGEBOT_WEB_URL": WEB_URL}


@pytest.fixture
async def board_url(bot: BotApplication) -> AsyncIterator[str]:
    async with serve_board(bot) as url:
        yield url


def opening(tg: BotApiEmulator, board_url: str, user: FakeUser, start: str) -> str:
    """The page as Telegram opens it: init data (with the start parameter) in the hash."""
    return f"{board_url}/board#tgWebAppData={quote(signed(tg.token, user, start))}"


async def test_a_resident_opens_the_board_on_the_ideas(
    tg: BotApiEmulator,
    village: Village,
    database: Database,
    board_url: str,
    browser: webdriver.Chrome,
) -> None:
    await tg.ask(village.chat, village.resident, "/idea Jauns rotaļu laukums pie skolas")
    vid = await village_id(database, village.chat)
    url = opening(tg, board_url, village.resident, f"v{vid}")

    def steps() -> None:
        browser.get(url)
        wait_for_text(browser, "#view .cards", "rotaļu laukums")
        assert browser.find_element("css selector", "h1").text == "Lejasciems"
        assert browser.execute_script("return document.documentElement.lang") == "lv"
        assert browser.title == "Lejasciems — ciema tāfele"
        assert console_errors(browser) == []

    await asyncio.to_thread(steps)


async def test_the_ideas_view_is_accessible(
    tg: BotApiEmulator,
    village: Village,
    database: Database,
    board_url: str,
    browser: webdriver.Chrome,
) -> None:
    await tg.ask(village.chat, village.resident, "/idea Jauns rotaļu laukums pie skolas")
    vid = await village_id(database, village.chat)
    url = opening(tg, board_url, village.resident, f"v{vid}")

    def steps() -> None:
        browser.get(url)
        wait_for(browser, "#view .cards .card")
        assert_accessible(browser)

    await asyncio.to_thread(steps)


async def test_a_stranger_is_told_what_to_do(
    tg: BotApiEmulator,
    village: Village,
    database: Database,
    board_url: str,
    browser: webdriver.Chrome,
) -> None:
    stranger = tg.user("Svešinieks", language_code="lv")
    vid = await village_id(database, village.chat)
    url = opening(tg, board_url, stranger, f"v{vid}")

    def steps() -> None:
        browser.get(url)
        wait_for_text(browser, "#app .notice", "Atveriet to no sava ciema grupas")

    await asyncio.to_thread(steps)
