"""Fuzzing with hypothesis: generated command texts (every command, in the group and in private
chat, by a leader or a resident, sometimes as a reply), presses of real, altered and invented
callback data, and odd update payloads. The bot never fails unhandled (no error logged, no
"something went wrong"), and every message it sends or edits is within Telegram's limits and
valid HTML: the emulator refuses anything else with a 400, and there is none.

The bot runs once for the module, in a thread with its own event loop, so that hypothesis can
drive it example after example (its examples are synchronous).
"""

from __future__ import annotations

import asyncio
import copy
import logging
import os
import threading
from collections.abc import Coroutine, Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bot.commands import COMMAND_NAMES
from bot.i18n import LANGUAGES, Catalogs
from bot.keyboards.codec import _REGISTRY
from bot.resources import locales_dir
from bot.testing import (
    ApiCall,
    BotApiEmulator,
    FakeChat,
    FakeUser,
    buttons,
    running_bot,
    serve,
    settings_for,
)
from bot.testing.emulator import NOT_MODIFIED
from bot.testing.world import MEMBER
from handlers.context import FAILURE

pytestmark = pytest.mark.faults

T = TypeVar("T")
# Examples per run (about half a second each); more for a longer hunt, e.g. 1000.
EXAMPLES = int(os.environ.get("VILLAGEBOT_FUZZ_EXAMPLES", "100"))
# "Sorry, something went wrong" in every language: what the bot says when a handler fails.
FAILURES = {Catalogs.load(locales_dir()).translator(code)._(FAILURE) for code in LANGUAGES}
# Refusals that say nothing about the bot's messages: an edit that changes nothing (the bot
# ignores it), a press answered late, writing to someone who never opened a private chat.
HARMLESS = (NOT_MODIFIED, "query is too old", "bot can't initiate conversation")


class Errors(logging.Handler):
    """Every record at ERROR or above, from any thread."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class World:
    tg: BotApiEmulator
    village: FakeChat
    other: FakeChat
    leader: FakeUser
    residents: list[FakeUser]
    unknown: FakeChat  # the bot is in it, but was added while it was down


class LiveBot:
    """The emulator and the real bot, running in a thread of their own."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.stack = AsyncExitStack()
        self.checked = 0

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 60) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def start(self) -> World:
        self.thread.start()
        return self.run(self._start())

    async def _start(self) -> World:
        tg = BotApiEmulator()
        url = await self.stack.enter_async_context(serve(tg))
        await self.stack.enter_async_context(running_bot(settings_for(tg, url, self.database_url)))
        leader = tg.user("Anna", language_code="lv")
        residents = [tg.user(name, language_code=lang) for name, lang in RESIDENTS]
        village = tg.group("Lejasciems", admins=[leader], members=residents)
        other = tg.group("Augšciems", admins=[residents[-1]], members=[leader])
        for chat, by in ((village, leader), (other, residents[-1])):
            cursor = tg.mark()
            await tg.add_bot(chat, by=by)
            await tg.next_message(chat, after=cursor)
        for person in (leader, *residents):
            await tg.private(person, "/start")
        unknown = tg.group("Svešciems", admins=residents[:1], members=[leader, *residents[1:]])
        unknown.members[tg.bot.id] = MEMBER
        await tg.settle(quiet=0.3)
        self.checked = len(tg.calls)
        return World(tg, village, other, leader, residents, unknown)

    def stop(self) -> None:
        self.run(self.stack.aclose())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


RESIDENTS = (("Jānis", "lv"), ("Ivan", "ru"), ("<b>Bob</b> & Co", "en"))


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveBot, World]]:
    folder: Path = tmp_path_factory.mktemp("fuzz")
    bot = LiveBot(f"sqlite+aiosqlite:///{folder / 'fuzz.db'}")
    world = bot.start()
    try:
        yield bot, world
    finally:
        bot.stop()


@pytest.fixture(scope="module")
def errors() -> Iterator[Errors]:
    handler = Errors()
    logging.getLogger().addHandler(handler)
    try:
        yield handler
    finally:
        logging.getLogger().removeHandler(handler)


# --- what people type and press ---------------------------------------------------------------

WORDS = st.sampled_from(
    [
        "1",
        "#1",
        "0",
        "-5",
        "99999999999999999999",
        "S1",
        "W2",
        "O",
        "T",
        "S1 S2",
        "accepted",
        "rejected",
        "progress",
        "owner",
        "cost",
        "funding",
        "1000.50",
        "2026-12-03",
        "03.12.2026",
        "18:00",
        "25:61",
        "@",
        "|",
        "public",
        "multi",
        "3d",
        "1m",
        "31d",
        "1d 1h 15m",
        "none",
        "off",
        "weekly",
        "monthly",
        "fri",
        "17:00",
        "language",
        "timezone",
        "Europe/Riga",
        "reminders",
        "digest",
        "pollreminder",
        "en",
        "ru",
        "<b>",
        "</i>",
        "&amp;",
        "<a href='x'>",
        "1=12",
        "2=x",
        "Ceļš",
        "Дорога",
        "🙂",
        "\u200b",
        "\n",
    ]
)
FREE_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=120)
ARGUMENTS = st.one_of(
    st.lists(WORDS, max_size=8).map(" ".join),
    FREE_TEXT,
    st.lists(st.one_of(WORDS, FREE_TEXT), max_size=5).map(" ".join),
    st.text(min_size=900, max_size=5000),
)
COMMANDS = st.sampled_from(sorted(COMMAND_NAMES | {"frobnicate", "strength@villagebot_test"}))
KINDS = sorted(_REGISTRY)


@st.composite
def typed(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "what": "type",
        "command": draw(COMMANDS),
        "args": draw(ARGUMENTS),
        "bare": draw(st.booleans()) and draw(st.booleans()),  # plain text, no command
        "sender": draw(st.integers(0, 3)),
        "private": draw(st.booleans()),
        "reply": draw(st.booleans()),
        "pick": draw(st.integers(0, 10**6)),
    }


@st.composite
def pressed(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(KINDS))
    fields = draw(st.lists(st.one_of(st.integers(-5, 10**12).map(str), FREE_TEXT), max_size=4))
    invented = f"{kind}{draw(st.integers(0, 3))}:" + ":".join(f.replace(":", "") for f in fields)
    return {
        "what": "press",
        "mode": draw(st.sampled_from(["real", "real", "real", "altered", "invented", "free"])),
        "invented": invented.encode()[:64].decode(errors="ignore") or "x",
        "free": draw(st.text(min_size=1, max_size=64)).encode()[:64].decode(errors="ignore") or "y",
        "sender": draw(st.integers(0, 3)),
        "private": draw(st.booleans()),
        "pick": draw(st.integers(0, 10**6)),
    }


@st.composite
def odd(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "what": "odd",
        "shape": draw(
            st.sampled_from(
                ["edited", "caption", "channel", "poll_answer", "poll", "unknown_group", "inline"]
            )
        ),
        "text": draw(st.one_of(COMMANDS.map(lambda c: f"/{c}"), FREE_TEXT)),
        "sender": draw(st.integers(0, 3)),
        "options": draw(st.lists(st.integers(-1, 12), max_size=3)),
        "pick": draw(st.integers(0, 10**6)),
    }


ACTIONS = st.one_of(typed(), typed(), pressed(), pressed(), odd())


# --- doing it -----------------------------------------------------------------------------------


def _person(world: World, index: int) -> FakeUser:
    return (world.leader, *world.residents)[index % (1 + len(world.residents))]


def _bot_messages(world: World, chat: FakeChat | FakeUser) -> list[dict[str, Any]]:
    return world.tg.bot_messages(chat)


async def act(world: World, action: dict[str, Any]) -> None:
    tg = world.tg
    person = _person(world, action["sender"])
    if action["what"] == "type":
        where: FakeChat | FakeUser = person if action["private"] else world.village
        text = action["args"] if action["bare"] else f"/{action['command']} {action['args']}"
        text = text if text.strip() else "/help"
        reply_to = None
        if action["reply"]:
            messages = [m for (c, _), m in tg.messages.items() if c == where.id]
            reply_to = messages[action["pick"] % len(messages)] if messages else None
        await tg.send(where, person, text, reply_to=reply_to)
    elif action["what"] == "press":
        where = person if action["private"] else world.village
        messages = _bot_messages(world, where) or _bot_messages(world, world.village)
        message = messages[action["pick"] % len(messages)]
        real = [b["callback_data"] for b in buttons(message) if "callback_data" in b]
        if action["mode"] == "real" and real:
            data = real[action["pick"] % len(real)]
        elif action["mode"] == "altered" and real:
            data = _altered(real[action["pick"] % len(real)], action["invented"])
        elif action["mode"] == "free":
            data = action["free"]
        else:
            data = action["invented"]
        if message["chat"]["type"] != "private" or message["chat"]["id"] == person.id:
            await tg.press_data(message, data, person)
    else:
        await tg.push_update(_odd_update(world, action, person))


def _altered(data: str, invented: str) -> str:
    """The same kind with another id (another village's item, or none)."""
    head, *fields = data.split(":")
    swapped = [invented.split(":")[-1] if i == 0 else f for i, f in enumerate(fields)]
    return ":".join([head, *swapped]).encode()[:64].decode(errors="ignore")


def _odd_update(world: World, action: dict[str, Any], person: FakeUser) -> dict[str, Any]:
    tg = world.tg
    chat = world.village.to_api()
    base = {"message_id": tg.next_message_id(world.village.id), "date": 1, "chat": chat}
    text = action["text"] or "x"
    shape = action["shape"]
    if shape == "edited":
        edited = {**base, "from": person.to_api(), "text": text, "edit_date": 2}
        return {"edited_message": {**edited, "entities": _entities(text)}}
    if shape == "caption":
        photo = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
        return {"message": {**base, "from": person.to_api(), "photo": photo, "caption": text}}
    if shape == "channel":  # an anonymous admin, posting as the group
        anonymous = {
            "id": 1087968824,
            "is_bot": True,
            "first_name": "Group",
            "username": "GroupAnonymousBot",
        }
        return {
            "message": {
                **base,
                "from": anonymous,
                "sender_chat": chat,
                "text": text,
                "entities": _entities(text),
            }
        }
    if shape in ("poll_answer", "poll"):
        polls = list(tg.polls) or ["123"]
        poll_id = polls[action["pick"] % len(polls)]
        options = [o for o in action["options"] if o >= 0]
        if shape == "poll_answer":
            answer = {"poll_id": poll_id, "user": person.to_api(), "option_ids": options}
            persistent = [f"{poll_id}-{o}" for o in options]
            return {"poll_answer": {**answer, "option_persistent_ids": persistent}}
        known = next(
            (m["poll"] for m in tg.messages.values() if m.get("poll", {}).get("id") == poll_id),
            None,
        )
        poll = copy.deepcopy(known) if known is not None else _poll(poll_id)
        for index, option in enumerate(poll["options"]):
            option["voter_count"] = options.count(index)
        poll["total_voter_count"] = len(options)
        return {"poll": poll}
    if shape == "unknown_group":
        stranger = world.unknown.to_api()
        return {
            "message": {
                **base,
                "chat": stranger,
                "from": person.to_api(),
                "text": text,
                "entities": _entities(text),
            }
        }
    # A press on a button of an inline message: there is no message at all.
    return {
        "callback_query": {
            "id": f"inline{action['pick']}",
            "from": person.to_api(),
            "inline_message_id": "AAAA",
            "chat_instance": "1",
            "data": text.encode()[:64].decode(errors="ignore") or "x",
        }
    }


def _poll(poll_id: str) -> dict[str, Any]:
    """A poll the bot never sent, in the Bot API's shape."""
    return {
        "id": poll_id,
        "question": "?",
        "options": [
            {"text": text, "voter_count": 0, "persistent_id": f"{poll_id}-{n}"}
            for n, text in enumerate("AB")
        ],
        "total_voter_count": 0,
        "is_closed": False,
        "is_anonymous": True,
        "type": "regular",
        "allows_multiple_answers": False,
        "allows_revoting": True,
        "members_only": False,
    }


def _entities(text: str) -> list[dict[str, Any]]:
    if not text.startswith("/"):
        return []
    length = len(text.split()[0].encode("utf-16-le")) // 2
    return [{"type": "bot_command", "offset": 0, "length": length}]


def _refused(calls: list[ApiCall]) -> list[ApiCall]:
    """Requests the Bot API refused as malformed: too long, bad HTML, bad buttons..."""
    return [
        c
        for c in calls
        if c.error is not None
        and c.error.code == 400
        and not any(h in c.error.description for h in HARMLESS)
    ]


# No shrinking by default: with a running bot an example takes a fraction of a second, and a
# failure is reported with its example and seed at once (add Phase.shrink to minimise one).
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
@given(actions=st.lists(ACTIONS, min_size=1, max_size=3))
def test_generated_input_never_breaks_the_bot(
    live: tuple[LiveBot, World], errors: Errors, actions: list[dict[str, Any]]
) -> None:
    bot, world = live
    tg = world.tg

    async def run() -> list[ApiCall]:
        for action in actions:
            await act(world, action)
        await tg.settle(quiet=0.25, timeout=10)
        calls = tg.calls[bot.checked :]
        bot.checked = len(tg.calls)
        return calls

    calls = bot.run(run())
    assert errors.records == [], [r.getMessage()[:500] for r in errors.records]
    assert _refused(calls) == []
    said = [c.result["text"] for c in calls if c.ok and c.method == "sendMessage"]
    assert not [text for text in said if text in FAILURES]
