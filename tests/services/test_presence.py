"""Telegram's answer whether someone is in a group: cached for a while, failures not kept."""

from __future__ import annotations

import pytest

from bot.services import presence
from bot.services.presence import PresenceDirectory


class Telegram:
    def __init__(self) -> None:
        self.members = {(-1, 10)}
        self.calls = 0
        self.fail = False
        self.now = 1000.0

    def clock(self) -> float:
        return self.now

    async def fetch(self, chat_id: int, user_id: int) -> bool:
        self.calls += 1
        if self.fail:
            raise RuntimeError("Bot API unreachable")
        return (chat_id, user_id) in self.members


async def test_answers_are_cached_for_the_ttl_and_forgotten_on_demand() -> None:
    tg = Telegram()
    directory = PresenceDirectory(tg.fetch, ttl=600, clock=tg.clock)
    assert await directory.is_member(-1, 10) is True
    assert await directory.is_member(-1, 20) is False
    tg.members.add((-1, 20))
    tg.now += 599
    assert await directory.is_member(-1, 20) is False
    assert tg.calls == 2
    directory.forget(-1, 20)  # they joined: the next question goes to Telegram
    assert await directory.is_member(-1, 20) is True
    tg.members.discard((-1, 10))
    assert await directory.is_member(-1, 10, max_age=0) is False  # asked afresh
    assert tg.calls == 4


async def test_a_failure_is_unknown_and_not_kept() -> None:
    tg = Telegram()
    directory = PresenceDirectory(tg.fetch, ttl=600, clock=tg.clock)
    tg.fail = True
    assert await directory.is_member(-1, 10) is None
    tg.fail = False
    assert await directory.is_member(-1, 10) is True


async def test_passers_by_do_not_grow_the_cache_without_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(presence, "CACHE_LIMIT", 3)
    tg = Telegram()
    directory = PresenceDirectory(tg.fetch, ttl=600, clock=tg.clock)
    for user_id in range(5):
        await directory.is_member(-1, user_id)
    calls = tg.calls
    await directory.is_member(-1, 4)  # kept
    await directory.is_member(-1, 0)  # dropped as the oldest: asked again
    assert tg.calls == calls + 1
