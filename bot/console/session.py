"""`villagebot console`: the real bot against the emulator in one process, and a terminal chat.

A demo village group with a resident and a working-group leader; the person at the terminal
types as one of them. Nothing reaches Telegram and no token is needed.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from urllib.parse import parse_qs, urlsplit

from bot.console.transcript import Transcript
from bot.testing import BotApiEmulator, FakeChat, FakeUser, running_bot, serve, settings_for

VILLAGE = "Demo village"
RESIDENT = "Jānis"
LEADER = "Anna"
QUIET_SECONDS = 0.3
SETTLE_TIMEOUT = 30.0

INTRO = """\
villagebot console: the bot runs here, offline, in a demo village group called “{village}”.
Nothing is sent to Telegram. Data is kept in {database}; pictures and files go to {files}/.
You are {resident}, a resident; {leader} leads the working group.
  Type messages and commands as in Telegram (start with /help).
  /press N       press button [N]
  /as leader     write as {leader};   /as resident   write as {resident}
  /private       talk to the bot in a private chat;   /group   back to the group
  /reply TEXT    answer the bot's last message here
  /quit          leave (Ctrl-D works too)
"""


@dataclass(frozen=True)
class ConsoleOptions:
    database_url: str
    files_dir: Path
    language: str
    env: Mapping[str, str]  # the bot's other settings (VILLAGEBOT_*, LOG_LEVEL)


class Console:
    """One person at the terminal, acting as the resident or the leader."""

    def __init__(
        self,
        tg: BotApiEmulator,
        transcript: Transcript,
        out: TextIO,
        village: FakeChat,
        resident: FakeUser,
        leader: FakeUser,
    ) -> None:
        self.tg = tg
        self.transcript = transcript
        self.out = out
        self.village = village
        self.people = {"resident": resident, "leader": leader}
        self.me = resident
        self.private = False
        self.idle = False
        self.closed = False

    @property
    def where(self) -> FakeChat | FakeUser:
        return self.me if self.private else self.village

    def prompt(self) -> str:
        place = "private chat" if self.private else self.village.title
        return f"{self.me.first_name} @ {place}> "

    def say(self, *lines: str) -> None:
        self.out.write("".join(f"{line}\n" for line in lines))
        self.out.flush()

    def show_prompt(self) -> None:
        self.idle = True
        self.out.write(self.prompt())
        self.out.flush()

    def flush(self) -> None:
        """Print what the bot did since last time (from the input loop or in the background)."""
        lines = self.transcript.new_lines()
        if not lines:
            return
        if self.idle:
            self.out.write("\n")
        self.say(*lines)
        if self.idle:
            self.out.write(self.prompt())
            self.out.flush()

    async def watch(self) -> None:
        """Print messages the bot sends on its own (scheduled ones) while the person types,
        until `closed` (told to stop, not cancelled: it waits on the emulator's condition)."""

        def news() -> bool | None:
            return True if self.closed or len(self.tg.calls) > self.transcript.cursor else None

        while not self.closed:
            await self.tg.wait_until(news, 3600)
            if not self.closed:
                await asyncio.sleep(QUIET_SECONDS)
                self.flush()

    async def settle(self) -> None:
        with contextlib.suppress(TimeoutError):
            await self.tg.settle(quiet=QUIET_SECONDS, timeout=SETTLE_TIMEOUT)
        self.flush()

    async def handle(self, line: str) -> bool:
        """Act on one input line; False when the person leaves."""
        self.idle = False
        text = line.strip()
        if not text:
            return True
        command, _, rest = text.partition(" ")
        rest = rest.strip()
        if command in ("/quit", "/exit"):
            return False
        if command == "/as":
            self._switch(rest)
        elif command == "/private":
            self.private = True
        elif command == "/group":
            self.private = False
        elif command == "/press":
            await self._press(rest)
        elif command == "/reply":
            await self._reply(rest)
        else:
            await self.tg.send(self.where, self.me, text)
        await self.settle()
        return True

    def _switch(self, who: str) -> None:
        person = self.people.get(who.lower())
        if person is None:
            self.say("Say /as leader or /as resident.")
            return
        self.me = person
        self.say(f"You are now {person.first_name} ({who.lower()}).")

    async def _press(self, number: str) -> None:
        found = self.transcript.button(int(number)) if number.isdigit() else None
        if found is None:
            self.say("No such button: /press takes a number shown as [N].")
            return
        message, button = found
        owner = self.tg.users.get(message["chat"]["id"])
        if owner is not None and owner is not self.me:
            role = next((r for r, person in self.people.items() if person is owner), "")
            self.say(f"That button is in {owner.first_name}'s private chat: /as {role} first.")
            return
        if "callback_data" in button:
            await self.tg.press_data(message, button["callback_data"], by=self.me)
            return
        url = str(button.get("url", ""))
        start = parse_qs(urlsplit(url).query).get("start")
        if url.startswith("https://t.me/") and start:
            # Telegram opens the private chat and sends /start with the link's payload.
            self.private = True
            self.say(f"(opening the private chat: /start {start[0]})")
            await self.tg.send(self.me, self.me, f"/start {start[0]}")
            return
        self.say(f"(a link: {url})")

    async def _reply(self, text: str) -> None:
        if not text:
            self.say("Say /reply and your answer.")
            return
        mine = self.tg.bot_messages(self.where)
        if not mine:
            self.say("The bot has written nothing here yet.")
            return
        await self.tg.send(self.where, self.me, text, reply_to=mine[-1])


def _read_lines(queue: asyncio.Queue[str | None], stream: TextIO) -> None:
    """A daemon thread: a blocked read must never keep the program from exiting."""
    loop = asyncio.get_running_loop()

    def pump() -> None:
        for line in stream:
            loop.call_soon_threadsafe(queue.put_nowait, line)
        loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=pump, name="console-input", daemon=True).start()


async def run_console(options: ConsoleOptions, stdin: TextIO, out: TextIO) -> int:
    # Update ids go on growing from one run to the next, as Telegram's do: the database
    # remembers the ones it has processed.
    tg = BotApiEmulator(first_update_id=int(time.time()) * 1000)
    resident = tg.user(RESIDENT, language_code=options.language)
    leader = tg.user(LEADER, language_code=options.language)
    village = tg.group(VILLAGE, admins=[leader], members=[resident])
    env = {**options.env, "VILLAGEBOT_LANGUAGE": options.language}
    async with serve(tg) as url:
        settings = settings_for(tg, url, options.database_url, env)
        async with running_bot(settings):
            transcript = Transcript(tg, options.files_dir)
            transcript.cursor = len(tg.calls)  # start-up calls (menus, getMe) are not chat
            console = Console(tg, transcript, out, village, resident, leader)
            console.say(
                INTRO.format(
                    village=VILLAGE,
                    database=options.database_url,
                    files=options.files_dir,
                    resident=RESIDENT,
                    leader=LEADER,
                )
            )
            await tg.add_bot(village, by=leader)
            await console.settle()
            watcher = asyncio.create_task(console.watch())
            queue: asyncio.Queue[str | None] = asyncio.Queue()
            _read_lines(queue, stdin)
            echo = not stdin.isatty()  # piped input is not shown by a terminal: show it
            try:
                while True:
                    console.show_prompt()
                    line = await queue.get()
                    if line is not None and echo:
                        console.say(line.rstrip("\n"))
                    if line is None or not await console.handle(line):
                        break
            finally:
                console.closed = True
                await tg.notify()
                await watcher
            console.say("", "Goodbye.")
    return 0


def main(options: ConsoleOptions) -> int:
    try:
        return asyncio.run(run_console(options, sys.stdin, sys.stdout))
    except KeyboardInterrupt:
        sys.stdout.write("\n")
        return 0
