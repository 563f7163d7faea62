"""The emulator behind HTTP on 127.0.0.1: `{url}/bot{token}/{method}` and `{url}/file/bot{token}/…`;
while the bot has a webhook set, updates are POSTed to it (bot.testing.webhook).

Parameters are read the ways the Bot API accepts them: query string, URL-encoded form,
multipart form (with files) and JSON body.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiohttp import BodyPartReader, web

from bot.testing.emulator import BotApiCore
from bot.testing.params import ApiError, Params, Upload
from bot.testing.webhook import delivering


async def _read_params(request: web.Request) -> Params:
    raw: dict[str, Any] = dict(request.query)
    files: dict[str, Upload] = {}
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            # Recorded as a form would carry them (objects as JSON text), so that a call reads
            # the same in `ApiCall.params` whichever encoding the bot chose.
            raw.update({k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()})
    elif request.content_type == "multipart/form-data":
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader) or part.name is None:
                continue
            if part.filename is not None:
                files[part.name] = Upload(
                    part.filename,
                    bytes(await part.read()),
                    part.headers.get("Content-Type", "application/octet-stream"),
                )
            else:
                raw[part.name] = await part.text()
    elif request.can_read_body:
        raw.update(dict(await request.post()))
    # A file sent by reference is a string field naming an "attach://" part.
    for name, value in list(raw.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            attached = files.get(value.removeprefix("attach://"))
            if attached is not None:
                files[name] = attached
    return Params(raw, files)


def make_app(core: BotApiCore) -> web.Application:
    async def api(request: web.Request) -> web.Response:
        if request.match_info["token"] != core.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        try:
            params = await _read_params(request)
            result = await core.call(request.match_info["method"], params)
        except ApiError as error:
            return web.json_response(error.to_api(), status=error.code)
        return web.json_response({"ok": True, "result": result}, dumps=_dumps)

    async def file(request: web.Request) -> web.Response:
        if request.match_info["token"] != core.token:
            return web.Response(status=401)
        file_id = request.match_info["path"].rsplit("/", 1)[-1]
        upload = core.files.get(file_id)
        if upload is None:
            return web.Response(status=404)
        return web.Response(body=upload.content, content_type=upload.content_type)

    app = web.Application(client_max_size=60 * 1024 * 1024)
    app.router.add_route("*", "/bot{token}/{method}", api)
    app.router.add_get("/file/bot{token}/{path:.+}", file)
    return app


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


@asynccontextmanager
async def serve(core: BotApiCore, host: str = "127.0.0.1", port: int = 0) -> AsyncIterator[str]:
    """Serve the emulator until the block ends; yields its root URL (for TELEGRAM_API_URL)."""
    core.closing = False  # served again after an outage
    runner = web.AppRunner(make_app(core), handler_cancellation=True, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound_port = runner.addresses[0][1]
    try:
        async with delivering(core):
            yield f"http://{host}:{bound_port}"
    finally:
        core.closing = True
        await core.notify()
        await runner.cleanup()
