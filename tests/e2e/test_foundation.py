"""The real `villagebot run` process against the emulator: joining a group, help in two
languages, the group's language, the working group, a refusal, and a clean stop on SIGINT."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot import migrate
from bot.testing import BotApiEmulator, buttons
from tests.e2e.process import villagebot

pytestmark = pytest.mark.e2e


def _commands(text: str) -> set[str]:
    return {line.split(" ", 1)[0] for line in text.splitlines() if line.startswith("/")}


async def test_foundation_end_to_end(
    tg: BotApiEmulator, api_url: str, tmp_path: Path, database_url: str
) -> None:
    anna = tg.user("Anna", language_code="lv")
    janis = tg.user("Jānis", language_code="lv")
    village = tg.group("Lejasciems", admins=[anna], members=[janis])

    async with villagebot(tg, api_url, tmp_path, database_url) as bot:
        await tg.wait_for(lambda c: c.method == "deleteWebhook", timeout=60)
        assert len([c for c in tg.calls if c.method == "setMyCommands"]) == 12

        cursor = tg.mark()
        await tg.add_bot(village, by=anna)
        greeting = await tg.next_message(village, after=cursor)
        assert greeting["text"].startswith("Sveiki, Lejasciems!")

        resident_help = await tg.ask(village, janis, "/help")
        assert _commands(resident_help["text"]) == {
            "/help",
            "/language",
            "/meetings",
            "/agenda",
            "/minutes",
        }
        leader_help = await tg.ask(village, anna, "/help")
        assert {"/promote", "/demote"} <= _commands(leader_help["text"])
        assert "Darba grupai" in leader_help["text"]

        menu = await tg.ask(village, anna, "/language")
        cursor = tg.mark()
        await tg.press(menu, "English", by=anna)
        await tg.wait_for(lambda c: c.method == "editMessageText", after=cursor)
        assert tg.bot_messages(village)[-1]["text"] == "The group's language is now English."

        resident_help = await tg.ask(village, janis, "/help")
        assert resident_help["text"].startswith("I help Lejasciems plan its future together")
        assert "Commands" in resident_help["text"]
        assert "/promote" not in resident_help["text"]
        leader_help = await tg.ask(village, anna, "/help")
        assert "For the working group" in leader_help["text"]

        said = await tg.send(village, janis, "I can help with the playground")
        refused = await tg.ask(village, janis, "/promote", reply_to=said)
        assert refused["text"].startswith("Sorry, only the working group can do this")
        promoted = await tg.ask(village, anna, "/promote", reply_to=said)
        assert promoted["text"] == "Jānis is now in the working group. 🎉"
        assert "/promote" in (await tg.ask(village, janis, "/help"))["text"]

        private = await tg.ask(janis, janis, "/start")
        assert "Lejasciems" in private["text"]
        assert buttons(greeting)[0]["url"].endswith("start=join_1")

        code = await bot.stop()
        assert code == 0, bot.output()
        assert "villagebot stopped" in bot.output()
        assert "Traceback" not in bot.output()

    assert await migrate.current_revision(database_url) == migrate.head_revision()


async def test_migrate_command_upgrades_only(
    tg: BotApiEmulator, api_url: str, tmp_path: Path
) -> None:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'village.db'}"
    async with villagebot(tg, api_url, tmp_path, database_url, "migrate") as bot:
        assert await asyncio.wait_for(bot.process.wait(), 60) == 0, bot.output()
    assert await migrate.current_revision(database_url) == migrate.head_revision()
    assert tg.calls == []


async def test_run_without_a_token_explains(
    tg: BotApiEmulator, api_url: str, tmp_path: Path
) -> None:
    async with villagebot(
        tg, api_url, tmp_path, "sqlite+aiosqlite:///x.db", "run", extra={"TELEGRAM_BOT_TOKEN": ""}
    ) as bot:
        assert await asyncio.wait_for(bot.process.wait(), 60) == 2
        assert "TELEGRAM_BOT_TOKEN is not set" in bot.output()
