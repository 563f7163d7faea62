"""Actions run alongside processing: in order per chat, a failure logged without stopping the
others; outside a `joining` block, at once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import pytest

from bot.wire import delivery


@contextlib.asynccontextmanager
async def _alongside() -> AsyncIterator[delivery.Deliveries]:
    """As the polling loop and the webhook server: join, then (at their stop) drain."""
    deliveries = delivery.Deliveries()
    with delivery.joining(deliveries):
        yield deliveries
    await deliveries.drain()


def _sender(log: list[str], name: str, pause: float = 0.0) -> delivery.Send:
    async def send() -> None:
        await asyncio.sleep(pause)
        log.append(name)

    return send


async def test_outside_a_batch_answers_go_at_once() -> None:
    sent: list[str] = []
    await delivery.deliver(1, _sender(sent, "a"))
    assert sent == ["a"]


async def test_one_chat_keeps_its_order_while_other_chats_do_not_wait() -> None:
    sent: list[str] = []
    async with _alongside():
        await delivery.deliver(1, _sender(sent, "slow first", pause=0.05))
        await delivery.deliver(1, _sender(sent, "second"))
        await delivery.deliver(2, _sender(sent, "other chat"))
        assert sent == []  # handed over, processing goes on
    assert sent == ["other chat", "slow first", "second"]


async def test_a_failed_answer_is_logged_and_the_chat_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    sent: list[str] = []

    async def broken() -> None:
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR, logger="bot.wire.delivery"):
        async with _alongside():
            await delivery.deliver(1, broken)
            await delivery.deliver(1, _sender(sent, "after"))
    assert sent == ["after"]
    assert "sending the answers of an update failed" in caplog.text


async def test_what_an_answer_sends_itself_is_not_deferred_again() -> None:
    sent: list[str] = []

    async def nested() -> None:
        await delivery.deliver(5, _sender(sent, "inner"))
        sent.append("outer")

    async with _alongside():
        await delivery.deliver(1, nested)
    assert sent == ["inner", "outer"]


async def test_a_lasting_batch_keeps_each_chats_order_and_forgets_finished_chats() -> None:
    """The webhook server's: one batch for as long as it serves. A chat whose answers are all
    sent leaves no trace behind, and `wait_below` holds the next update while too many wait."""
    sent: list[str] = []
    deliveries = delivery.Deliveries()
    with delivery.joining(deliveries):
        await delivery.deliver(1, _sender(sent, "slow first", pause=0.05))
    with delivery.joining(deliveries):
        await delivery.deliver(1, _sender(sent, "second"))
        await delivery.deliver(2, _sender(sent, "other chat"))
    assert deliveries.pending == 3
    await delivery.deliver(3, _sender(sent, "outside: at once"))
    assert sent == ["outside: at once"]
    await asyncio.wait_for(deliveries.wait_below(1), 5)
    assert sent == ["outside: at once", "other chat", "slow first", "second"]
    assert deliveries.pending == 0
    assert deliveries._last == {}
