"""`villagebot console --board`: links that open the demo village's board in a browser, signed
in as a demo person the way Telegram signs in whoever opens the Mini App."""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from bot.board import init_data, links
from bot.console import board
from bot.console.people import LEADER, RESIDENT, People
from bot.console.session import Console
from bot.console.transcript import Transcript
from bot.runtime import BotApplication
from bot.testing import BotApiEmulator, FakeUser
from bot.testing.board import BoardClient, serve_board
from tests.console.test_session import Terminal

WEB_URL = "http://127.0.0.1:8765"


def init_data_of(link: str) -> str:
    """What board.js reads: the hash's tgWebAppData, decoded once by URLSearchParams."""
    return parse_qs(urlsplit(link).fragment)["tgWebAppData"][0]


def test_a_browser_link_carries_init_data_signed_for_the_person_and_the_village() -> None:
    token = "123:TOKEN"
    janis = FakeUser(1001, "Jānis", username="janis", language_code="lv")
    link = board.browser_link(links.app_url(WEB_URL, "v3"), token, janis)
    assert link.startswith(f"{WEB_URL}/board#tgWebAppData=")
    assert "?" not in link
    who = init_data.validate(init_data_of(link), token)
    assert (who.telegram_id, who.first_name, who.start_param) == (1001, "Jānis", "v3")
    with pytest.raises(init_data.InvalidInitData):
        init_data.validate(init_data_of(link), "123:OTHER")


def test_the_board_env_names_the_loopback_address_and_a_port() -> None:
    assert board.board_env(8123) == {
        "VILLAGEBOT_WEB_URL": "http://127.0.0.1:8123",
        "VILLAGEBOT_WEB_LISTEN": "127.0.0.1",
        "VILLAGEBOT_WEB_PORT": "8123",
    }
    free = board.board_env(0)
    assert int(free["VILLAGEBOT_WEB_PORT"]) > 0
    assert free["VILLAGEBOT_WEB_URL"].endswith(f":{free['VILLAGEBOT_WEB_PORT']}")


def test_direct_links_are_told_apart() -> None:
    assert board.direct_start("https://t.me/villagebot_test?startapp=v1-i2") == "v1-i2"
    assert board.direct_start("https://t.me/villagebot_test?start=join_1") is None
    assert board.direct_start("https://example.org/?startapp=v1") is None


@pytest.fixture
def bot_env() -> dict[str, str]:
    return {"VILLAGEBOT_LANGUAGE": "en", "VILLAGEBOT_WEB_URL": WEB_URL}


@pytest.fixture
async def terminal(tg: BotApiEmulator, bot: BotApplication, tmp_path: Path) -> Terminal:
    people = People(tg, "en")
    village = tg.group(
        "Demo village", admins=[people.of(LEADER).user], members=[people.of(RESIDENT).user]
    )
    out = io.StringIO()
    console = Console(tg, Transcript(tg, tmp_path), out, village, people)
    console.board_url = WEB_URL
    await tg.add_bot(village, by=people.of(LEADER).user)
    await console.settle()
    return Terminal(console, out)


def _opened(output: str) -> str:
    found = re.search(r"\(the board opens in a browser: (\S+)\)", output)
    assert found, output
    return found.group(1)


async def test_board_buttons_open_the_board_signed_in_as_the_current_person(
    tg: BotApiEmulator, bot: BotApplication, terminal: Terminal
) -> None:
    console = terminal.console
    link = await board.village_link(bot, console.village, console.me)
    assert link is not None
    async with serve_board(bot) as url, BoardClient(url, tg.token) as client:
        # As board.js asks: the start parameter from the init data, the init data as is.
        signed_in = init_data_of(link)
        start = init_data.validate(signed_in, tg.token).start_param
        frame = await client.get(
            None,
            f"/board/api/frame?start={start}",
            headers={"Authorization": f"tma {signed_in}"},
        )
        assert frame.status == 200
        assert "Demo village" in frame.text

    # The group's /board button (the bot's direct link) and the private one (web_app).
    group = await terminal.type("/board")
    number = re.search(r"\[(\d+)\] 📋 Open the village board ↗", group)
    assert number, group
    as_janis = _opened(await terminal.type(f"/press {number.group(1)}"))
    assert init_data.validate(init_data_of(as_janis), tg.token).start_param == "v1"
    await terminal.type("/as leader")
    await terminal.type("/private")
    private = await terminal.type("/board")
    number = re.search(r"\[(\d+)\] 📋 Open the village board ↗", private)
    assert number, private
    as_anna = init_data.validate(
        init_data_of(_opened(await terminal.type(f"/press {number.group(1)}"))), tg.token
    )
    assert (as_anna.first_name, as_anna.start_param) == ("Anna", "v1")
