"""`villagebot console --board`: the demo village's board served on this machine, and links that
open it in a browser signed in as a demo person, as Telegram signs in whoever opens the Mini App
(the init data in the page's hash, where board.js reads it without Telegram's script)."""

from __future__ import annotations

import socket
from urllib.parse import parse_qs, quote, urlsplit, urlunsplit

from bot.board import links
from bot.runtime import BotApplication, runtime_of
from bot.services import communities
from bot.testing.board import signed
from bot.testing.world import FakeChat, FakeUser

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A port nothing listens on now (the board's server takes it a moment later)."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def board_env(port: int) -> dict[str, str]:
    """The settings that turn the console bot's board on, at 127.0.0.1:`port` (0: a free one)."""
    port = port or free_port()
    return {
        "VILLAGEBOT_WEB_URL": f"http://{LOOPBACK}:{port}",
        "VILLAGEBOT_WEB_LISTEN": LOOPBACK,
        "VILLAGEBOT_WEB_PORT": str(port),
    }


def browser_link(app_url: str, token: str, user: FakeUser) -> str:
    """The board's page at `app_url` (a `web_app` button's address, its `?start=` naming the
    village) as Telegram opens it for `user`: their signed init data in the hash."""
    parts = urlsplit(app_url)
    start = parse_qs(parts.query).get("start", [None])[0]
    data = quote(signed(token, user, start), safe="")
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", f"tgWebAppData={data}"))


def direct_start(url: str) -> str | None:
    """The start parameter of the bot's direct Mini App link (`t.me/<bot>?startapp=…`), if
    `url` is one."""
    if not url.startswith("https://t.me/"):
        return None
    return parse_qs(urlsplit(url).query).get("startapp", [None])[0]


async def village_link(app: BotApplication, chat: FakeChat, user: FakeUser) -> str | None:
    """The link opening the board on the village of `chat` as `user`; None while the board is
    off or the bot has not met the group yet."""
    runtime = runtime_of(app)
    async with runtime.db.transaction() as session:
        village = await communities.by_chat(session, chat.id)
        village_id = village.id if village is not None else None
    if village_id is None:
        return None
    url = runtime.board_app_url(links.start_param(village_id))
    return browser_link(url, app.bot.token, user) if url is not None else None
