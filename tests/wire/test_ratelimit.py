"""The bot's flood control against the emulator's strict reading of Telegram's limits: bursts go
at once, the rest as fast as the windows allow, never a 429; a 429 that comes anyway is waited
out and the message sent once."""

from __future__ import annotations

import asyncio
import os
import time

import pytest
from telegram import Bot
from telegram.error import RetryAfter
from telegram.ext import ExtBot

from bot.testing import ApiError, BotApiEmulator, FakeChat, FakeUser, Params
from bot.testing.flood import FloodLimits
from bot.testing.world import MEMBER
from bot.wire.ratelimit import FloodLimiter, Window, counted, retry_after

os.environ.setdefault("PTB_TIMEDELTA", "1")  # as bot.app does: durations as timedelta


def _bot(tg: BotApiEmulator, url: str, limiter: FloodLimiter) -> Bot:
    return ExtBot(tg.token, base_url=f"{url}/bot", rate_limiter=limiter)


def _group(tg: BotApiEmulator, title: str) -> FakeChat:
    chat = tg.group(title)
    chat.members[tg.bot.id] = MEMBER
    return chat


def _started(tg: BotApiEmulator, name: str) -> FakeUser:
    person = tg.user(name)
    person.started = True
    return person


def test_what_counts_as_a_message() -> None:
    assert all(map(counted, ("sendMessage", "sendPhoto", "editMessageText", "stopPoll")))
    assert not any(map(counted, ("sendChatAction", "answerCallbackQuery", "getChat")))


def test_a_window_lets_a_message_in_once_the_oldest_answered_one_is_a_period_old() -> None:
    window = Window(limit=2, period=1.0)
    assert window.wait(0.0) == 0
    from bot.wire.ratelimit import _Slot

    first, second = _Slot(), _Slot()
    window.take(first)
    window.take(second)
    assert window.wait(0.1) == 0.05  # both still in flight: look again soon
    first.done, second.done = 0.2, 0.3
    assert window.wait(0.4) == pytest.approx(0.8)
    assert window.wait(1.2) == 0
    assert window.expired(1.31)


async def test_sixty_messages_to_sixty_chats_take_the_least_time_the_limits_allow(
    tg: BotApiEmulator, api_url: str
) -> None:
    tg.flood = FloodLimits(overall=(30, 1.0))
    people = [_started(tg, f"P{n}") for n in range(60)]
    limiter = FloodLimiter(per_second=30, group_per_minute=20, chat_per_second=1)
    async with _bot(tg, api_url, limiter) as bot:
        await asyncio.gather(*(bot.send_message(p.id, "Sveiki") for p in people))
    assert tg.flood.refused == 0
    sent = sorted(c.at for c in tg.calls if c.method == "sendMessage" and c.ok)
    assert len(sent) == 60
    # Measured where Telegram receives them, so a busy machine's slow round trips do not count:
    # 30 at once (spaced sending would spread them over a second: 0.97 s from the first to the
    # 30th; 30 HTTP calls at once take up to half a second on a loaded machine), the next 30 as
    # soon as the first 30 are a second old.
    assert sent[29] - sent[0] < 0.8
    assert 1.0 <= sent[30] - sent[0] < 1.6
    assert sent[59] - sent[30] < 0.8


async def test_a_group_waits_for_its_window_and_other_chats_are_not_held_up(
    tg: BotApiEmulator, api_url: str
) -> None:
    # Telegram's 20 a minute, scaled down to 3 in two seconds for the test.
    tg.flood = FloodLimits(group=(3, 2.0), chat=(10, 1.0))
    busy, quiet = _group(tg, "Busy"), _group(tg, "Quiet")
    limiter = FloodLimiter(group_per_minute=90, group_period=2.0, chat_per_second=10)
    async with _bot(tg, api_url, limiter) as bot:
        started = time.monotonic()
        burst = asyncio.gather(*(bot.send_message(busy.id, f"{n}") for n in range(4)))
        await asyncio.sleep(0.05)
        await bot.send_message(quiet.id, "not held up")
        quiet_took = time.monotonic() - started
        await burst
        busy_took = time.monotonic() - started
    assert tg.flood.refused == 0
    assert quiet_took < 0.5
    assert busy_took >= 2.0
    busy_calls = [c for c in tg.calls if c.params.get("chat_id") == str(busy.id)]
    assert sorted(c.params["text"] for c in busy_calls) == ["0", "1", "2", "3"]
    arrived = sorted(c.at for c in busy_calls)
    assert 2.0 <= arrived[3] - arrived[0] < 2.6  # the fourth as soon as the first is 2 s old


async def test_a_429_pauses_and_the_message_goes_once(tg: BotApiEmulator, api_url: str) -> None:
    person = _started(tg, "Ilze")
    floods = iter([ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1})])

    def flood(method: str, _params: Params) -> ApiError | None:
        return next(floods, None) if method == "sendMessage" else None

    tg.faults.append(flood)
    async with _bot(tg, api_url, FloodLimiter(per_second=1000, chat_per_second=1000)) as bot:
        started = time.monotonic()
        await bot.send_message(person.id, "Sveiki")
        assert time.monotonic() - started >= 1.0
    assert [c.ok for c in tg.calls if c.method == "sendMessage"] == [False, True]


async def test_the_emulator_refuses_the_thirty_first_message_in_a_second(
    tg: BotApiEmulator, api_url: str
) -> None:
    tg.flood = FloodLimits()
    people = [_started(tg, f"P{n}") for n in range(31)]
    async with Bot(tg.token, base_url=f"{api_url}/bot") as bot:
        results = await asyncio.gather(
            *(bot.send_message(p.id, "Sveiki") for p in people), return_exceptions=True
        )
    refused = [r for r in results if isinstance(r, RetryAfter)]
    assert len(refused) == 1
    assert retry_after(refused[0]) == 1
    assert tg.flood.refused == 1
