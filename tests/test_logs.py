"""Log lines: one per event, tagged with the update and community being handled."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Iterator

import pytest

from bot import logs
from bot.testing import BotApiEmulator, running_bot, settings_for


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    out = io.StringIO()
    logs.configure("INFO", out)
    yield out
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in saved[0]:
        root.addHandler(handler)
    root.setLevel(saved[1])


def _lines(stream: io.StringIO) -> list[str]:
    return [line.split(" ", 3)[3] for line in stream.getvalue().splitlines()]


def test_records_carry_the_update_and_community(stream: io.StringIO) -> None:
    log = logging.getLogger("handlers.ideas")
    log.info("before")
    with logs.event(update=17):
        log.info("loading")
        logs.set_community(3)
        log.info("idea %s stored", 5)
    log.info("after")
    assert _lines(stream) == [
        "handlers.ideas: before",
        "handlers.ideas update=17: loading",
        "handlers.ideas update=17 community=3: idea 5 stored",
        "handlers.ideas: after",
    ]


def test_a_traceback_stays_on_one_line(stream: io.StringIO) -> None:
    try:
        raise ValueError("bad\nvalue")
    except ValueError:
        logging.getLogger("bot").exception("failed on\nupdate")
    [line] = stream.getvalue().splitlines()
    assert "ERROR bot: failed on\\nupdate\\nTraceback (most recent call last):" in line
    assert line.endswith("ValueError: bad\\nvalue")


def test_the_level_comes_from_the_setting(stream: io.StringIO) -> None:
    logs.configure("WARNING", stream)
    logging.getLogger("bot").info("hidden")
    logging.getLogger("bot").warning("shown")
    logs.configure("DEBUG", stream)
    logging.getLogger("bot").debug("details")
    logging.getLogger("httpx").info("HTTP Request: POST …/getUpdates")  # one per request: noise
    logging.getLogger("httpx").warning("a failing request still shows")
    assert _lines(stream) == ["bot: shown", "bot: details", "httpx: a failing request still shows"]


async def test_concurrent_updates_keep_their_own_tags(stream: io.StringIO) -> None:
    log = logging.getLogger("handlers.context")

    async def handle(update: int, community: int) -> None:
        with logs.event(update=update):
            logs.set_community(community)
            await asyncio.sleep(0.01)
            log.info("handled")

    await asyncio.gather(handle(1, 10), handle(2, 20))
    assert sorted(_lines(stream)) == [
        "handlers.context update=1 community=10: handled",
        "handlers.context update=2 community=20: handled",
    ]


async def test_the_token_is_in_no_log_record(
    tg: BotApiEmulator, api_url: str, sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with running_bot(settings_for(tg, api_url, sqlite_url)):
        leader = tg.user("Anna")
        village = tg.group("Lejasciems", admins=[leader])
        await tg.add_bot(village, by=leader)
        await tg.ask(village, leader, "/idea Soliņi parkā")
        await tg.ask(village, leader, "/help")
    # PTB logs the Bot API URL at DEBUG and the emulator's server logs each request's path:
    # both hold /bot<token>/, and show it blanked.
    assert any("/bot<hidden>/" in record.getMessage() for record in caplog.records)
    for record in caplog.records:
        assert tg.token not in logging.Formatter().format(record)


def test_a_secret_is_blanked_in_messages_and_tracebacks(stream: io.StringIO) -> None:
    logs.hide_secrets("42:SECRET", None)
    log = logging.getLogger("httpx")
    log.warning("HTTP Request: POST https://api.telegram.org/bot%s/getMe", "42:SECRET")
    try:
        raise ConnectionError("https://api.telegram.org/bot42:SECRET/getUpdates")
    except ConnectionError:
        logging.getLogger("bot").exception("failed")
    text = stream.getvalue()
    assert "SECRET" not in text
    assert "POST https://api.telegram.org/bot<hidden>/getMe" in text
    assert "ConnectionError: https://api.telegram.org/bot<hidden>/getUpdates" in text


def test_an_update_is_described_without_its_content() -> None:
    from telegram import Update

    data = {
        "update_id": 7,
        "edited_message": {
            "message_id": 3,
            "date": 0,
            "chat": {"id": -100, "type": "supergroup", "title": "Lejasciems"},
            "from": {"id": 5, "is_bot": False, "first_name": "Zenta", "username": "zenta_k"},
            "text": "mans tālrunis 29123456",
        },
    }
    assert logs.describe(Update.de_json(data, None)) == "7 (edited_message, chat -100)"
    assert logs.describe(None) == "none"
