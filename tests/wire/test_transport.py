"""The aiohttp transport carries what PTB's own does: fields (as one JSON body), files as
multipart, the Bot API's refusals, and timeouts and failures as PTB's errors."""

from __future__ import annotations

import asyncio
import socket

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.testing import BotApiEmulator, Params
from bot.wire.transport import NOT_SENT, AiohttpRequest


def _bot(tg: BotApiEmulator, url: str, **kwargs: float) -> Bot:
    return Bot(tg.token, base_url=f"{url}/bot", request=AiohttpRequest(4, **kwargs))


async def test_fields_and_files_reach_the_api(tg: BotApiEmulator, api_url: str) -> None:
    alice = tg.user("Alice")
    await tg.private(alice, "/start")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Jā", callback_data="yes")]])
    async with _bot(tg, api_url) as bot:
        sent = await bot.send_message(
            alice.id, "Sveiki, <b>ciems</b>!", parse_mode="HTML", reply_markup=markup
        )
        document = await bot.send_document(
            alice.id, b"a,b\n1,2\n", filename="ciems.csv", caption="Dati"
        )
    assert sent.text == "Sveiki, ciems!"
    assert sent.reply_markup == markup
    assert document.document is not None
    assert document.document.file_name == "ciems.csv"
    assert document.caption == "Dati"
    assert tg.files[document.document.file_id].content == b"a,b\n1,2\n"


async def test_a_refusal_is_the_bot_apis_error(tg: BotApiEmulator, api_url: str) -> None:
    async with _bot(tg, api_url) as bot:
        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            await bot.send_message(424242, "hello")


async def test_a_slow_answer_times_out(tg: BotApiEmulator, api_url: str) -> None:
    async def stall(method: str, _params: Params) -> None:
        if method == "getChat":
            await asyncio.sleep(0.5)

    tg.faults.append(stall)
    async with _bot(tg, api_url, read_timeout=0.1) as bot:
        with pytest.raises(TimedOut):
            await bot.get_chat(1)


async def test_a_refused_connection_is_a_network_error_that_was_not_sent(
    tg: BotApiEmulator,
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = AiohttpRequest()
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as raised:
            await request.do_request(f"http://127.0.0.1:{port}/bot{tg.token}/getMe", "POST")
    finally:
        await request.shutdown()
    assert isinstance(raised.value.__cause__, NOT_SENT)


async def test_a_call_without_files_is_one_json_body() -> None:
    """Texts go as they are (no percent-encoding), objects nested, numbers and flags typed."""
    seen: list[tuple[str, object]] = []

    async def record(request: web.Request) -> web.Response:
        seen.append((request.content_type, await request.json()))
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_post("/call", record)
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Jā", callback_data="yes")]])
    parameters = {"chat_id": -100, "text": "Sveiki, <b>ciems</b> ā & ё", "reply_markup": markup}
    async with TestServer(app) as server:
        request = AiohttpRequest()
        await request.initialize()
        try:
            data = RequestData([RequestParameter.from_input(k, v) for k, v in parameters.items()])
            status, _ = await request.do_request(str(server.make_url("/call")), "POST", data)
        finally:
            await request.shutdown()
    assert status == 200
    assert seen == [
        (
            "application/json",
            {
                "chat_id": -100,
                "text": "Sveiki, <b>ciems</b> ā & ё",
                "reply_markup": markup.to_dict(),
            },
        )
    ]
