"""The board's web application: the Mini App's page and files, and the routes handlers.board
gives it, under the path of VILLAGEBOT_WEB_URL. In webhook mode the webhook's server serves it
too (one port); with long polling it has a server of its own (`BoardServer`)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from urllib.parse import urlsplit

from aiohttp import web

from bot.config import ConfigError
from bot.runtime import BotApplication

log = logging.getLogger(__name__)

BOT_APP = web.AppKey("bot_app", BotApplication)
STATIC_FILES = {"board.js": "text/javascript", "board.css": "text/css"}
# Pages change with the code: the browser asks again after this long.
STATIC_MAX_AGE = 3600


def prefix_of(web_url: str) -> str:
    """The path the board's URL names ("" at the host's root): a reverse proxy passes it on."""
    return urlsplit(web_url).path.rstrip("/")


def _static(name: str) -> bytes:
    return files("bot.board").joinpath("static", name).read_bytes()


def install(
    served: web.Application,
    bot_app: BotApplication,
    routes: Sequence[web.RouteDef],
    prefix: str,
) -> None:
    """Add the board to `served`: its page, its files and `routes` (paths under `prefix`)."""
    served[BOT_APP] = bot_app
    shell = _static("board.html").replace(b"{prefix}", prefix.encode())
    contents = {name: _static(name) for name in STATIC_FILES}

    async def page(_request: web.Request) -> web.Response:
        return web.Response(body=shell, content_type="text/html", charset="utf-8")

    def static_route(name: str) -> web.RouteDef:
        async def serve(_request: web.Request) -> web.Response:
            return web.Response(
                body=contents[name],
                content_type=STATIC_FILES[name],
                charset="utf-8",
                headers={"Cache-Control": f"max-age={STATIC_MAX_AGE}"},
            )

        return web.get(f"{prefix}/board/static/{name}", serve)

    served.add_routes([web.get(f"{prefix}/board", page), web.get(f"{prefix}/board/", page)])
    served.add_routes([static_route(name) for name in STATIC_FILES])
    served.add_routes(
        [
            web.RouteDef(route.method, prefix + route.path, route.handler, route.kwargs)
            for route in routes
        ]
    )


@dataclass
class BoardServer:
    """The board's own listening server, for a bot that takes its updates by long polling."""

    served: web.Application
    listen: str
    port: int
    _runner: web.AppRunner | None = field(default=None, repr=False)

    async def start(self) -> None:
        runner = web.AppRunner(self.served, handle_signals=False, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.listen, self.port).start()
        except OSError as exc:
            await runner.cleanup()
            raise ConfigError(
                f"cannot listen on {self.listen}:{self.port}: {exc.strerror or exc}"
            ) from exc
        self._runner = runner
        log.info("serving the board on %s:%s", self.listen, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
