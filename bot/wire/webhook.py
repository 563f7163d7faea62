"""Webhook mode: our own aiohttp server, which answers Telegram only once an update is stored.

Telegram counts a webhook update delivered when its POST is answered with 2xx, and never sends
it again. So each request is answered 200 only after the update was processed the one way every
update is (`bot.wire.polling.process`): its effects and its id committed together, synced to the
disk (webhook mode keeps SQLite's full sync at every commit). A process killed before the answer
loses nothing: Telegram sends the update again, and an update stored before is skipped by its id.
Its answers to residents are sent after the 200, in order per chat (`bot.wire.delivery`).

The request is judged before its body is read: the secret header first, compared in constant
time (a wrong or missing one is refused with 403 and the connection closed, the body unread),
then the declared size (over `MAX_BODY`: 413); reading stops at `MAX_BODY` too, for a body sent
without a length. A body that is not an update gets 400 (Telegram keeps it and tries again).
Updates are processed one at a time, in the order their requests arrive, as the polling loop
does. A stop (SIGTERM) closes the port, finishes the update in hand, refuses the ones still
waiting (503: Telegram keeps them for the next start) and sends the answers given so far.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from telegram import Update

from bot.config import ConfigError
from bot.runtime import BotApplication, runtime_of
from bot.wire import delivery
from bot.wire.polling import process, retrying, run_until_signal, running

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's updates are a few kilobytes; a long message with its entities stays far below this.
MAX_BODY = 1024 * 1024
# Requests Telegram may have open at once (its default); they wait for their turn here.
MAX_CONNECTIONS = 40
# At a stop, how long the update in hand may take before its request is cancelled (rolled back:
# Telegram sends it again).
SHUTDOWN_SECONDS = 30.0


@dataclass
class WebhookServer:
    """Takes Telegram's POSTs at `path`: each update processed and committed before its 200."""

    app: BotApplication
    secret: str
    path: str = "/"
    processed: int = 0
    deliveries: delivery.Deliveries = field(default_factory=delivery.Deliveries, repr=False)
    _turn: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)
    _stopping: asyncio.Event = field(default_factory=asyncio.Event, repr=False)

    def web_app(self) -> web.Application:
        # client_max_size caps what request.read() takes, a chunked body included.
        served = web.Application(client_max_size=MAX_BODY)
        served.router.add_post(self.path, self.receive)
        return served

    def request_stop(self) -> None:
        """Finish the update in hand, refuse the waiting ones (a signal handler may call this)."""
        self._stopping.set()

    async def wait(self) -> None:
        """Until a stop is requested."""
        await self._stopping.wait()

    def _has_secret(self, request: web.BaseRequest) -> bool:
        given = request.headers.get(SECRET_HEADER)
        if given is None:
            return False
        # Bytes: compare_digest refuses str with non-ASCII characters (a header may have them).
        return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), self.secret.encode())

    async def receive(self, request: web.BaseRequest) -> web.Response:
        if not self._has_secret(request):
            log.warning(
                "refused a webhook request without the right secret (from %s)", request.remote
            )
            refused = web.Response(status=403)
            refused.force_close()  # the body is never read; the connection goes with it
            return refused
        if request.content_length is not None and request.content_length > MAX_BODY:
            log.warning("refused a webhook request of %d bytes", request.content_length)
            too_large = web.Response(status=413)
            too_large.force_close()
            return too_large
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            log.warning("refused a webhook request over %d bytes", MAX_BODY)
            return web.Response(status=413)
        update = self._read_update(body)
        if update is None:
            return web.Response(status=400)
        async with self._turn:
            if self._stopping.is_set():
                return web.Response(status=503)  # not processed: Telegram sends it again
            await self.deliveries.wait_below(delivery.MAX_PENDING)
            with delivery.joining(self.deliveries):
                await process(self.app, update)
            self.processed += 1
        return web.Response(status=200)

    def _read_update(self, body: bytes) -> Update | None:
        """The update in a request's body; None (logged) when there is none to read."""
        try:
            data: Any = json.loads(body)
        except ValueError:
            log.warning("a webhook request's body is not JSON; refused")
            return None
        if not isinstance(data, dict) or type(data.get("update_id")) is not int:
            log.warning("a webhook request's body is not an update; refused")
            return None
        try:
            return Update.de_json(data, self.app.bot)
        except Exception:
            # As the polling loop: a Bot API newer than python-telegram-bot. Said loudly; the
            # update stays with Telegram, which tries again.
            log.exception(
                "could not read update %s Telegram sent; not processed", data["update_id"]
            )
            return None


@asynccontextmanager
async def serving(
    app: BotApplication,
    *,
    url: str,
    secret: str,
    listen: str = "127.0.0.1",
    port: int = 8443,
    path: str = "/",
    bootstrap_retries: int = 0,
) -> AsyncIterator[WebhookServer]:
    """Run the application and serve its webhook until the block ends: the server listens,
    then Telegram is told where it is (setWebhook; pending updates are kept). At the end the
    port closes, the update in hand is finished and its answers sent, then the application
    stops. The webhook stays set, so Telegram keeps the updates until the next start."""
    async with running(app, bootstrap_retries=bootstrap_retries):
        server = WebhookServer(app, secret=secret, path=path)
        served = server.web_app()
        board = runtime_of(app).board
        if board is not None:  # one server for both
            board(served)
        runner = web.AppRunner(
            served,
            handle_signals=False,
            access_log=None,
            lingering_time=0,  # an unread body is not waited for: the connection closes
            shutdown_timeout=SHUTDOWN_SECONDS,
        )
        await runner.setup()
        try:
            try:
                await web.TCPSite(runner, listen, port).start()
            except OSError as exc:  # the port is taken, or the address is not this machine's
                raise ConfigError(
                    f"cannot listen on {listen}:{port}: {exc.strerror or exc}"
                ) from exc
            log.info("serving the webhook %s on %s:%s%s", url, listen, port, path)
            await retrying(
                lambda: app.bot.set_webhook(
                    url=url,
                    secret_token=secret,
                    allowed_updates=Update.ALL_TYPES,
                    max_connections=MAX_CONNECTIONS,
                    drop_pending_updates=False,
                ),
                "setWebhook",
                max_retries=bootstrap_retries,
            )
            yield server
        finally:
            server.request_stop()
            await runner.cleanup()  # the port closed; the request in hand answered
            await server.deliveries.drain()


def run(app: BotApplication, *, url: str, secret: str, listen: str, port: int, path: str) -> None:
    """`villagebot run --webhook`: serve until SIGINT or SIGTERM, then stop cleanly."""
    run_until_signal(
        lambda: serving(
            app,
            url=url,
            secret=secret,
            listen=listen,
            port=port,
            path=path,
            bootstrap_retries=-1,
        )
    )
