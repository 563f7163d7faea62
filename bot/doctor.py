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
from bot.i18n import N_
from bot.terminal import _, n_

TIMEOUT = 15.0
RECENT_ERROR = timedelta(hours=1)
TOKEN_REFUSED = N_(
    "Telegram does not accept the token: copy it again from @BotFather into TELEGRAM_BOT_TOKEN."
)
# The topics of the findings, shown translated.
DATABASE = N_("Database")
TELEGRAM = N_("Telegram")
WEBHOOK = N_("Webhook")
OK = N_("ok")
PROBLEM = N_("PROBLEM")


@dataclass(frozen=True)
class Finding:
    ok: bool
    topic: str
    text: str

    def line(self) -> str:
        """E.g. `ok       Database: …`: the verdicts in a column, in the terminal's language."""
        ok, problem = _(OK), _(PROBLEM)
        width = max(len(ok), len(problem))
        return f"{(ok if self.ok else problem).ljust(width)}  {_(self.topic)}: {self.text}"


def report(findings: list[Finding]) -> str:
    problems = sum(1 for f in findings if not f.ok)
    verdict = (
        _("All is well.")
        if not problems
        else n_(
            "{n} problem found: see {problem} above.",
            "{n} problems found: see {problem} above.",
            problems,
            problem=_(PROBLEM),
        )
    )
    return "\n".join([*(f.line() for f in findings), verdict])


async def diagnose(settings: Settings) -> list[Finding]:
    findings = await check_database(settings.database_url)
    findings.extend(await check_telegram(settings))
    return findings


async def check_database(url: str) -> list[Finding]:
    topic = DATABASE
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
                _(
                    "there is no database file at {path}. Run the bot (or `villagebot migrate`) "
                    "in the folder where it should live, or set DATABASE_URL to the file.",
                    path=path,
                ),
            )
        ]
    current, problem = await open_database(url)
    if problem is not None:
        return [Finding(False, topic, problem)]
    head = migrate.head_revision()
    if current == head:
        return [
            Finding(
                True,
                topic,
                _(
                    "{database} is reachable and at the latest migration ({head}).",
                    database=shown,
                    head=head,
                ),
            )
        ]
    if current is None:
        return [
            Finding(
                False,
                topic,
                _(
                    "{database} has no tables yet: run `villagebot migrate` "
                    "(the bot also does it when it starts).",
                    database=shown,
                ),
            )
        ]
    if not _known(current):
        return [
            Finding(
                False,
                topic,
                _(
                    "{database} is at migration {current}, which this villagebot does not "
                    "know: a newer version has used it. Install that version again.",
                    database=shown,
                    current=current,
                ),
            )
        ]
    return [
        Finding(
            False,
            topic,
            _(
                "{database} is at migration {current}, behind the latest ({head}): run "
                "`villagebot migrate` (the bot also does it when it starts).",
                database=shown,
                current=current,
                head=head,
            ),
        )
    ]


def url_problem(url: str) -> str | None:
    """What is wrong with DATABASE_URL itself (before any connection), or None."""
    try:
        engine = create_engine(url)  # loads the dialect and its driver; connects to nothing
    except ArgumentError:
        return _(
            "DATABASE_URL is not a database URL: it looks like "
            "sqlite+aiosqlite:///villagebot.db or postgresql+asyncpg://user:pass@host/name."
        )
    except Exception as exc:
        return _(
            "DATABASE_URL names a database driver villagebot cannot use ({reason}): "
            "use sqlite+aiosqlite:///… or postgresql+asyncpg://….",
            reason=_reason(exc),
        )
    engine.sync_engine.dispose()
    return None


async def open_database(url: str) -> tuple[str | None, str | None]:
    """The database's migration, and None; or None and why it cannot be opened."""
    try:
        return await asyncio.wait_for(migrate.current_revision(url), TIMEOUT), None
    except Exception as exc:
        shown = make_url(url).render_as_string(hide_password=True)
        return None, _("cannot open {database}: {reason}", database=shown, reason=_reason(exc))


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
                TELEGRAM,
                _(
                    "TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and put it in "
                    "the environment or in .env."
                ),
            )
        ]
    requests = [HTTPXRequest(connect_timeout=TIMEOUT, read_timeout=TIMEOUT) for _number in range(2)]
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
    topic = TELEGRAM
    try:
        me = await bot.get_me()
    except InvalidToken:
        return [Finding(False, topic, _(TOKEN_REFUSED))]
    except NetworkError as exc:
        reason = _reason(exc)
        return [
            Finding(
                False, topic, _("cannot reach {url}: {reason}", url=settings.api_url, reason=reason)
            )
        ]
    except TelegramError as exc:
        return [Finding(False, topic, _("getMe failed: {reason}", reason=_reason(exc)))]
    findings = [
        Finding(True, topic, _("the token works: the bot is @{username}.", username=me.username))
    ]
    if me.can_join_groups is False:
        findings.append(
            Finding(
                False,
                topic,
                _(
                    "the bot cannot be added to groups: in @BotFather choose /setjoingroups, "
                    "@{username}, Enable.",
                    username=me.username,
                ),
            )
        )
    findings.extend(await _check_webhook(bot, settings))
    return findings


async def _check_webhook(bot: Bot, settings: Settings) -> list[Finding]:
    topic = WEBHOOK
    try:
        info = await bot.get_webhook_info()
    except TelegramError as exc:
        return [Finding(False, topic, _("getWebhookInfo failed: {reason}", reason=_reason(exc)))]
    waiting = info.pending_update_count
    if not info.url:
        text = _("none is set: the bot uses long polling.")
        if waiting:
            text += " " + n_(
                "{n} update is waiting for it.", "{n} updates are waiting for it.", waiting
            )
        return [Finding(True, topic, text)]
    findings = [
        Finding(
            True,
            topic,
            n_(
                "set to {url}; {n} update waiting.",
                "set to {url}; {n} updates waiting.",
                waiting,
                url=info.url,
            ),
        )
    ]
    error_at = info.last_error_date
    if error_at is not None and datetime.now(UTC) - error_at < RECENT_ERROR:
        path = urlsplit(info.url).path or "/"
        when = f"{error_at:%Y-%m-%d %H:%M}"
        reason = info.last_error_message or _("no reason given")
        findings.append(
            Finding(
                False,
                topic,
                _(
                    "Telegram could not deliver updates at {time} UTC: {reason}. Check that "
                    "`villagebot run --webhook {url}` is running and that the reverse proxy "
                    "passes {path} to it.",
                    time=when,
                    reason=reason,
                    url=info.url,
                    path=path,
                ),
            )
        )
    if not settings.webhook_secret:
        findings.append(
            Finding(
                False,
                topic,
                _(
                    "a webhook is set but TELEGRAM_WEBHOOK_SECRET is not: webhook mode needs "
                    "the secret, and polling mode (`villagebot run`) removes the webhook."
                ),
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
