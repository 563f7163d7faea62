"""The console's own commands against the real bot: voting in polls, replying to any listed
message, and switching between the demo people by @username."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest

from bot.console.people import LEADER, RESIDENT, People
from bot.console.session import Console
from bot.console.transcript import Transcript
from bot.runtime import BotApplication
from bot.testing import BotApiEmulator


class Terminal:
    """A console whose printed output each typed line returns."""

    def __init__(self, console: Console, out: io.StringIO) -> None:
        self.console = console
        self.out = out

    async def type(self, line: str) -> str:
        start = len(self.out.getvalue())
        await self.console.handle(line)
        return self.out.getvalue()[start:]


@pytest.fixture
def bot_env() -> dict[str, str]:
    return {"VILLAGEBOT_LANGUAGE": "en"}


@pytest.fixture
async def terminal(tg: BotApiEmulator, bot: BotApplication, tmp_path: Path) -> Terminal:
    people = People(tg, "en")
    village = tg.group(
        "Demo village", admins=[people.of(LEADER).user], members=[people.of(RESIDENT).user]
    )
    out = io.StringIO()
    console = Console(tg, Transcript(tg, tmp_path), out, village, people)
    await tg.add_bot(village, by=people.of(LEADER).user)
    await console.settle()
    return Terminal(console, out)


def number_of(output: str, sender: str) -> int:
    found = re.search(rf"── (\d+) · [^\n]+ · {sender}\b", output)
    assert found, f"no message from {sender} in:\n{output}"
    return int(found.group(1))


def answers(tg: BotApiEmulator, kind: str) -> list[dict[str, Any]]:
    return [update[kind] for update in tg.history if kind in update]


async def test_people_are_found_by_username_role_or_name(terminal: Terminal) -> None:
    everyone = await terminal.type("/users")
    assert "  Jānis @janis (you) — a resident, a plain member of the group" in everyone
    assert "  Anna @anna — the group's admin, so she leads the working group" in everyone
    assert "You are now Anna @anna (leader)." in await terminal.type("/as @anna")
    assert "You are now Jānis @janis (resident)." in await terminal.type("/as Jānis")
    assert "You are now Anna @anna (leader)." in await terminal.type("/as leader")
    assert "Say /as @janis (the resident) or /as @anna (the leader)" in await terminal.type(
        "/as @bob"
    )
    assert terminal.console.me.username == "anna"


async def test_voting_in_a_public_poll_as_telegram_does(
    tg: BotApiEmulator, terminal: Terminal
) -> None:
    await terminal.type("/as @anna")
    posted = await terminal.type(
        "/poll public Where should the bench go? | By the shop | By the lake"
    )
    poll = number_of(posted, "Village bot")
    assert "📊 Where should the bench go?\n  1. By the shop — 0\n  2. By the lake — 0\n" in posted
    assert f"(public, one answer: /vote {poll} N)" in posted

    voted = await terminal.type(f"/vote {poll} 2")
    assert f"── {poll} · Demo village · Village bot (your vote)" in voted
    assert "  2. By the lake — 1 ✓" in voted
    anna = terminal.console.me
    assert answers(tg, "poll_answer")[-1]["user"]["id"] == anna.id
    assert answers(tg, "poll_answer")[-1]["option_ids"] == [1]
    assert [o["voter_count"] for o in answers(tg, "poll")[-1]["options"]] == [0, 1]

    # A changed vote is taken back first, then cast: two answers, as Telegram's app sends.
    await terminal.type(f"/vote {poll} 1")
    assert [a["option_ids"] for a in answers(tg, "poll_answer")] == [[1], [], [0]]
    retracted = await terminal.type(f"/vote {poll}")
    assert "(your vote retracted)" in retracted
    assert "  1. By the shop — 0\n" in retracted
    assert answers(tg, "poll_answer")[-1]["option_ids"] == []
    assert "You have not voted here." in await terminal.type(f"/vote {poll}")

    await terminal.type("/as @janis")
    await terminal.type(f"/vote {poll} 2")
    assert "one answer" in await terminal.type(f"/vote {poll} 1 2")
    assert "options are 1 to 2" in await terminal.type(f"/vote {poll} 3")
    assert "is not a poll" in await terminal.type("/vote 1 1")
    assert "Say /vote N" in await terminal.type("/vote")

    # The bot counted the vote: closing the poll (a reply to it) shows it.
    await terminal.type("/as @anna")
    closed = await terminal.type(f"/reply {poll} /closepoll")
    assert f"── {poll} · Demo village · Village bot (poll closed)" in closed
    assert "2. By the lake — 1 (100%)" in closed
    assert "That poll is closed." in await terminal.type(f"/vote {poll} 1")


async def test_replying_to_any_listed_message(tg: BotApiEmulator, terminal: Terminal) -> None:
    hello = number_of(await terminal.type("I can help with the playground"), "Jānis")
    await terminal.type("/as @anna")
    promoted = await terminal.type(f"/reply {hello} /promote")
    assert f"· Demo village · Anna (reply to {hello})" in promoted
    assert "Jānis is now in the working group." in promoted
    command = answers(tg, "message")[-1]
    assert command["text"] == "/promote"
    assert command["reply_to_message"]["text"] == "I can help with the playground"

    # A poll is answered though a deadline notice came after it: /papervotes by its number.
    posted = await terminal.type("/poll 3d Bench? | Shop | Lake")
    poll = number_of(posted, "Village bot")
    assert "Voting closes" in posted.split(f"── {poll} ·")[1]
    # An anonymous poll: Telegram sends the bot only the new counts, no answer of a person.
    public_answers = len(answers(tg, "poll_answer"))
    assert "  1. Shop — 1 ✓" in await terminal.type(f"/vote {poll} 1")
    assert len(answers(tg, "poll_answer")) == public_answers
    assert [o["voter_count"] for o in answers(tg, "poll")[-1]["options"]] == [1, 0]
    counted = await terminal.type(f"/reply {poll} /papervotes 1=4 2=2")
    assert "1. Shop — 5 (71%)" in counted

    # In the private chat, a reply to a group message goes to the group.
    await terminal.type("/private")
    again = await terminal.type(f"/reply {hello} /demote")
    assert "(in Demo village)" in again
    assert "Jānis is no longer in the working group." in again
    assert terminal.console.prompt() == "Anna @ Demo village> "

    assert "No message 999" in await terminal.type("/reply 999 hello")
    assert "Say /reply N and your answer" in await terminal.type(f"/reply {hello}")


async def test_the_console_speaks_the_terminals_language(
    terminal: Terminal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The console's own words follow LANG (bot.terminal); the bot keeps the village's."""
    monkeypatch.setenv("LANG", "lv_LV.UTF-8")
    users = await terminal.type("/users")
    assert "Cilvēki grupā Demo village:" in users
    assert "Jānis @janis (jūs) — iedzīvotājs, parasts grupas dalībnieks" in users
    assert "Tagad jūs esat Anna @anna (līderis)." in await terminal.type("/as līderis")
    assert "Tādas pogas nav" in await terminal.type("/press 99")
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert "You are now Jānis @janis (resident)." in await terminal.type("/as resident")
