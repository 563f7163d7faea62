"""A small round-robin load balancer in front of webhook workers, standing in for nginx: the
two-worker test and the `workers` benchmark put their workers behind it."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web

from bot.wire.webhook import SECRET_HEADER


@dataclass
class Balancer:
    """Round robin over the workers, as nginx's `upstream` does: the body and the secret header
    passed through, the worker's status passed back; a worker that refuses the connection is
    skipped (nginx's `proxy_next_upstream error`)."""

    upstreams: list[str]
    client: aiohttp.ClientSession
    served: Counter[int] = field(default_factory=Counter)
    _turns: itertools.cycle[int] = field(init=False)

    def __post_init__(self) -> None:
        self._turns = itertools.cycle(range(len(self.upstreams)))

    async def forward(self, request: web.Request) -> web.Response:
        body = await request.read()
        headers = {
            name: request.headers[name]
            for name in (SECRET_HEADER, "Content-Type")
            if name in request.headers
        }
        for _ in self.upstreams:
            index = next(self._turns)
            try:
                async with self.client.post(
                    self.upstreams[index], data=body, headers=headers
                ) as answer:
                    await answer.read()
                    self.served[index] += 1
                    return web.Response(status=answer.status)
            except aiohttp.ClientConnectorError:
                continue
        return web.Response(status=502)


@asynccontextmanager
async def balancing(upstreams: list[str]) -> AsyncIterator[tuple[Balancer, str]]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as client:
        balancer = Balancer(upstreams, client)
        served = web.Application()
        served.router.add_post("/villagebot", balancer.forward)
        runner = web.AppRunner(served)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        try:
            yield balancer, f"http://127.0.0.1:{runner.addresses[0][1]}/villagebot"
        finally:
            await runner.cleanup()
