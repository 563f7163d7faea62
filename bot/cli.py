"""The `villagebot` program: `run` (long polling or webhook), `migrate`, `console`, `backup`
and `doctor`."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from bot import logs
from bot.config import DEFAULT_API_URL, ConfigError, Settings
from bot.terminal import _, n_, translator

log = logging.getLogger("bot")

CONSOLE_DATABASE_URL = "sqlite+aiosqlite:///villagebot-console.db"
CONSOLE_FILES = "villagebot-console-files"


def configure_logging(level: str) -> None:
    logs.configure(level)


def webhook_path(args: argparse.Namespace) -> str:
    """Where the bot listens: `--path`, else the webhook URL's own path (what a reverse proxy
    forwards unchanged)."""
    return str(args.path or urlsplit(args.webhook).path or "/")


def check_webhook_url(settings: Settings, url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigError(
            _(
                "--webhook must be a full URL such as https://example.org/villagebot, not {url}",
                url=repr(url),
            )
        )
    # Telegram itself only calls HTTPS webhooks; a self-hosted Bot API server also calls http.
    if parts.scheme != "https" and settings.api_url == DEFAULT_API_URL:
        raise ConfigError(
            _("--webhook must start with https:// (Telegram calls only HTTPS webhooks)")
        )


def webhook_secret(settings: Settings, url: str) -> str:
    """The secret webhook mode needs, after the URL is checked; refused in one sentence."""
    check_webhook_url(settings, url)
    if not settings.webhook_secret:
        raise ConfigError(
            _(
                "TELEGRAM_WEBHOOK_SECRET is not set: webhook mode needs a secret so that only "
                "Telegram can send updates (e.g. the output of `openssl rand -hex 32`)"
            )
        )
    return settings.webhook_secret


def require_database(url: str) -> None:
    """A bad DATABASE_URL or a database that does not answer is refused in one sentence (the
    doctor's), before anything starts. A missing SQLite file is no problem: migrating makes it."""
    from bot import doctor

    problem = doctor.url_problem(url)
    if problem is None and doctor.missing_sqlite_file(url) is None:
        _revision, problem = asyncio.run(doctor.open_database(url))
    if problem is not None:
        raise ConfigError(problem)


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    from telegram.error import InvalidToken

    from bot import doctor
    from bot.app import build_application
    from bot.wire import polling, webhook

    settings.require_token()
    require_database(settings.database_url)
    secret = webhook_secret(settings, args.webhook) if args.webhook else None
    # A webhook update is confirmed by its own answer, one at a time: every commit is synced.
    # The webhook's server serves the board too; with polling it has its own.
    app = build_application(
        settings, batched_commits=not args.webhook, serve_board=not args.webhook
    )
    # What is loaded by now (libraries, mappers, catalogs) lives as long as the process: keep
    # it out of the full garbage collections, which otherwise walk all of it.
    gc.collect()
    gc.freeze()
    # Our own loop or server: an update is confirmed to Telegram only after it was processed.
    # Start-up steps retry for ever while the network or the Bot API is down.
    try:
        if secret is not None:
            webhook.run(
                app,
                url=args.webhook,
                secret=secret,
                listen=args.listen,
                port=args.port,
                path=webhook_path(args),
            )
        else:
            polling.run(app)
    except InvalidToken as exc:
        raise ConfigError(_(doctor.TOKEN_REFUSED)) from exc
    log.info("villagebot stopped")
    return 0


def cmd_migrate(settings: Settings, _args: argparse.Namespace) -> int:
    from bot import migrate

    require_database(settings.database_url)
    asyncio.run(migrate.upgrade(settings.database_url))
    log.info("database is at revision %s", migrate.head_revision())
    return 0


def cmd_console(settings: Settings, args: argparse.Namespace) -> int:
    from bot.console import ConsoleOptions, main

    if "LOG_LEVEL" not in os.environ:  # the chat stays readable; warnings still show
        configure_logging("WARNING")
    # Only DATABASE_URL given in the environment counts: a .env file names the real bot's data.
    database_url = args.database or os.environ.get("DATABASE_URL") or CONSOLE_DATABASE_URL
    require_database(database_url)
    # The real bot's board is not the console's: only --board serves one, on this machine.
    env = {
        k: v
        for k, v in settings.extra.items()
        if k != "VILLAGEBOT_LANGUAGE" and not k.startswith("VILLAGEBOT_WEB_")
    }
    env["LOG_LEVEL"] = settings.log_level
    env["VILLAGEBOT_TIMEZONE"] = settings.default_timezone
    if args.board_port is not None and not 0 < args.board_port <= 65535:
        raise ConfigError(_("{name} must be a port number (1-65535)", name="--board-port"))
    board = args.board or args.board_port is not None
    options = ConsoleOptions(
        database_url=database_url,
        files_dir=Path(args.files),
        language=args.language or settings.default_language,
        env=env,
        board_port=(args.board_port or 0) if board else None,
    )
    return main(options)


def cmd_backup(settings: Settings, args: argparse.Namespace) -> int:
    from babel.numbers import format_decimal

    from bot import doctor
    from bot.backup import BackupError, backup_sqlite

    problem = doctor.url_problem(settings.database_url)
    if problem is not None:
        raise ConfigError(problem)
    try:
        result = backup_sqlite(settings.database_url, Path(args.file), force=args.force)
    except BackupError as exc:
        print(f"villagebot backup: {exc}", file=sys.stderr)
        return 1
    size = format_decimal(result.size, locale=translator().language)
    print(
        n_(
            "Backed up to {path} ({size} byte, migration {revision}).",
            "Backed up to {path} ({size} bytes, migration {revision}).",
            result.size,
            path=result.path,
            size=size,
            revision=result.revision or "-",
        )
    )
    return 0


def cmd_doctor(settings: Settings, _args: argparse.Namespace) -> int:
    from bot import doctor

    return doctor.main(settings)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="villagebot", description=_("A Telegram bot for a village's own development.")
    )
    sub = root.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help=_("run the bot (long polling, or a webhook with --webhook)"))
    run.add_argument(
        "--webhook",
        metavar="URL",
        help=_(
            "serve updates by webhook at this public HTTPS URL (secret: TELEGRAM_WEBHOOK_SECRET)"
        ),
    )
    run.add_argument(
        "--listen", default="127.0.0.1", help=_("address the webhook server binds (127.0.0.1)")
    )
    run.add_argument("--port", type=int, default=8443, help=_("its port (8443)"))
    run.add_argument("--path", help=_("the path it serves (default: the webhook URL's path)"))
    run.set_defaults(func=cmd_run)

    sub.add_parser("migrate", help=_("upgrade the database and exit")).set_defaults(
        func=cmd_migrate
    )

    console = sub.add_parser(
        "console", help=_("try the bot in this terminal: no token, no network, a demo village")
    )
    console.add_argument("--language", choices=("lv", "en", "ru"), help=_("the demo's language"))
    console.add_argument(
        "--database",
        metavar="URL",
        help=_("database URL (default: $DATABASE_URL, else {url})", url=CONSOLE_DATABASE_URL),
    )
    console.add_argument(
        "--files",
        default=CONSOLE_FILES,
        help=_("where pictures and files go ({folder})", folder=CONSOLE_FILES),
    )
    console.add_argument(
        "--board",
        action="store_true",
        help=_(
            "serve the demo village's board on 127.0.0.1 too and print a link that opens it "
            "in a browser, signed in as the person you are at the start"
        ),
    )
    console.add_argument(
        "--board-port",
        type=int,
        metavar="PORT",
        help=_("the board's port (default: a free one); implies --board"),
    )
    console.set_defaults(func=cmd_console)

    backup = sub.add_parser("backup", help=_("copy the live SQLite database to a file"))
    backup.add_argument("file", help=_("the backup file to write"))
    backup.add_argument(
        "--force", action="store_true", help=_("replace the file if it is an older backup")
    )
    backup.set_defaults(func=cmd_backup)

    sub.add_parser(
        "doctor", help=_("check the token, the database and the webhook; say what is wrong")
    ).set_defaults(func=cmd_doctor)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = Settings.from_environment()
    except ConfigError as exc:
        print(f"villagebot: {exc}", file=sys.stderr)
        return 2
    logs.hide_secrets(settings.token, settings.webhook_secret)
    configure_logging(settings.log_level)
    try:
        code: int = args.func(settings, args)
    except ConfigError as exc:
        print(f"villagebot: {exc}", file=sys.stderr)
        return 2
    return code
