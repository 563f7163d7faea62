"""A Bot API outage: first every call is answered 502 Bad Gateway, then connections are refused.
The bot keeps running and resumes when the API is back. A meeting reminder that falls due during
the outage is sent once the API is back, within its grace; one whose grace runs out during the
outage is skipped and logged, and never sent later.

The issue asks for a minute; eight seconds (longer than a request's plain retries) exercise the
same code (the polling loop's backoff, the requests' retries and the reminders' patience) and
keep the suite fast. A longer outage only makes the backoff reach its ceiling (30 s between
getUpdates), which the polling tests check without waiting for it."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

import pytest
import time_machine

from bot.models import utcnow
from bot.testing import ApiError, BotApiEmulator, Params, running_bot, serve, settings_for
from handlers import meeting_jobs
from tests.handlers.meeting_steps import RIGA, local_day, schedule, sent_texts

pytestmark = pytest.mark.faults

REMINDER = "⏰ Atgādinājums. Līdz sanāksmei: 1 stunda"
PHASE = 4.0  # seconds of 502s, then as long with connections refused: past the plain retries


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Api:
    """The emulator on a fixed port that can go away (connections refused) and come back."""

    def __init__(self, tg: BotApiEmulator) -> None:
        self.tg = tg
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def up(self) -> None:
        ready = asyncio.Event()
        self._stop = asyncio.Event()

        async def serving() -> None:
            async with serve(self.tg, port=self.port):
                ready.set()
                await self._stop.wait()

        self._task = asyncio.create_task(serving())
        await ready.wait()

    async def down(self) -> None:
        self._stop.set()
        if self._task is not None:
            await self._task


@asynccontextmanager
async def _served(api: Api) -> AsyncIterator[Api]:
    await api.up()
    try:
        yield api
    finally:
        await api.down()


def _bad_gateway(_method: str, _params: Params) -> ApiError:
    return ApiError(502, "Bad Gateway")


async def test_the_bot_rides_out_an_outage(
    tg: BotApiEmulator, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    api = Api(tg)
    anna = tg.user("Anna", language_code="lv")
    janis = tg.user("Jānis", language_code="lv")
    village = tg.group("Lejasciems", admins=[anna], members=[janis])
    day = local_day(3)
    async with _served(api), running_bot(settings_for(tg, api.url, database_url)) as bot:
        cursor = tg.mark()
        await tg.add_bot(village, by=anna)
        await tg.next_message(village, after=cursor)
        assert (await tg.ask(village, anna, "/settings reminders 1h"))["text"].startswith("Sag")
        await schedule(tg, village, anna, f"{day} 18:00")
        await schedule(tg, village, anna, f"{day} 17:30", title="Talkas plānošana")
        await tg.settle()
        # 17:00 on that day: the 18:00 meeting's reminder is due in a second; the 17:30
        # meeting's was due at 16:30, and its grace (30 minutes) ends in a second too.
        at_five = datetime.fromisoformat(f"{day}T17:00:00").replace(tzinfo=RIGA)
        with time_machine.travel(at_five - timedelta(seconds=1), tick=True):
            tg.faults.append(_bad_gateway)
            cursor = tg.mark()
            await meeting_jobs.schedule(bot)  # what start-up or the planner does then
            await asyncio.sleep(PHASE)
            tg.faults.remove(_bad_gateway)
            await api.down()  # connections refused from now on
            await asyncio.sleep(PHASE)
            await api.up()
            back = utcnow()
            await tg.send(village, janis, "/help")
            await tg.wait_for(
                lambda c: c.ok and c.method == "sendMessage" and "Komandas" in c.result["text"],
                timeout=40,
            )
            resumed = utcnow() - back
            await tg.wait_for(
                lambda c: (
                    c.ok and c.method == "sendMessage" and c.result["text"].startswith(REMINDER)
                ),
                after=cursor,
                timeout=30,
            )
            await tg.settle(quiet=1.0, timeout=60)
            # Later runs (a planner pass, a restart) do not send either of them again.
            await meeting_jobs.schedule(bot)
            await tg.settle(quiet=1.0)
    reminders = sent_texts(tg, village, REMINDER)
    assert len(reminders) == 1
    assert "Sanāksme par paveikto" in reminders[0]
    assert any(c.error is not None and c.error.code == 502 for c in tg.calls[cursor:])
    assert resumed < timedelta(seconds=35)
    assert "is too late to mean anything; dropped" in caplog.text
    assert "getUpdates failed" in caplog.text
