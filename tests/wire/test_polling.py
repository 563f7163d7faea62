"""Our polling loop: an update is confirmed to Telegram only once it was processed; errors are
retried as PTB's Updater does; a stop finishes the update in hand and confirms it."""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta
from typing import Any

import pytest
from telegram import Update
from telegram.error import BadRequest, Conflict, InvalidToken, NetworkError, RetryAfter, TimedOut

from bot.runtime import BotApplication
from bot.testing import ApiError, BotApiEmulator, Params
from bot.wire.polling import Backoff, Poller, polling, retrying

os.environ.setdefault("PTB_TIMEDELTA", "1")  # as bot.app does: durations as timedelta


class Offsets:
    """Every getUpdates offset the bot asks for, and the update types it asks for."""

    def __init__(self) -> None:
        self.seen: list[int] = []
        self.allowed: list[Any] = []

    def __call__(self, method: str, params: Params) -> None:
        if method == "getUpdates":
            self.seen.append(params.integer("offset", 0) or 0)
            self.allowed.append(params.json("allowed_updates"))


def hold_updates(
    app: BotApplication, monkeypatch: pytest.MonkeyPatch
) -> tuple[asyncio.Event, asyncio.Event]:
    """Each update waits before it is processed: `entered` is set when one arrives, and it goes
    on once `release` is set."""
    entered, release = asyncio.Event(), asyncio.Event()
    original = app.process_update

    async def held(update: object) -> None:
        entered.set()
        await release.wait()
        await original(update)

    monkeypatch.setattr(app, "process_update", held)
    return entered, release


async def test_an_update_is_confirmed_only_after_it_was_processed(
    tg: BotApiEmulator, bot: BotApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    offsets = Offsets()
    tg.faults.append(offsets)
    entered, release = hold_updates(bot, monkeypatch)
    person = tg.user("Ilze")
    await tg.private(person, "/help")
    update = tg.history[-1]
    await asyncio.wait_for(entered.wait(), 10)
    # Being processed: not confirmed, still waiting with Telegram.
    await asyncio.sleep(0.2)
    assert not any(offset > update["update_id"] for offset in offsets.seen)
    assert tg.pending_updates == 1
    release.set()
    await tg.next_message(person, after=0)
    await tg.wait_until(lambda: True if tg.pending_updates == 0 else None, 10)
    assert any(offset == update["update_id"] + 1 for offset in offsets.seen)
    assert set(offsets.allowed[-1]) == set(Update.ALL_TYPES)


async def test_a_stop_finishes_the_update_in_hand_and_confirms_it(
    tg: BotApiEmulator, api_url: str, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.app import build_application
    from bot.testing import settings_for

    app = build_application(settings_for(tg, api_url, sqlite_url))
    offsets = Offsets()
    tg.faults.append(offsets)
    person = tg.user("Ilze")
    entered, release = hold_updates(app, monkeypatch)
    async with polling(app) as poller:
        await tg.private(person, "/help")
        await tg.private(person, "/help")
        first, second = (u["update_id"] for u in tg.history[-2:])
        await asyncio.wait_for(entered.wait(), 10)
        stopping = asyncio.create_task(poller.stop())
        await asyncio.sleep(0.1)
        release.set()
        await stopping
        assert poller.processed == 1
    # The first was answered and confirmed; the second was not touched and waits for the bot.
    assert [c.method for c in tg.calls if c.method == "sendMessage"] == ["sendMessage"]
    assert offsets.seen[-1] == first + 1
    assert tg.pending_updates == 1
    assert second == first + 1


async def test_polling_survives_errors_and_goes_on(tg: BotApiEmulator, bot: BotApplication) -> None:
    answers = iter(
        [
            ApiError(502, "Bad Gateway"),
            ApiError(409, "Conflict: terminated by other getUpdates request"),
            ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1}),
        ]
    )

    def trouble(method: str, _params: Params) -> ApiError | None:
        return next(answers, None) if method == "getUpdates" else None

    tg.faults.append(trouble)
    person = tg.user("Ilze")
    reply = await tg.ask(person, person, "/help", timeout=20)
    assert reply["text"]


@pytest.mark.parametrize(
    ("error", "wait"),
    [
        (RetryAfter(timedelta(seconds=3)), 3.5),
        (TimedOut(), 0.0),
        (NetworkError("502 Bad Gateway"), 1.0),
        (Conflict("terminated by other getUpdates request"), 1.0),
    ],
)
def test_the_first_wait_after_an_error_is_ptbs(error: Any, wait: float) -> None:
    assert Backoff().after(error) == pytest.approx(wait)


def test_waits_grow_to_thirty_seconds_and_start_over_after_a_success() -> None:
    backoff = Backoff()
    waits = [backoff.after(NetworkError("down")) for _ in range(12)]
    assert waits[:4] == pytest.approx([1.0, 1.5, 2.25, 3.375])
    assert waits[-1] == 30.0
    backoff.reset()
    assert backoff.after(NetworkError("down")) == 1.0


async def test_start_up_steps_are_retried_but_not_an_invalid_token() -> None:
    calls = {"n": 0}

    async def flaky() -> None:
        calls["n"] += 1
        if calls["n"] < 3:
            raise NetworkError("no network")

    await retrying(flaky, "getMe", max_retries=-1, interval=0.01)
    assert calls["n"] == 3

    async def refused() -> None:
        raise InvalidToken("Unauthorized")

    with pytest.raises(InvalidToken):
        await retrying(refused, "getMe", max_retries=-1, interval=0.01)

    async def bad() -> None:
        raise BadRequest("nope")

    with pytest.raises(BadRequest):
        await retrying(bad, "getMe", max_retries=1, interval=0.01)


async def test_an_invalid_token_ends_polling(
    tg: BotApiEmulator, api_url: str, sqlite_url: str
) -> None:
    from bot.app import build_application
    from bot.testing import settings_for

    def unauthorized(method: str, _params: Params) -> ApiError | None:
        return ApiError(401, "Unauthorized") if method == "getUpdates" else None

    app = build_application(settings_for(tg, api_url, sqlite_url))
    tg.faults.append(unauthorized)
    async with app:
        poller = Poller(app, timeout=0.1)
        poller.start()
        with pytest.raises(InvalidToken):
            await asyncio.wait_for(poller.wait(), 10)
        await poller.stop()


async def test_a_slow_answer_in_one_chat_does_not_hold_up_the_next_update(
    tg: BotApiEmulator, bot: BotApplication
) -> None:
    """Two updates in one batch: the first one's answer takes a second to be accepted; the
    second one is processed and answered meanwhile, and the batch is confirmed without waiting
    for either answer (they are in the outbox, committed with their updates)."""
    slow, quick = tg.user("Ilze"), tg.user("Pēteris")
    gate, waiting = asyncio.Event(), asyncio.Event()
    moments: dict[str, float] = {}
    last_update = 0

    async def faults(method: str, params: Params) -> None:
        now = asyncio.get_running_loop().time
        if method == "getUpdates" and not gate.is_set():
            waiting.set()
            await gate.wait()
        if (
            method == "getUpdates"
            and gate.is_set()
            and (params.integer("offset") or 0) > last_update
        ):
            moments.setdefault("confirmed", now())
        if method == "sendMessage" and params.integer("chat_id") == slow.id:
            await asyncio.sleep(1.0)
            moments["slow answered"] = now()

    tg.faults.append(faults)
    await tg.private(tg.user("Kārlis"), "/help")  # ends the long poll in hand
    await asyncio.wait_for(waiting.wait(), 10)
    await tg.private(slow, "/help")
    await tg.private(quick, "/help")
    last_update = tg.history[-1]["update_id"]
    cursor = tg.mark()
    gate.set()

    def reply_to(person: Any) -> Any:
        return lambda c: (
            c.ok and c.method == "sendMessage" and str(c.params["chat_id"]) == str(person.id)
        )

    await tg.wait_for(reply_to(quick), after=cursor, timeout=0.8)
    assert "slow answered" not in moments
    await tg.wait_for(reply_to(slow), after=cursor, timeout=5)
    await tg.settle()
    assert moments["confirmed"] < moments["slow answered"]


async def test_a_batch_is_made_durable_before_it_is_confirmed(
    tg: BotApiEmulator, api_url: str, sqlite_url: str
) -> None:
    """Updates commit without syncing to the disk; the loop syncs before the getUpdates that
    confirms them, so an update whose changes a power cut could lose is never confirmed."""
    from bot.app import build_application, runtime_of
    from bot.testing import settings_for

    app = build_application(settings_for(tg, api_url, sqlite_url))
    events: list[str] = []

    def record(method: str, params: Params) -> None:
        if method == "getUpdates":
            events.append(f"getUpdates:{params.integer('offset', 0)}")

    tg.faults.append(record)
    person = tg.user("Ilze")
    async with polling(app) as poller:
        runtime = runtime_of(app)
        real_sync = runtime.db.sync

        def sync() -> None:
            events.append("sync")
            real_sync()

        poller.before_confirm = sync
        await tg.private(person, "/help")
        update_id = tg.history[-1]["update_id"]
        await tg.next_message(person, after=0)
        await tg.wait_until(lambda: True if tg.pending_updates == 0 else None, 10)
    confirming = events.index(f"getUpdates:{update_id + 1}")
    assert "sync" in events[:confirming]
    assert events[confirming - 1] == "sync"
