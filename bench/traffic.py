"""Realistic traffic for a region: residents propose ideas, press support on idea cards, add SWOT
inputs, answer polls and page through /ideas, at random in every village; and how long each
update waited for the bot's answer."""

from __future__ import annotations

import asyncio
import math
import random
import string
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bench.processes import Polls
from bench.world import Region, Village
from bot.testing import ApiCall, BotApiEmulator, Params, buttons

# What a village does, and how often (a poll answer is two updates: the answer and the counts).
MIX: dict[str, float] = {
    "idea": 0.20,
    "support": 0.35,
    "swot": 0.15,
    "vote": 0.15,
    "page": 0.15,
}
SWOT_COMMANDS = ("/strength", "/weakness", "/opportunity", "/threat")
SEND_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument", "sendPoll"})


@dataclass
class Sent:
    """One injected update and what answers it: a reply to the message, the answer to the button
    press, or (no answer at all, e.g. a poll answer) its confirmation after processing."""

    kind: str
    update_id: int
    at: float
    chat_id: int | None = None
    message_id: int | None = None
    query_id: str | None = None


Inject = Callable[[], Awaitable[list[Sent]]]


@dataclass
class Stage:
    """What a village has on screen to press and vote on."""

    cards: list[dict[str, Any]]
    polls: list[dict[str, Any]]
    lists: list[dict[str, Any]]


def _words(rng: random.Random, count: int) -> str:
    return " ".join(
        "".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 9))) for _ in range(count)
    )


class Traffic:
    def __init__(self, tg: BotApiEmulator, region: Region, rng: random.Random) -> None:
        self.tg = tg
        self.region = region
        self.rng = rng
        self.stages: dict[int, Stage] = {}
        self.serial = 0

    async def warm_up(self, ideas_per_village: int = 3, timeout: float = 30) -> None:
        """Each village gets idea cards, a public poll and an /ideas list to work with."""
        tg = self.tg
        for village in self.region.villages:
            stage = Stage([], [], [])
            for resident in village.residents[:ideas_per_village]:
                card = await tg.ask(
                    village.chat, resident, f"/idea {self._idea_text()}", timeout=timeout
                )
                if any(b.get("callback_data", "").startswith("sup") for b in buttons(card)):
                    stage.cards.append(card)
            cursor = tg.mark()
            await tg.send(
                village.chat, village.leader, "/poll public Kas darāms vispirms? | A | B | C"
            )
            poll = await tg.wait_for(
                lambda c, chat_id=village.chat.id: (
                    c.ok and c.method == "sendPoll" and _chat(c) == chat_id
                ),
                after=cursor,
                timeout=timeout,
            )
            stage.polls.append(poll.result)
            stage.lists.append(
                await tg.ask(village.chat, village.leader, "/ideas", timeout=timeout)
            )
            self.stages[village.community_id] = stage
        await tg.settle(quiet=0.5, timeout=timeout)

    def _idea_text(self) -> str:
        self.serial += 1
        return f"{_words(self.rng, 6)} {self.serial}"

    def pick(self) -> str:
        kinds, weights = zip(*MIX.items(), strict=True)
        return self.rng.choices(kinds, weights)[0]

    async def one(self, kind: str | None = None) -> list[Sent]:
        """One action of a random resident of a random village."""
        kind = kind or self.pick()
        village = self.rng.choice(self.region.villages)
        resident = self.rng.choice(village.residents)
        return await ACTIONS[kind](self, village, resident)

    async def _idea(self, village: Village, resident: Any) -> list[Sent]:
        message = await self.tg.send(village.chat, resident, f"/idea {self._idea_text()}")
        return [self._message("idea", message)]

    async def _swot(self, village: Village, resident: Any) -> list[Sent]:
        command = self.rng.choice(SWOT_COMMANDS)
        message = await self.tg.private(resident, f"{command} {_words(self.rng, 5)}")
        return [self._message("swot", message)]

    async def _support(self, village: Village, resident: Any) -> list[Sent]:
        card = self.rng.choice(self.stages[village.community_id].cards)
        data = next(
            b["callback_data"] for b in buttons(card) if b["callback_data"].startswith("sup")
        )
        query = await self.tg.press_data(card, data, resident)
        return [self._press("support", query)]

    async def _page(self, village: Village, resident: Any) -> list[Sent]:
        listing = self.stages[village.community_id].lists[0]
        current = self.tg.message(listing["chat"]["id"], listing["message_id"])
        pages = [
            b["callback_data"]
            for b in buttons(current)
            if b.get("callback_data", "").startswith("ideas")
        ]
        query = await self.tg.press_data(current, self.rng.choice(pages), resident)
        return [self._press("page", query)]

    async def _vote(self, village: Village, resident: Any) -> list[Sent]:
        poll = self.rng.choice(self.stages[village.community_id].polls)
        before = len(self.tg.history)
        await self.tg.vote(poll, resident, [self.rng.randrange(3)])
        now = asyncio.get_running_loop().time()
        return [Sent("vote", u["update_id"], now) for u in self.tg.history[before:]]

    def _message(self, kind: str, message: dict[str, Any]) -> Sent:
        update = self.tg.history[-1]
        return Sent(
            kind,
            update["update_id"],
            asyncio.get_running_loop().time(),
            chat_id=message["chat"]["id"],
            message_id=message["message_id"],
        )

    def _press(self, kind: str, query_id: str) -> Sent:
        update = self.tg.history[-1]
        return Sent(kind, update["update_id"], asyncio.get_running_loop().time(), query_id=query_id)


ACTIONS: dict[str, Callable[[Traffic, Village, Any], Any]] = {
    "idea": Traffic._idea,
    "support": Traffic._support,
    "swot": Traffic._swot,
    "vote": Traffic._vote,
    "page": Traffic._page,
}


async def at_rate(inject: Inject, rate: float, seconds: float) -> list[Sent]:
    """Inject at a fixed rate (updates a second) for `seconds`."""
    loop = asyncio.get_running_loop()
    next_at = loop.time()
    end = next_at + seconds
    sent: list[Sent] = []
    while next_at < end:
        await asyncio.sleep(max(0.0, next_at - loop.time()))
        batch = await inject()
        sent += batch
        next_at += len(batch) / rate
    return sent


def recording(inject: Inject, into: list[Sent]) -> Inject:
    """`inject`, keeping what it sent in `into` (for the checks after a run)."""

    async def one() -> list[Sent]:
        sent = await inject()
        into.extend(sent)
        return sent

    return one


def _chat(call: ApiCall) -> int | None:
    raw = call.params.get("chat_id")
    return int(raw) if raw is not None else None


def _reply_to(call: ApiCall) -> int | None:
    params = Params(call.params)
    reply = params.json("reply_parameters") or {}
    found = reply.get("message_id") or params.integer("reply_to_message_id")
    return int(found) if found else None


@dataclass
class Answers:
    """When the bot answered each update: indexes the emulator's calls once."""

    replies: dict[tuple[int, int], float]
    presses: dict[str, float]
    polls: Polls | None

    @classmethod
    def of(cls, tg: BotApiEmulator, polls: Polls | None, after: int = 0) -> Answers:
        replies: dict[tuple[int, int], float] = {}
        presses: dict[str, float] = {}
        for call in tg.calls[after:]:
            if not call.ok:
                continue
            if call.method in SEND_METHODS:
                chat, reply_to = _chat(call), _reply_to(call)
                if chat is not None and reply_to is not None:
                    replies.setdefault((chat, reply_to), call.at)
            elif call.method == "answerCallbackQuery":
                presses.setdefault(str(call.params.get("callback_query_id")), call.at)
        return cls(replies, presses, polls)

    def answered_at(self, sent: Sent) -> float | None:
        if sent.query_id is not None:
            return self.presses.get(sent.query_id)
        if sent.chat_id is not None and sent.message_id is not None:
            return self.replies.get((sent.chat_id, sent.message_id))
        return self.polls.confirmed_at(sent.update_id) if self.polls is not None else None


async def wait_answered(
    tg: BotApiEmulator, polls: Polls | None, sent: list[Sent], timeout: float
) -> Answers:
    """Until every update was answered (or confirmed), or time is up."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        answers = Answers.of(tg, polls)
        missing = sum(1 for s in sent if answers.answered_at(s) is None)
        if not missing or loop.time() > deadline:
            return answers
        await asyncio.sleep(0.2)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share from 0 to 1)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = min(len(ordered), max(1, math.ceil(share * len(ordered))))
    return ordered[rank - 1]
