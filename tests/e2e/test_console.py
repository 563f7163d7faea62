"""`villagebot console` driven through a pipe, as a person at a terminal would use it: no token,
no network, the demo village, buttons by number, the leader's and the resident's view."""

from __future__ import annotations

import asyncio
import difflib
import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import parse_qs

import aiohttp
import pytest

from tests.e2e.process import villagebot_command

pytestmark = pytest.mark.e2e

PROMPT = re.compile(r"(?:^|\n)\S+ @ [^\n]+> $")
TIMEOUT = 60.0
README = Path(__file__).resolve().parents[2] / "README.md"
TYPED = re.compile(r"^\S+ @ [^\n>]+> (.+)$")


class Console:
    """The console process; `say` types a line and returns what appeared up to the next prompt."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.transcript = ""

    async def until_prompt(self) -> str:
        assert self.process.stdout is not None
        seen = ""
        while not PROMPT.search(seen):
            chunk = await asyncio.wait_for(self.process.stdout.read(4096), TIMEOUT)
            if not chunk:
                break
            seen += chunk.decode()
        self.transcript += seen
        return seen

    async def say(self, line: str) -> str:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{line}\n".encode())
        await self.process.stdin.drain()
        return await self.until_prompt()

    async def quit(self) -> str:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(b"/quit\n")
        self.process.stdin.close()
        rest = (await asyncio.wait_for(self.process.stdout.read(), TIMEOUT)).decode()
        assert await asyncio.wait_for(self.process.wait(), TIMEOUT) == 0
        return rest

    def button(self, output: str, label: str) -> str:
        found = re.search(rf"\[(\d+)\] {re.escape(label)}", output)
        assert found, f"no button {label!r} in:\n{output}"
        return found.group(1)


@asynccontextmanager
async def console(workdir: Path, *args: str) -> AsyncIterator[Console]:
    """`villagebot console` in `workdir`, with no token, no API URL and no database given."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "VILLAGEBOT_", "DATABASE_URL", "LOG_LEVEL"))
    }
    process = await asyncio.create_subprocess_exec(
        *villagebot_command(),
        "console",
        *args,
        cwd=workdir,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    session = Console(process)
    try:
        yield session
    except BaseException:
        print(session.transcript)
        raise
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_console_language_buttons_and_help(tmp_path: Path) -> None:
    async with console(tmp_path) as chat:
        start = await chat.until_prompt()
        assert "Sveiki, Demo village!" in start
        assert "[1] Atvērt privātu sarunu ↗" in start
        assert start.rstrip().endswith("Jānis @ Demo village>")

        resident_help = await chat.say("/help")
        assert "/language — " in resident_help
        assert "/settings" not in resident_help

        refused = await chat.say("/language")
        assert "Atvainojiet, to var darīt tikai darba grupa" in refused
        assert "[2]" not in refused

        assert "You are now Anna @anna (leader)." in await chat.say("/as leader")
        menu = await chat.say("/language")
        assert "Izvēlieties grupas valodu:" in menu
        assert "[2] Latviešu   [3] English   [4] Русский" in menu
        english = chat.button(menu, "English")
        pressed = await chat.say(f"/press {english}")
        assert "· Demo village · Village bot (edited)" in pressed
        assert "The group's language is now English." in pressed

        leader_help = await chat.say("/help")
        assert "For the working group" in leader_help
        assert "/settings — The village group's settings" in leader_help

        private = await chat.say("/press 1")  # the greeting's "open a private chat" link
        assert "(opening the private chat: /start join_1)" in private
        assert "· private chat with Anna · Village bot" in private
        assert "Demo village" in private
        assert private.rstrip().endswith("Anna @ private chat>")

        mine = await chat.say("/language")
        latvian = chat.button(mine, "Latviešu")
        await chat.say("/as resident")
        assert "That button is in Anna's private chat: /as @anna first." in await chat.say(
            f"/press {latvian}"
        )
        assert "No such button" in await chat.say("/press 99")
        assert "Goodbye." in await chat.quit()
    assert (tmp_path / "villagebot-console.db").is_file()

    # A second session keeps the village's data: the group speaks English now.
    async with console(tmp_path) as chat:
        start = await chat.until_prompt()
        assert "Hello, Demo village!" in start
        assert "For the working group" not in await chat.say("/help")
        await chat.quit()


async def test_console_idea_support_count(tmp_path: Path) -> None:
    """The issue's console scenario: submit an idea, press support, see the count."""
    async with console(tmp_path, "--language", "en") as chat:
        await chat.until_prompt()
        card = await chat.say("/idea A playground by the school")
        support = chat.button(card, "👍 Support (0)")
        await chat.say("/as leader")
        pressed = await chat.say(f"/press {support}")
        assert f"[{support}] 👍 Support (1)" in pressed
        await chat.quit()


def readme_example() -> list[str]:
    """The transcript in the README's "Try it without Telegram" section, line by line."""
    section = README.read_text(encoding="utf-8").split("### Try it without Telegram", 1)[1]
    return section.split("```text\n", 1)[1].split("\n```", 1)[0].splitlines()


async def test_the_readme_example_works_as_typed(tmp_path: Path) -> None:
    """The README's lines typed into a first run print exactly the README's transcript."""
    example = readme_example()
    typed = [found.group(1) for line in example if (found := TYPED.match(line))]
    assert len(typed) >= 5, example
    async with console(tmp_path) as chat:
        await chat.until_prompt()
        for line in typed:
            await chat.say(line)
        await chat.quit()
    expected = "\n".join(example) + "\n"
    start = chat.transcript.find(example[0])
    printed = chat.transcript[start:].splitlines()[: len(example)]
    assert expected in chat.transcript, "\n".join(
        difflib.unified_diff(example, printed, "README.md", "villagebot console", lineterm="")
    )


async def test_console_serves_the_board_signed_in_as_the_person_at_the_start(
    tmp_path: Path,
) -> None:
    """`--board`: the printed link opens the demo village's board in a browser: its page, and
    the frame for the init data in the link's hash (as board.js asks for it)."""
    async with console(tmp_path, "--board", "--language", "en") as chat:
        start = await chat.until_prompt()
        assert "The village board, as Jānis @janis (who you are at the start)" in start
        found = re.search(r"(http://127\.0\.0\.1:\d+)/board#tgWebAppData=(\S+)", start)
        assert found, start
        base, signed = found.group(1), parse_qs(f"d={found.group(2)}")["d"][0]
        village = parse_qs(signed)["start_param"][0]
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{base}/board") as page:
                assert page.status == 200
                assert "text/html" in page.headers["Content-Type"]
            headers = {"Authorization": f"tma {signed}"}
            async with http.get(f"{base}/board/api/frame?start={village}", headers=headers) as got:
                assert got.status == 200
                assert "Demo village" in await got.text()
            async with http.get(f"{base}/board/api/frame?start={village}") as unsigned:
                assert unsigned.status == 401
        await chat.quit()
