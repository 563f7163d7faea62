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
from typing import Any, TextIO
from urllib.parse import parse_qs, urlsplit

from bot.board import links
from bot.console import board
from bot.console.people import LEADER, RESIDENT, People
from bot.console.transcript import Transcript
from bot.i18n import N_
from bot.terminal import _
from bot.testing import BotApiEmulator, FakeChat, FakeUser, running_bot, serve, settings_for

VILLAGE = "Demo village"
QUIET_SECONDS = 0.3
SETTLE_TIMEOUT = 30.0

INTRO = N_("""\
villagebot console: the bot runs here, offline, in a demo village group called “{village}”.
Nothing is sent to Telegram. Data is kept in {database}; pictures and files go to {files}/.
You are {resident}, a resident; {leader} leads the working group.
  Type messages and commands as in Telegram (start with /help).
  Every message shown starts with its number: ── N · chat · sender.
  /press N         press button [N]
  /reply N TEXT    answer message N (/reply 5 /promote); /reply TEXT answers the bot's last one
  /vote N 1 2      vote in the poll of message N for options 1 and 2;  /vote N  takes it back
  /as @NAME        write as someone else: /as @{leader_username}, /as @{resident_username}
  /users           who is who
  /private         talk to the bot in a private chat;   /group   back to the group
  /quit            leave (Ctrl-D works too)
""")
BOARD_INTRO = N_(
    "The village board, as {resident} (who you are at the start), in a browser:\n{url}"
)
REPLY_USAGE = N_("Say /reply N and your answer, e.g. /reply 5 /promote (N as shown in ── N).")
VOTE_USAGE = N_(
    "Say /vote N and the numbers of your options, e.g. /vote 7 1; /vote 7 takes it back."
)
BUTTON_ELSEWHERE = N_("That button is in {name}'s private chat: {switch} first.")
MESSAGE_ELSEWHERE = N_("That message is in {name}'s private chat: {switch} first.")

Place = FakeChat | FakeUser


@dataclass(frozen=True)
class ConsoleOptions:
    database_url: str
    files_dir: Path
    language: str
    env: Mapping[str, str]  # the bot's other settings (VILLAGEBOT_*, LOG_LEVEL)
    board_port: int | None = None  # serve the board on this port (0: a free one); None: not


class Console:
    """One person at the terminal, acting as one of the demo people."""

    def __init__(
        self,
        tg: BotApiEmulator,
        transcript: Transcript,
        out: TextIO,
        village: FakeChat,
        people: People,
    ) -> None:
        self.tg = tg
        self.transcript = transcript
        self.out = out
        self.village = village
        self.people = people
        self.me = people.of(RESIDENT).user
        self.private = False
        self.idle = False
        self.closed = False
        # The board's address while the console serves it (`--board`).
        self.board_url: str | None = None

    @property
    def where(self) -> Place:
        return self.me if self.private else self.village

    def prompt(self) -> str:
        place = _("private chat") if self.private else self.village.title
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
        command, _space, rest = text.partition(" ")
        rest = rest.strip()
        if command in ("/quit", "/exit"):
            return False
        if command == "/as":
            self._switch(rest)
        elif command == "/users":
            self.say(
                _("People in {village}:", village=self.village.title),
                *self.people.listing(self.me),
            )
        elif command == "/private":
            self.private = True
        elif command == "/group":
            self.private = False
        elif command == "/press":
            await self._press(rest)
        elif command == "/reply":
            await self._reply(rest)
        elif command == "/vote":
            await self._vote(rest)
        else:
            await self._send(self.where, text)
        await self.settle()
        return True

    async def _send(self, where: Place, text: str, reply_to: dict[str, Any] | None = None) -> None:
        message = await self.tg.send(where, self.me, text, reply_to=reply_to)
        self.flush()  # what the bot said before this message comes first
        self.say(*self.transcript.person_wrote(message))

    def _switch(self, who: str) -> None:
        person = self.people.find(who)
        if person is None:
            self.say(
                _(
                    "Say /as @{resident} (the resident) or /as @{leader} (the leader); "
                    "/users lists everyone.",
                    resident=self.people.of(RESIDENT).role.username,
                    leader=self.people.of(LEADER).role.username,
                )
            )
            return
        self.me = person.user
        self.say(
            _("You are now {person} ({role}).", person=person.handle, role=_(person.role.role))
        )

    def _chat_of(self, message: dict[str, Any], elsewhere: str) -> Place | None:
        """The place a listed message is in, if the current person can act there; else
        `elsewhere` says whose chat it is."""
        chat_id = message["chat"]["id"]
        owner = self.tg.users.get(chat_id)
        if owner is None:
            return self.tg.chats[chat_id]
        if owner is not self.me:
            person = self.people.owner(owner)
            switch = f"/as @{person.role.username}" if person else "/as"
            self.say(_(elsewhere, name=owner.first_name, switch=switch))
            return None
        return owner

    async def _press(self, number: str) -> None:
        found = self.transcript.button(int(number)) if number.isdigit() else None
        if found is None:
            self.say(_("No such button: /press takes a number shown as [N]."))
            return
        message, button = found
        if self._chat_of(message, BUTTON_ELSEWHERE) is None:
            return
        if "callback_data" in button:
            await self.tg.press_data(message, button["callback_data"], by=self.me)
            return
        opened = self._board_link(button)
        if opened is not None:
            self.say(_("(the board opens in a browser: {url})", url=opened))
            return
        url = str(button.get("url", ""))
        start = parse_qs(urlsplit(url).query).get("start")
        if url.startswith("https://t.me/") and start:
            # Telegram opens the private chat and sends /start with the link's payload.
            self.private = True
            self.say(_("(opening the private chat: /start {payload})", payload=start[0]))
            await self._send(self.me, f"/start {start[0]}")
            return
        self.say(_("(a link: {url})", url=url))

    def _board_link(self, button: dict[str, Any]) -> str | None:
        """Where a board button (a `web_app` one, or a URL one to the bot's direct Mini App
        link) opens the board, signed in as the current person; None for other buttons."""
        if self.board_url is None:
            return None
        if "web_app" in button:
            app_url = str(button["web_app"].get("url", ""))
        else:
            start = board.direct_start(str(button.get("url", "")))
            if start is None:
                return None
            app_url = links.app_url(self.board_url, start)
        return board.browser_link(app_url, self.tg.token, self.me)

    async def _reply(self, rest: str) -> None:
        """`/reply N TEXT` answers message N, in its chat; `/reply TEXT` the bot's last message
        where the person is."""
        first, _space, after = rest.partition(" ")
        if first.isdigit():
            target = self.transcript.message(int(first))
            if target is None:
                self.say(
                    _("No message {number}: /reply takes a number shown as ── N.", number=first)
                )
                return
            text = after.strip()
        else:
            mine = self.tg.bot_messages(self.where)
            if not mine:
                self.say(_("The bot has written nothing here yet."))
                return
            target, text = mine[-1], rest
        if not text:
            self.say(_(REPLY_USAGE))
            return
        place = self._chat_of(target, MESSAGE_ELSEWHERE)
        if place is None:
            return
        if place is not self.where:
            self.private = isinstance(place, FakeUser)
            self.say(_("(in {chat})", chat=self.transcript.chat_name(place.id)))
        await self._send(place, text, reply_to=target)

    async def _vote(self, rest: str) -> None:
        """Vote as Telegram's app does: a changed vote is taken back first, then cast."""
        number, *options = rest.split() or [""]
        if not number.isdigit() or not all(option.isdigit() for option in options):
            self.say(_(VOTE_USAGE))
            return
        message = self.transcript.message(int(number))
        if message is None or "poll" not in message or message["chat"]["id"] not in self.tg.chats:
            usage = _(VOTE_USAGE)
            self.say(_("Message {number} is not a poll in the group.", number=number), usage)
            return
        poll = message["poll"]
        size = len(poll["options"])
        chosen = sorted({int(option) - 1 for option in options})
        if poll["is_closed"]:
            self.say(_("That poll is closed."))
        elif any(not 0 <= option < size for option in chosen):
            self.say(_("The poll's options are 1 to {size}.", size=size))
        elif len(chosen) > 1 and not poll["allows_multiple_answers"]:
            self.say(_("This poll takes one answer: /vote {number} 1, for example.", number=number))
        else:
            before = self.tg.poll_answers.get(poll["id"], {}).get(self.me.id, [])
            if chosen == before:
                self.say(
                    _("That is your vote already.") if chosen else _("You have not voted here.")
                )
                return
            if before and chosen:
                await self.tg.vote(message, self.me, [])
            await self.tg.vote(message, self.me, chosen)
            self.say(*self.transcript.poll_voted(message, chosen))


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
    people = People(tg, options.language)
    resident, leader = people.of(RESIDENT), people.of(LEADER)
    village = tg.group(VILLAGE, admins=[leader.user], members=[resident.user])
    env = {**options.env, "VILLAGEBOT_LANGUAGE": options.language}
    serving_board = options.board_port is not None
    if options.board_port is not None:
        env.update(board.board_env(options.board_port))
    async with serve(tg) as url:
        settings = settings_for(tg, url, options.database_url, env)
        async with running_bot(settings, serve_board=serving_board) as app:
            transcript = Transcript(tg, options.files_dir)
            transcript.cursor = len(tg.calls)  # start-up calls (menus, getMe) are not chat
            console = Console(tg, transcript, out, village, people)
            console.say(
                _(
                    INTRO,
                    village=VILLAGE,
                    database=options.database_url,
                    files=options.files_dir,
                    resident=resident.handle,
                    leader=leader.handle,
                    resident_username=resident.role.username,
                    leader_username=leader.role.username,
                )
            )
            await tg.add_bot(village, by=leader.user)
            await console.settle()
            if serving_board:
                console.board_url = settings.web_url
                link = await board.village_link(app, village, resident.user)
                console.say(_(BOARD_INTRO, resident=resident.handle, url=link), "")
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
            console.say("", _("Goodbye."))
    return 0


def main(options: ConsoleOptions) -> int:
    try:
        return asyncio.run(run_console(options, sys.stdin, sys.stdout))
    except KeyboardInterrupt:
        sys.stdout.write("\n")
        return 0
