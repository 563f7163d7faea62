"""`villagebot doctor`: checks what the bot needs and says what is wrong in plain words.

The token (getMe), the database (reachable, at the latest migration) and the webhook state
(getWebhookInfo). Exit code 0 when all is well, 1 otherwise.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.request import HTTPXRequest

from bot import migrate
from bot.config import Settings
from bot.db import create_engine, is_sqlite

TIMEOUT = 15.0
RECENT_ERROR = timedelta(hours=1)
TOKEN_REFUSED = (
    "Telegram does not accept the token: copy it again from @BotFather into TELEGRAM_BOT_TOKEN."
)


@dataclass(frozen=True)
class Finding:
    ok: bool
    topic: str
    text: str

    def line(self) -> str:
        return f"{'ok     ' if self.ok else 'PROBLEM'}  {self.topic}: {self.text}"


def report(findings: list[Finding]) -> str:
    problems = sum(1 for f in findings if not f.ok)
    verdict = (
        "All is well."
        if not problems
        else f"{problems} problem{'s' if problems > 1 else ''} found: see PROBLEM above."
    )
    return "\n".join([*(f.line() for f in findings), verdict])


async def diagnose(settings: Settings) -> list[Finding]:
    findings = await check_database(settings.database_url)
    findings.extend(await check_telegram(settings))
    return findings


async def check_database(url: str) -> list[Finding]:
    topic = "Database"
    problem = url_problem(url)
    if problem is not None:
        return [Finding(False, topic, problem)]
    shown = make_url(url).render_as_string(hide_password=True)
    path = missing_sqlite_file(url)
    if path is not None:
        return [
            Finding(
                False,
                topic,
                f"there is no database file at {path}. Run the bot (or `villagebot migrate`) "
                "in the folder where it should live, or set DATABASE_URL to the file.",
            )
        ]
    current, problem = await open_database(url)
    if problem is not None:
        return [Finding(False, topic, problem)]
    head = migrate.head_revision()
    if current == head:
        return [Finding(True, topic, f"{shown} is reachable and at the latest migration ({head}).")]
    if current is None:
        return [
            Finding(
                False,
                topic,
                f"{shown} has no tables yet: run `villagebot migrate` "
                "(the bot also does it when it starts).",
            )
        ]
    if not _known(current):
        return [
            Finding(
                False,
                topic,
                f"{shown} is at migration {current}, which this villagebot does not know: "
                "a newer version has used it. Install that version again.",
            )
        ]
    return [
        Finding(
            False,
            topic,
            f"{shown} is at migration {current}, behind the latest ({head}): run "
            "`villagebot migrate` (the bot also does it when it starts).",
        )
    ]


def url_problem(url: str) -> str | None:
    """What is wrong with DATABASE_URL itself (before any connection), or None."""
    try:
        engine = create_engine(url)  # loads the dialect and its driver; connects to nothing
    except ArgumentError:
        return (
            "DATABASE_URL is not a database URL: it looks like "
            "sqlite+aiosqlite:///villagebot.db or postgresql+asyncpg://user:pass@host/name."
        )
    except Exception as exc:
        return (
            f"DATABASE_URL names a database driver villagebot cannot use ({_reason(exc)}): "
            "use sqlite+aiosqlite:///… or postgresql+asyncpg://…."
        )
    engine.sync_engine.dispose()
    return None


async def open_database(url: str) -> tuple[str | None, str | None]:
    """The database's migration, and None; or None and why it cannot be opened."""
    try:
        return await asyncio.wait_for(migrate.current_revision(url), TIMEOUT), None
    except Exception as exc:
        shown = make_url(url).render_as_string(hide_password=True)
        return None, f"cannot open {shown}: {_reason(exc)}"


def missing_sqlite_file(url: str) -> Path | None:
    """Opening a missing SQLite file would create an empty one: check first."""
    if not is_sqlite(url):
        return None
    database = make_url(url).database or ""
    path = Path(database).expanduser().resolve()
    return None if database == ":memory:" or path.is_file() else path


def _known(revision: str) -> bool:
    try:
        return (
            ScriptDirectory.from_config(migrate.alembic_config()).get_revision(revision) is not None
        )
    except CommandError:
        return False


async def check_telegram(settings: Settings) -> list[Finding]:
    if not settings.token:
        return [
            Finding(
                False,
                "Telegram",
                "TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and put it in the "
                "environment or in .env.",
            )
        ]
    requests = [HTTPXRequest(connect_timeout=TIMEOUT, read_timeout=TIMEOUT) for _ in range(2)]
    bot = Bot(
        settings.token,
        base_url=f"{settings.api_url}/bot",
        base_file_url=f"{settings.api_url}/file/bot",
        request=requests[0],
        get_updates_request=requests[1],
    )
    try:
        return await _check_bot(bot, settings)
    finally:
        for request in requests:
            await request.shutdown()


async def _check_bot(bot: Bot, settings: Settings) -> list[Finding]:
    topic = "Telegram"
    try:
        me = await bot.get_me()
    except InvalidToken:
        return [Finding(False, topic, TOKEN_REFUSED)]
    except NetworkError as exc:
        return [Finding(False, topic, f"cannot reach {settings.api_url}: {_reason(exc)}")]
    except TelegramError as exc:
        return [Finding(False, topic, f"getMe failed: {_reason(exc)}")]
    findings = [Finding(True, topic, f"the token works: the bot is @{me.username}.")]
    if me.can_join_groups is False:
        findings.append(
            Finding(
                False,
                topic,
                "the bot cannot be added to groups: in @BotFather choose /setjoingroups, "
                f"@{me.username}, Enable.",
            )
        )
    findings.extend(await _check_webhook(bot, settings))
    return findings


async def _check_webhook(bot: Bot, settings: Settings) -> list[Finding]:
    topic = "Webhook"
    try:
        info = await bot.get_webhook_info()
    except TelegramError as exc:
        return [Finding(False, topic, f"getWebhookInfo failed: {_reason(exc)}")]
    waiting = info.pending_update_count
    if not info.url:
        note = f" {waiting} updates are waiting for it." if waiting else ""
        return [Finding(True, topic, f"none is set: the bot uses long polling.{note}")]
    findings = [Finding(True, topic, f"set to {info.url}; {waiting} updates waiting.")]
    error_at = info.last_error_date
    if error_at is not None and datetime.now(UTC) - error_at < RECENT_ERROR:
        path = urlsplit(info.url).path or "/"
        findings.append(
            Finding(
                False,
                topic,
                f"Telegram could not deliver updates at {error_at:%Y-%m-%d %H:%M} UTC: "
                f"{info.last_error_message or 'no reason given'}. Check that "
                f"`villagebot run --webhook {info.url}` is running and that the reverse proxy "
                f"passes {path} to it.",
            )
        )
    if not settings.webhook_secret:
        findings.append(
            Finding(
                False,
                topic,
                "a webhook is set but TELEGRAM_WEBHOOK_SECRET is not: webhook mode needs the "
                "secret, and polling mode (`villagebot run`) removes the webhook.",
            )
        )
    return findings


def _reason(exc: BaseException) -> str:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def main(settings: Settings) -> int:
    logging.getLogger("alembic").setLevel(logging.WARNING)  # its set-up lines are not findings
    findings = asyncio.run(diagnose(settings))
    print(report(findings))
    return 0 if all(f.ok for f in findings) else 1
