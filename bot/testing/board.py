"""The board served on a free loopback port, and a client that signs its requests as a
member would be signed in by Telegram: for tests, benchmarks and the console's board."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web

from bot.board import init_data
from bot.board.site import prefix_of as site_prefix
from bot.runtime import BotApplication, runtime_of
from bot.testing.world import FakeUser


@asynccontextmanager
async def serve_board(app: BotApplication) -> AsyncIterator[str]:
    """The board of `app` on 127.0.0.1 at a free port; yields its base URL (its path prefix
    included)."""
    runtime = runtime_of(app)
    assert runtime.board is not None, "set VILLAGEBOT_WEB_URL to turn the board on"
    served = web.Application()
    runtime.board(served)
    runner = web.AppRunner(served, handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}{site_prefix(runtime.settings.web_url or '')}"
    finally:
        await runner.cleanup()


def signed(token: str, user: FakeUser, start: str | None = None) -> str:
    """Init data for `user` as Telegram signs it."""
    return init_data.sign(
        token,
        telegram_id=user.id,
        first_name=user.first_name,
        last_name=user.last_name,
        username=user.username,
        language_code=user.language_code,
        start_param=start,
    )


@dataclass
class Answer:
    status: int
    text: str


@dataclass
class BoardClient:
    """Requests to the board's API as `user`, signed with the bot's token."""

    base_url: str
    token: str
    _http: aiohttp.ClientSession | None = field(default=None, repr=False)

    async def __aenter__(self) -> BoardClient:
        self._http = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        if self._http is not None:
            await self._http.close()

    def headers(self, user: FakeUser | None, start: str | None = None) -> dict[str, str]:
        return {"Authorization": f"tma {signed(self.token, user, start)}"} if user else {}

    async def get(
        self, user: FakeUser | None, path: str, *, headers: Mapping[str, str] | None = None
    ) -> Answer:
        assert self._http is not None
        async with self._http.get(
            f"{self.base_url}{path}", headers=headers or self.headers(user)
        ) as response:
            return Answer(response.status, await response.text())

    async def post(
        self,
        user: FakeUser | None,
        path: str,
        data: Mapping[str, str] | Sequence[tuple[str, str]] | None = None,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> Answer:
        """`data` as a mapping, or as pairs where a field repeats (ticked checkboxes)."""
        assert self._http is not None
        fields = list(data.items()) if isinstance(data, Mapping) else list(data or [])
        async with self._http.post(
            f"{self.base_url}{path}", data=fields, headers=headers or self.headers(user)
        ) as response:
            return Answer(response.status, await response.text())
